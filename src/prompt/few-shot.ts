import { findRow, parsePatch } from '../diff/hunks.js';
import { windowAround } from '../diff/windows.js';
import type { PastComment } from '../history/types.js';
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
