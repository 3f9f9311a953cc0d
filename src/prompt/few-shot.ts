import { findRow, parsePatch } from '../diff/hunks.js';
import { windowAround } from '../diff/windows.js';
import type { History, PastComment } from '../history/types.js';
import { cleanBody, rejection } from '../text/clean.js';
import type { Redactor } from '../text/redact.js';
import { formatAnswer, redactHunk, userMessage, type ChatMessage } from './prompt.js';

/**
 * A few of the reviewer's past comments as (user, assistant) turns, for a base model without
 * their adapter: each on the hunk as GitHub showed it to them (`diff_hunk`), in the same
 * prompt and answer format as training, newest first.
 */
export function fewShotExamples(
  comments: PastComment[],
  options: { count: number; maxHunkTokens: number; redactor: Redactor },
): ChatMessage[] {
  const examples: ChatMessage[] = [];
  const newestFirst = [...comments].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const comment of newestFirst) {
    if (examples.length / 2 >= options.count) break;
    const body = cleanBody(comment.body);
    if (comment.inReplyToId !== null || rejection(comment.body, body)) continue;
    const [hunk] = parsePatch(comment.diffHunk);
    const line = comment.originalLine ?? comment.line;
    if (!hunk || line === null) continue;
    const anchor = { line, side: comment.side ?? 'RIGHT' } as const;
    const row = findRow(hunk, anchor);
    if (!row) continue;
    const window = windowAround(hunk, hunk.rows.indexOf(row), options.maxHunkTokens);
    examples.push(
      { role: 'user', content: userMessage(comment.path, redactHunk(window, options.redactor)) },
      {
        role: 'assistant',
        content: formatAnswer({ anchor, body: options.redactor.redact(body) }),
      },
    );
  }
  return examples;
}

/** Past comments the base model is shown when the reviewer has no adapter. */
export const FEW_SHOT_EXAMPLES = 3;
/** The reviewer's most recent comments the review step collects to pick them from. */
export const FEW_SHOT_HISTORY = 30;
/** Examples only show the reviewer's words: a short window of their hunk is enough. */
const FEW_SHOT_HUNK_TOKENS = 256;

/**
 * The turns of the reviewer's `FEW_SHOT_EXAMPLES` most recent usable comments among the first
 * `FEW_SHOT_HISTORY` of `history` (newest first). The review step's base-model fallback sends
 * them before each hunk; the prepare step writes the same turns (from the history outside the
 * held-out pull requests) into the dataset's meta.json, so that the trainer's base-few-shot
 * baseline is asked exactly what users would get.
 */
export function fewShotTurns(history: History, redactor: Redactor): ChatMessage[] {
  return fewShotExamples(history.comments.slice(0, FEW_SHOT_HISTORY), {
    count: FEW_SHOT_EXAMPLES,
    maxHunkTokens: FEW_SHOT_HUNK_TOKENS,
    redactor,
  });
}

/** The few-shot turns for a dataset: from the history without its held-out pull requests. */
export function fewShotOutside(
  history: History,
  heldOut: Iterable<number>,
  redactor: Redactor,
): ChatMessage[] {
  const held = new Set(heldOut);
  return fewShotTurns(
    { ...history, comments: history.comments.filter((comment) => !held.has(comment.pullNumber)) },
    redactor,
  );
}
