import { createHash } from 'node:crypto';
import { findRow, parsePatch, type Anchor, type Hunk, type Side } from '../diff/hunks.js';
import { windowAround } from '../diff/windows.js';
import {
  seenAt,
  type FilesSeen,
  type History,
  type PastComment,
  type PullFile,
} from '../history/types.js';
import { buildPrompt, formatAnswer, redactHunk, type ChatMessage } from '../prompt/prompt.js';
import { cleanBody, rejection } from '../text/clean.js';
import { Redactor } from '../text/redact.js';

/**
 * Where an example comes from: the reviewer's own comment (positive) or a hunk they left alone
 * (negative); or their feedback on a comment the bot posted in their voice (src/dataset/feedback.ts):
 * the bot's comment they approved or addressed (feedback-positive), a turned-down one (NO COMMENT:
 * feedback-negative), or what they said instead of a turned-down one (feedback-correction).
 */
export type ExampleKind =
  'positive' | 'negative' | 'feedback-positive' | 'feedback-negative' | 'feedback-correction';

export interface Example {
  messages: ChatMessage[];
  /**
   * Feedback the reviewer turned down only: the bot's answer they refused (its comment at its
   * label), the other side of the preference the messages' answer wins. The trainer's SFT reads
   * the messages alone; its DPO learns the pair (feedback-method `dpo`).
   */
  rejected?: string;
  meta: { pr: number; path: string; kind: ExampleKind; commentId?: number };
}

export interface DatasetOptions {
  maxHunkTokens: number;
  /** Negative examples per positive one. */
  negativeRatio: number;
  /** Share of each kind of example held out for evaluation, on the newest pull requests. */
  evalFraction: number;
  /**
   * Redacts prompts and answers; scan the history with it first (see Redactor.scan). Without
   * one, only the built-in rules apply.
   */
  redactor?: Redactor;
  /**
   * Use a comment only with the whole hunk it sits in (from the pull request's files, current or
   * as of the commit it was written on). GitHub's
   * diff_hunk stops at the commented line, so a positive made from it has a shape no negative
   * has, and a model learns "a hunk that stops early gets a comment on its last line" instead of
   * the reviewer. Training data needs whole hunks; few-shot examples, which only show the
   * reviewer's words, can do without.
   */
  wholeHunksOnly: boolean;
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
  /** Comments whose whole hunk was not at hand (neither in the current files nor as seen). */
  partialHunks: number;
  /**
   * Comments left out because no hunk the reviewer left alone has about their hunk's length:
   * kept, they would let a model tell the kinds apart by length (see pickNegatives).
   */
  unmatched: number;
  pulls: number;
  evalPulls: number;
  /** Examples made of the reviewer's feedback on the bot's comments, when there was any. */
  feedback?: FeedbackStats;
}

export interface FeedbackStats {
  /** Training examples of each kind. */
  positives: number;
  negatives: number;
  corrections: number;
  /** Comments nobody reacted to: no signal, no example. */
  ignored: number;
  /** Comments whose whole hunk was not at hand (the diff at their commit was not fetched). */
  unknownHunks: number;
  /** Comments on a hunk the dataset already shows. */
  duplicates: number;
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
  filesSeen: FilesSeen = new Map(),
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
    partialHunks: 0,
    unmatched: 0,
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

