import { describe, expect, it } from '@jest/globals';
import { HABIT_LINE, habitCorpus } from '../harness/habits.js';

/** The learning test's committed corpus says what it claims (test/fixtures/habits/write.ts). */
describe('the habit corpus', () => {
  const corpus = habitCorpus();

  it.each([
    ['train', 24],
    ['heldOut', 16],
  ] as const)('%s: %i hunks, half of them commented, each on its one habit line', (split, n) => {
    const items = corpus[split];
    expect(items).toHaveLength(n);
    expect(items.filter((item) => item.line !== undefined)).toHaveLength(n / 2);
    for (const { hunk, line } of items) {
      const habit = hunk.rows.filter((row) => HABIT_LINE.test(row.text));
      expect(habit.map((row) => row.newLine)).toEqual(line === undefined ? [] : [line]);
    }
  });

  it('holds out other files than it trains on', () => {
    const trained = new Set(corpus.train.map((item) => item.path));
    expect(corpus.heldOut.filter((item) => trained.has(item.path))).toEqual([]);
  });
});
