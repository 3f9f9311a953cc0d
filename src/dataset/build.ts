import { createHash } from 'node:crypto';
import { findRow, parsePatch, type Anchor, type Hunk } from '../diff/hunks.js';
import { windowAround } from '../diff/windows.js';
import type { History, PastComment, PullFile } from '../history/types.js';
import { buildPrompt, formatAnswer, redactHunk, type ChatMessage } from '../prompt/prompt.js';
import { cleanBody, rejection } from '../text/clean.js';
import { Redactor } from '../text/redact.js';

export interface Example {
  messages: ChatMessage[];
  meta: { pr: number; path: string; kind: 'positive' | 'negative'; commentId?: number };
}

export interface DatasetOptions {
  maxHunkTokens: number;
  /** Negative examples per positive one. */
  negativeRatio: number;
  /** Share of pull requests (the newest) held out for evaluation. */
  evalFraction: number;
  /**
   * Redacts prompts and answers; scan the history with it first (see Redactor.scan). Without
   * one, only the built-in rules apply.
   */
  redactor?: Redactor;
}

export interface DatasetStats {
  comments: number;
  positives: number;
  negatives: number;
  replies: number;
  empty: number;
  botLike: number;
  duplicates: number;
  unanchored: number;
  pulls: number;
  evalPulls: number;
}

export interface Dataset {
  train: Example[];
  eval: Example[];
  stats: DatasetStats;
  redactions: Record<string, number>;
  redactionsTotal: number;
}

/**
 * Turns a reviewer's history into chat examples with the prompt the review step uses:
 * positives (a hunk they commented on → their comment at that line) and negatives (a hunk of
 * a pull request they reviewed and left alone → NO COMMENT). Newest pull requests go to eval.
 */
export function buildDataset(
  history: History,
  filesByPull: Map<number, PullFile[]>,
  options: DatasetOptions,
): Dataset {
  const redactor = options.redactor ?? new Redactor();
  const stats: DatasetStats = {
    comments: history.comments.length,
    positives: 0,
    negatives: 0,
    replies: 0,
    empty: 0,
    botLike: 0,
    duplicates: 0,
    unanchored: 0,
    pulls: 0,
    evalPulls: 0,
  };
  const seen = new Set<string>();
  const positives: Example[] = [];

  for (const comment of history.comments) {
    if (comment.inReplyToId !== null) {
      stats.replies++;
      continue;
    }
    const body = cleanBody(comment.body);
    const rejected = rejection(comment.body, body);
    if (rejected === 'empty') stats.empty++;
    if (rejected === 'bot-like') stats.botLike++;
    if (rejected) continue;

    const seenHunk = hunkFor(comment, filesByPull.get(comment.pullNumber));
    if (!seenHunk) {
      stats.unanchored++;
      continue;
    }
    const index = seenHunk.hunk.rows.indexOf(seenHunk.row);
    const hunk = redactHunk(windowAround(seenHunk.hunk, index, options.maxHunkTokens), redactor);
    const messages: ChatMessage[] = [
      ...buildPrompt({ reviewer: history.reviewer, tone: 'reviewer', path: comment.path, hunk }),
      {
        role: 'assistant',
        content: formatAnswer({ anchor: seenHunk.anchor, body: redactor.redact(body) }),
      },
    ];
    const key = messages.map((m) => m.content).join('\u0000');
    if (seen.has(key)) {
      stats.duplicates++;
      continue;
    }
    seen.add(key);
    positives.push({
      messages,
      meta: { pr: comment.pullNumber, path: comment.path, kind: 'positive', commentId: comment.id },
    });
  }

  const negatives = pickNegatives(
    history,
    filesByPull,
    Math.round(positives.length * options.negativeRatio),
    options.maxHunkTokens,
    redactor,
  );
  stats.positives = positives.length;
  stats.negatives = negatives.length;

  const examples = [...positives, ...negatives];
  const evalPulls = newestPulls(history, examples, options.evalFraction);
  stats.pulls = new Set(examples.map((e) => e.meta.pr)).size;
  stats.evalPulls = evalPulls.size;
  return {
    train: examples.filter((e) => !evalPulls.has(e.meta.pr)),
    eval: examples.filter((e) => evalPulls.has(e.meta.pr)),
    stats,
    redactions: redactor.summary(),
    redactionsTotal: redactor.total,
  };
}

