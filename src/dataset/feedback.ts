import type { CollectedFeedback, FeedbackItem } from '../feedback/types.js';
import { seenAt, type FilesSeen } from '../history/types.js';
import { formatAnswer, type ChatMessage } from '../prompt/prompt.js';
import { cleanBody, rejection } from '../text/clean.js';
import { Redactor } from '../text/redact.js';
import {
  hunkPrompt,
  wholeHunkFor,
  type Dataset,
  type Example,
  type ExampleKind,
  type FeedbackStats,
} from './build.js';

export interface FeedbackOptions {
  /** The reviewer as buildDataset's prompts name them (the history's `reviewer`). */
  reviewer: string;
  maxHunkTokens: number;
  /** The redactor buildDataset used, scanned over the feedback too. */
  redactor?: Redactor;
}

/**
 * The dataset with training examples made of the reviewer's feedback on the bot's comments in
 * their voice. Each comment's whole hunk is the one the bot was shown: the pull request's diff as
 * of the comment's commit (`filesSeen`, keyed `seenAt(pullNumber, commitId)`); a comment without
 * it makes no example, since a partial hunk is a shape no other example has (see
 * DatasetOptions.wholeHunksOnly).
 *
 * - turned down: the hunk → NO COMMENT, or → the reviewer's correction at that line, with the
 *   bot's comment as the answer the reviewer refused (`rejected`: a preference pair for DPO);
 * - approved or addressed: the hunk → the bot's comment at its line;
 * - ignored: no example (silence says nothing).
 *
 * They go to training only: the held-out set stays the reviewer's own comments, comparable
 * between adapters. A hunk the dataset already shows (in either split) keeps its example and the
 * feedback one is dropped: the reviewer's own comment, or their leaving the hunk alone, is the
 * primary signal, and a held-out hunk must not be trained on. Of several comments on one hunk,
 * the newest one's feedback counts.
 */
export function withFeedback(
  dataset: Dataset,
  feedback: CollectedFeedback,
  filesSeen: FilesSeen,
  options: FeedbackOptions,
): Dataset {
  const redactor = options.redactor ?? new Redactor();
  const stats: FeedbackStats = {
    positives: 0,
    negatives: 0,
    corrections: 0,
    ignored: 0,
    unknownHunks: 0,
    duplicates: 0,
  };
  const shown = new Set([...dataset.train, ...dataset.eval].map((e) => e.messages[1]?.content));
  const added: Example[] = [];
  const newestFirst = [...feedback.items].sort((a, b) =>
    b.comment.createdAt.localeCompare(a.comment.createdAt),
  );
  for (const item of newestFirst) {
    const { comment } = item;
    const answer = answerFor(item);
    if (!answer) {
      stats.ignored++;
      continue;
    }
    const files = filesSeen.get(seenAt(comment.pullNumber, comment.commitId));
    const seen = wholeHunkFor(comment, comment.line, files);
    if (!seen) {
      stats.unknownHunks++;
      continue;
    }
    const prompt = hunkPrompt(
      options.reviewer,
      comment.path,
      seen,
      options.maxHunkTokens,
      redactor,
    );
    const text = prompt[1]?.content;
    if (shown.has(text)) {
      stats.duplicates++;
      continue;
    }
    shown.add(text);
    const content = formatAnswer(
      answer.body === undefined
        ? undefined
        : { anchor: seen.anchor, body: redactor.redact(answer.body) },
    );
    const messages: ChatMessage[] = [...prompt, { role: 'assistant', content }];
    // A correction that repeats the bot's comment word for word makes no pair: it says nothing.
    const refused =
      answer.kind === 'feedback-positive'
        ? undefined
        : formatAnswer({ anchor: seen.anchor, body: redactor.redact(cleanBody(comment.body)) });
    const rejected = refused === content ? undefined : refused;
    added.push({
      messages,
      ...(rejected === undefined ? {} : { rejected }),
      meta: {
        pr: comment.pullNumber,
        path: comment.path,
        kind: answer.kind,
        commentId: comment.id,
      },
    });
    if (answer.kind === 'feedback-positive') stats.positives++;
    else if (answer.kind === 'feedback-negative') stats.negatives++;
    else stats.corrections++;
  }
  return {
    ...dataset,
    train: [...dataset.train, ...added],
    stats: { ...dataset.stats, feedback: stats },
    redactions: redactor.summary(),
    redactionsTotal: redactor.total,
  };
}

/** What the reviewer's feedback says the answer should have been; undefined when it says nothing. */
function answerFor(item: FeedbackItem): { kind: ExampleKind; body?: string } | undefined {
  switch (item.verdict) {
    case 'turned-down': {
      const raw = item.correction ?? '';
      const correction = remark(cleanBody(raw));
      // A reply that only says no ("No.", "Nope!") turns the comment down and says nothing else.
      return rejection(raw, correction)
        ? { kind: 'feedback-negative' }
        : { kind: 'feedback-correction', body: correction };
    }
    case 'approved':
    case 'addressed':
      return { kind: 'feedback-positive', body: cleanBody(item.comment.body) };
    case 'ignored':
      return undefined;
  }
}

/**
 * A correction as a first comment would say it. Collection already took the refusal off the reply
 * ("No: the real problem is …" → "the real problem is …", readReply); what is left is the
 * reviewer's own words, so a correction that itself opens with "No need …" keeps them.
 */
function remark(correction: string): string {
  return correction.charAt(0).toUpperCase() + correction.slice(1);
}
