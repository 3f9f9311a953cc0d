import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { commentProbability, type TokenLogprob } from '../../src/review/confidence.js';
import { repoRoot } from '../harness/run-action.js';

const golden = JSON.parse(readFileSync(`${repoRoot}/contracts/confidence-cases.json`, 'utf8')) as {
  cases: { name: string; tokens: TokenLogprob[]; confidence: number }[];
};

describe('commentProbability (contracts/confidence.md)', () => {
  it('has golden cases to check', () => {
    expect(golden.cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(commentProbability(c.tokens)).toBeCloseTo(c.confidence, 9);
  });
});
