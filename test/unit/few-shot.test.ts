import { describe, expect, it } from '@jest/globals';
import type { PastComment } from '../../src/history/types.js';
import { fewShotExamples } from '../../src/prompt/few-shot.js';
import { formatAnswer, userMessage } from '../../src/prompt/prompt.js';
import { parsePatch } from '../../src/diff/hunks.js';
import { Redactor } from '../../src/text/redact.js';

// Assembled at run time so that secret scanners do not flag this file.
const token = ['ghp', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('_');
const HUNK = `@@ -1,2 +1,3 @@\n const a = 1;\n+const token = '${token}';\n+const b = 2;`;

function comment(id: number, overrides: Partial<PastComment> = {}): PastComment {
  return {
    id,
    pullNumber: id,
    body: `Comment ${id}: keep ${token} out of the code.`,
    path: 'src/a.ts',
    diffHunk: HUNK,
    line: 2,
    originalLine: 2,
    side: 'RIGHT',
    startLine: null,
    commitId: 'a'.repeat(40),
    originalCommitId: 'a'.repeat(40),
    inReplyToId: null,
    createdAt: `2026-01-0${id}T10:00:00Z`,
    updatedAt: `2026-01-0${id}T10:00:00Z`,
    ...overrides,
  };
}

describe('fewShotExamples', () => {
  it('turns the newest usable comments into turns of the training prompt, redacted', async () => {
    const comments = [
      comment(1),
      comment(2, { inReplyToId: 1 }),
      comment(3, { body: '+1' }),
      comment(4),
      comment(5),
    ];
    const redactor = new Redactor();
    await redactor.scan(comments.flatMap((c) => [c.body, c.diffHunk]));
    const examples = fewShotExamples(comments, { count: 2, maxHunkTokens: 256, redactor });

    const [hunk] = parsePatch(HUNK.replace(token, '[REDACTED:github]'));
    if (!hunk) throw new Error('the test hunk does not parse');
    expect(examples).toEqual([
      { role: 'user', content: userMessage('src/a.ts', hunk) },
      {
        role: 'assistant',
        content: formatAnswer({
          anchor: { line: 2, side: 'RIGHT' },
          body: 'Comment 5: keep [REDACTED:github] out of the code.',
        }),
      },
      { role: 'user', content: userMessage('src/a.ts', hunk) },
      {
        role: 'assistant',
        content: formatAnswer({
          anchor: { line: 2, side: 'RIGHT' },
          body: 'Comment 4: keep [REDACTED:github] out of the code.',
        }),
      },
    ]);
    expect(JSON.stringify(examples)).not.toContain(token);
  });
});