/**
 * The hunk a comment sits in: the whole hunk of the pull request's current patch when the
 * comment is still current there, else GitHub's diff_hunk (which ends at the commented line).
 */
function hunkFor(
  comment: PastComment,
  files: PullFile[] | undefined,
): { hunk: Hunk; row: Hunk['rows'][number]; anchor: Anchor } | undefined {
  const side = comment.side ?? 'RIGHT';
  const patch = files?.find((file) => file.filename === comment.path)?.patch;
  if (patch && comment.line !== null) {
    const anchor = { line: comment.line, side };
    for (const hunk of parsePatch(patch)) {
      const row = findRow(hunk, anchor);
      if (row) return { hunk, row, anchor };
    }
  }
  const line = comment.originalLine ?? comment.line;
  const [hunk] = parsePatch(comment.diffHunk);
  if (!hunk || line === null) return undefined;
  const anchor = { line, side };
  const row = findRow(hunk, anchor);
  return row ? { hunk, row, anchor } : undefined;
}

function pickNegatives(
  history: History,
  filesByPull: Map<number, PullFile[]>,
  wanted: number,
  maxHunkTokens: number,
  redactor: Redactor,
): Example[] {
  if (wanted <= 0) return [];
  const candidates: { order: string; pr: number; path: string; hunk: Hunk }[] = [];
  for (const [pr, files] of filesByPull) {
    const commented = history.comments.filter((c) => c.pullNumber === pr);
    for (const file of files) {
      if (!file.patch) continue;
      for (const hunk of parsePatch(file.patch)) {
        const touched = commented.some(
          (c) =>
            c.path === file.filename &&
            [c.line, c.originalLine].some(
              (line) =>
                line !== null && hunk.rows.some((r) => r.newLine === line || r.oldLine === line),
            ),
        );
        if (touched || hunk.rows.length === 0) continue;
        // A stable pseudo-random order spreads the picks across pull requests and files.
        const order = createHash('sha256')
          .update(`${pr}\u0000${file.filename}\u0000${hunk.header}`)
          .digest('hex');
        candidates.push({ order, pr, path: file.filename, hunk });
      }
    }
  }
  candidates.sort((a, b) => a.order.localeCompare(b.order));
  return candidates.slice(0, wanted).map(({ pr, path, hunk }) => ({
    messages: [
      ...buildPrompt({
        reviewer: history.reviewer,
        tone: 'reviewer',
        path,
        hunk: redactHunk(windowAround(hunk, 0, maxHunkTokens), redactor),
      }),
      { role: 'assistant', content: formatAnswer(undefined) },
    ],
    meta: { pr, path, kind: 'negative' },
  }));
}

/** The newest `fraction` of the pull requests that have examples (at least one when there are two or more). */
function newestPulls(history: History, examples: Example[], fraction: number): Set<number> {
  const opened = new Map(history.pulls.map((p) => [p.number, p.createdAt]));
  for (const c of history.comments) {
    const known = opened.get(c.pullNumber);
    if (known === undefined || c.createdAt < known) opened.set(c.pullNumber, c.createdAt);
  }
  const pulls = [...new Set(examples.map((e) => e.meta.pr))].sort(
    (a, b) => (opened.get(a) ?? '').localeCompare(opened.get(b) ?? '') || a - b,
  );
  if (pulls.length < 2) return new Set();
  const count = Math.max(1, Math.round(pulls.length * fraction));
  return new Set(pulls.slice(-count));
}

export function toJsonl(examples: Example[]): string {
  return (
    examples.map((example) => JSON.stringify(example)).join('\n') + (examples.length ? '\n' : '')
  );
}

/** Content digest of a dataset: the same examples always give the same digest. */
export function datasetDigest(dataset: Pick<Dataset, 'train' | 'eval'>): string {
  return createHash('sha256')
    .update(toJsonl(dataset.train))
    .update('\u0000')
    .update(toJsonl(dataset.eval))
    .digest('hex')
    .slice(0, 16);
}
