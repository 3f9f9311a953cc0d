import type { History } from '../history/types.js';
import type { ChatMessage } from '../prompt/prompt.js';
import { buildDataset } from './build.js';

/** Past comments the base model is shown when the reviewer has no adapter. */
export const FEW_SHOT_EXAMPLES = 3;
/** The reviewer's most recent comments the review step collects to pick them from. */
export const FEW_SHOT_HISTORY = 30;
/** Examples only show the reviewer's words: a short window of their hunk is enough. */
const FEW_SHOT_HUNK_TOKENS = 256;

/**
 * The (user, assistant) turns of the reviewer's `FEW_SHOT_EXAMPLES` most recent usable comments
 * among the first `FEW_SHOT_HISTORY` of `history` (newest first), each on GitHub's diff_hunk. The
 * review step's base-model fallback sends them before each hunk; the prepare step writes the
 * same turns (from the history outside the held-out pull requests) into the dataset's meta.json,
 * so that the trainer's base-few-shot baseline is asked exactly what users would get.
 */
export function fewShotTurns(history: History): ChatMessage[] {
  const recent = { ...history, comments: history.comments.slice(0, FEW_SHOT_HISTORY) };
  const examples = buildDataset(recent, new Map(), {
    maxHunkTokens: FEW_SHOT_HUNK_TOKENS,
    negativeRatio: 0,
    evalFraction: 0,
    wholeHunksOnly: false,
  }).train;
  return examples.slice(0, FEW_SHOT_EXAMPLES).flatMap((example) => example.messages.slice(1));
}

/** The few-shot turns for a dataset: from the history without its held-out pull requests. */
export function fewShotOutside(history: History, heldOut: Iterable<number>): ChatMessage[] {
  const held = new Set(heldOut);
  return fewShotTurns({
    ...history,
    comments: history.comments.filter((comment) => !held.has(comment.pullNumber)),
  });
}