    const whole =
      wholeHunkFor(comment, comment.line, filesByPull.get(comment.pullNumber)) ??
      wholeHunkFor(
        comment,
        comment.originalLine,
        filesSeen.get(seenAt(comment.pullNumber, comment.originalCommitId)),
      );
    if (!whole && options.wholeHunksOnly) {
      stats.partialHunks++;
      continue;
    }
    const seenHunk = whole ?? diffHunkFor(comment);
    if (!seenHunk) {
      stats.unanchored++;
      continue;
    }
    const messages: ChatMessage[] = [
      ...hunkPrompt(history.reviewer, comment.path, seenHunk, options.maxHunkTokens, redactor),
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

  const { negatives, unmatched } = pickNegatives(
    history,
    filesByPull,
    positives,
    options.negativeRatio,
    options.maxHunkTokens,
    redactor,
  );
  const matched = positives.filter((_, index) => !unmatched.has(index));
  stats.unmatched = unmatched.size;
  stats.positives = matched.length;
  stats.negatives = negatives.length;

  const examples = [...matched, ...negatives];
  const evalPulls = heldOutPulls(history, examples, options.evalFraction);
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

export interface SeenHunk {
  hunk: Hunk;
  row: Hunk['rows'][number];
  anchor: Anchor;
}

/**
 * The whole hunk around `line` of the comment's file in `files`: the pull request's current
 * files with the comment's current line, or its files as of the commit the comment was written
 * on with its original line.
 */
export function wholeHunkFor(
  comment: { path: string; side: Side | null },
  line: number | null,
  files: PullFile[] | undefined,
): SeenHunk | undefined {
  const patch = files?.find((file) => file.filename === comment.path)?.patch;
  if (!patch || line === null) return undefined;
  const anchor = { line, side: comment.side ?? 'RIGHT' };
  for (const hunk of parsePatch(patch)) {
    const row = findRow(hunk, anchor);
    if (row) return { hunk, row, anchor };
  }
  return undefined;
}

/**
 * The prompt for a commented hunk, as the review step asks it: the hunk cut to the token budget
 * around the commented row, redacted.
 */
export function hunkPrompt(
  reviewer: string,
  path: string,
  seen: SeenHunk,
  maxHunkTokens: number,
  redactor: Redactor,
): ChatMessage[] {
  const index = seen.hunk.rows.indexOf(seen.row);
  const hunk = redactHunk(windowAround(seen.hunk, index, maxHunkTokens), redactor);
  return buildPrompt({ reviewer, tone: 'reviewer', path, hunk });
}

/** GitHub's diff_hunk of the comment, which ends at the commented line. */
function diffHunkFor(comment: PastComment): SeenHunk | undefined {
  const side = comment.side ?? 'RIGHT';
  const line = comment.originalLine ?? comment.line;
  const [hunk] = parsePatch(comment.diffHunk);
  if (!hunk || line === null) return undefined;
  const anchor = { line, side };
  const row = findRow(hunk, anchor);
  return row ? { hunk, row, anchor } : undefined;
}

/** The rows a prompt shows (its user message less the file and hunk header lines). */
function rowsShown(messages: ChatMessage[]): number {
  return (messages[1]?.content.split('\n').length ?? 2) - 2;
}

/** How far a negative's length may be from its positive's: a tenth, rounded down. */
function lengthTolerance(rows: number): number {
  return Math.floor(rows / 10);
}

/**
 * Hunks of the pull requests the reviewer reviewed that they left alone, `ratio` for each
 * positive, each of about that positive's length: reviewers comment more often on longer hunks,
 * which have more to comment on, and negatives of the positives' lengths keep a model from
 * deciding by length instead of by content. Candidates come in a stable pseudo-random order that
 * spreads the picks across pull requests and files; each hunk text is used once (the same hunk in
 * two pull requests would otherwise be in training and in the held-out set), and never one that a
 * positive shows. A positive for which no candidate within `lengthTolerance` is left in the first
 * round is returned in `unmatched`, to be left out (unless there is no candidate at all): a
 * reviewer who comments on every long hunk leaves no long negatives, and their long positives
 * alone would be a shortcut.
 */
function pickNegatives(
  history: History,
  filesByPull: Map<number, PullFile[]>,
  positives: Example[],
  ratio: number,
  maxHunkTokens: number,
  redactor: Redactor,
): { negatives: Example[]; unmatched: Set<number> } {
  const wanted = Math.round(positives.length * ratio);
  if (wanted === 0) return { negatives: [], unmatched: new Set() };
  const shownByPositives = new Set(positives.map((e) => e.messages[1]?.content));
  const candidates: { order: string; pr: number; path: string; prompt: ChatMessage[] }[] = [];
  const texts = new Set<string>();
  for (const [pr, files] of filesByPull) {
    const commented = history.comments.filter((c) => c.pullNumber === pr);
    for (const file of files) {
      if (!file.patch) continue;
      for (const whole of parsePatch(file.patch)) {
        const touched = commented.some(
          (c) =>
            c.path === file.filename &&
            [c.line, c.originalLine].some(
              (line) =>
                line !== null && whole.rows.some((r) => r.newLine === line || r.oldLine === line),
            ),
        );
        if (touched || whole.rows.length === 0) continue;
        const order = createHash('sha256')
          .update(`${pr}\u0000${file.filename}\u0000${whole.header}`)
          .digest('hex');
        // A hunk over the token budget is cut around a row, as a positive is around its
        // commented row: a window that always starts at the top would tell negatives apart.
        const row = Number.parseInt(order.slice(0, 8), 16) % whole.rows.length;
        const hunk = redactHunk(windowAround(whole, row, maxHunkTokens), redactor);
        const prompt = buildPrompt({
          reviewer: history.reviewer,
          tone: 'reviewer',
          path: file.filename,
          hunk,
        });
        const text = prompt[1]?.content ?? '';
        if (texts.has(text) || shownByPositives.has(text)) continue;
        texts.add(text);
        candidates.push({ order, pr, path: file.filename, prompt });
      }
    }
  }
  // Without any hunk left alone there is no negative to tell a positive from by length.
  if (candidates.length === 0) return { negatives: [], unmatched: new Set() };
  candidates.sort((a, b) => a.order.localeCompare(b.order));
  const picked: typeof candidates = [];
  const unmatched = new Set<number>();
  let drift = 0;
  for (let slot = 0; slot < wanted; slot++) {
    const positive = slot % positives.length;
    // A positive already left out needs no more negatives.
    if (unmatched.has(positive)) continue;
    const length = rowsShown(positives[positive]?.messages ?? []);
    const tolerance = lengthTolerance(length);
    // Within the tolerance, the candidate that keeps the negatives' lengths centred on the
    // positives' (nearest when exact lengths run out on one side), then the nearest.
    let best = -1;
    let bestCost: [number, number] = [Infinity, Infinity];
    for (const [index, candidate] of candidates.entries()) {
      const offset = rowsShown(candidate.prompt) - length;
      if (Math.abs(offset) > tolerance) continue;
      const cost: [number, number] = [Math.abs(drift + offset), Math.abs(offset)];
      if (cost[0] < bestCost[0] || (cost[0] === bestCost[0] && cost[1] < bestCost[1])) {
        [best, bestCost] = [index, cost];
      }
      if (cost[0] === 0 && cost[1] === 0) break;
    }
    if (best < 0) {
      if (slot < positives.length) unmatched.add(positive);
      continue;
    }
    drift += rowsShown(candidates[best]?.prompt ?? []) - length;
    picked.push(...candidates.splice(best, 1));
  }
  return {
    negatives: picked.map(({ pr, path, prompt }) => ({
      messages: [...prompt, { role: 'assistant', content: formatAnswer(undefined) }],
      meta: { pr, path, kind: 'negative' },
    })),
    unmatched,
  };
}

/**
 * The pull requests held out for evaluation: the newest ones, taken newest first while they add
 * to a kind of example (positive, negative) that has fewer than `fraction` of its examples held
 * out, so that both kinds are measured. A kind with fewer than two examples stays in training.
 */
function heldOutPulls(history: History, examples: Example[], fraction: number): Set<number> {
  const opened = new Map(history.pulls.map((p) => [p.number, p.createdAt]));
  for (const c of history.comments) {
    const known = opened.get(c.pullNumber);
    if (known === undefined || c.createdAt < known) opened.set(c.pullNumber, c.createdAt);
  }
  const newestFirst = [...new Set(examples.map((e) => e.meta.pr))].sort(
    (a, b) => (opened.get(b) ?? '').localeCompare(opened.get(a) ?? '') || b - a,
  );
  const held = new Set<number>();
  if (newestFirst.length < 2 || fraction <= 0) return held;
  const kinds = ['positive', 'negative'] as const;
  const count = (kind: Example['meta']['kind'], pulls?: Set<number>): number =>
    examples.filter((e) => e.meta.kind === kind && (!pulls || pulls.has(e.meta.pr))).length;
  const wanted = new Map(
    kinds.map((kind) => {
      const total = count(kind);
      return [kind, total < 2 ? 0 : Math.min(total - 1, Math.max(1, Math.round(total * fraction)))];
    }),
  );
  for (const pr of newestFirst) {
    const short = kinds.filter((kind) => count(kind, held) < (wanted.get(kind) ?? 0));
    if (short.length === 0) break;
    if (short.some((kind) => count(kind, new Set([pr])) > 0)) held.add(pr);
  }
  // Training keeps at least one pull request.
  if (held.size === newestFirst.length) held.delete(newestFirst.at(-1) ?? 0);
  return held;
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
