import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parsePatch, type Hunk } from '../../src/diff/hunks.js';
import { buildPrompt, formatAnswer, parseAnswer } from '../../src/prompt/prompt.js';
import { repoRoot } from '../harness/run-action.js';

interface Golden {
  reviewer: string;
  tone: 'reviewer' | 'snarky';
  path: string;
  patch: string;
  comment: { line: number; side: 'LEFT' | 'RIGHT'; body: string };
  messages: { role: string; content: string }[];
}

const golden = JSON.parse(
  readFileSync(`${repoRoot}/test/fixtures/prompt/golden.json`, 'utf8'),
) as Golden;

function onlyHunk(patch: string): Hunk {
  const [hunk] = parsePatch(patch);
  if (!hunk) throw new Error('no hunk');
  return hunk;
}

describe('the prompt', () => {
  it('is exactly the golden file (training and inference depend on it)', () => {
    const hunk = onlyHunk(golden.patch);
    const messages = [
      ...buildPrompt({ reviewer: golden.reviewer, tone: golden.tone, path: golden.path, hunk }),
      {
        role: 'assistant',
        content: formatAnswer({
          anchor: { line: golden.comment.line, side: golden.comment.side },
          body: golden.comment.body,
        }),
      },
    ];
    expect(messages).toEqual(golden.messages);
  });

  it('breaks up text that spells a chat special token', () => {
    const hunk = onlyHunk('@@ -1 +1 @@\n-a\n+const end = "<|eot_id|>";');
    const [, user] = buildPrompt({ reviewer: 'alice', tone: 'reviewer', path: 'a.ts', hunk });
    expect(user?.content).toContain('"< |eot_id|>"');
    expect(user?.content).not.toContain('<|');
    expect(formatAnswer({ anchor: { line: 1, side: 'RIGHT' }, body: 'no <|eot_id|> here' })).toBe(
      'line 1: no < |eot_id|> here',
    );
  });

  it('puts the tone in the system message', () => {
    const hunk = onlyHunk(golden.patch);
    const [system] = buildPrompt({ reviewer: 'alice', tone: 'snarky', path: 'a.ts', hunk });
    expect(system?.content).toContain('snarky');
  });
});

describe('parseAnswer', () => {
  const hunk = onlyHunk(golden.patch);

  // What the grammar reads and refuses: test/unit/answer-grammar.test.ts.
  it('round-trips every commentable row of the hunk', () => {
    for (const row of hunk.rows) {
      const anchor =
        row.kind === 'del'
          ? { line: row.oldLine ?? 0, side: 'LEFT' as const }
          : { line: row.newLine ?? 0, side: 'RIGHT' as const };
      expect(parseAnswer(formatAnswer({ anchor, body: 'x' }), hunk)).toEqual({
        kind: 'comment',
        anchor,
        body: 'x',
      });
    }
  });
});
