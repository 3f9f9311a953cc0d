import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parsePatch } from '../../src/diff/hunks.js';
import { label, parseAnswer, userMessage } from '../../src/prompt/prompt.js';
import { repoRoot } from '../harness/run-action.js';

/** contracts/answer-grammar.json: the cases the trainer's evaluation is tested on too. */
interface Grammar {
  hunk: { path: string; patch: string; prompt: string };
  cases: {
    name: string;
    answer: string;
    expected: { kind: 'none' | 'unreadable' } | { kind: 'comment'; label: string; body: string };
  }[];
}

const grammar = JSON.parse(
  readFileSync(`${repoRoot}/contracts/answer-grammar.json`, 'utf8'),
) as Grammar;
const [hunk] = parsePatch(grammar.hunk.patch);

describe('the answer grammar (contracts/answer-grammar.json)', () => {
  it('has cases of every kind, on the prompt the review step sends', () => {
    const kinds = new Set(grammar.cases.map((c) => c.expected.kind));
    expect([...kinds].sort()).toEqual(['comment', 'none', 'unreadable']);
    expect(hunk && userMessage(grammar.hunk.path, hunk)).toBe(grammar.hunk.prompt);
  });

  it.each(grammar.cases.map((c) => [c.name, c] as const))('reads %s', (_name, c) => {
    if (!hunk) throw new Error('the golden patch has no hunk');
    const parsed = parseAnswer(c.answer, hunk);
    const read =
      parsed.kind === 'comment'
        ? { kind: 'comment', label: label(parsed.anchor), body: parsed.body }
        : { kind: parsed.kind };
    expect(read).toEqual(c.expected);
  });
});
