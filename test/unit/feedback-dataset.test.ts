import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { toJsonl } from '../../src/dataset/build.js';
import { withFeedback } from '../../src/dataset/feedback.js';
import type { Verdict } from '../../src/feedback/types.js';
import { readReply } from '../../src/feedback/verdict.js';
import { fixtureFeedback, fixtureFeedbackDataset } from '../fixtures/dataset/feedback.js';
import { fixtureDataset } from '../fixtures/dataset/history.js';
import { repoRoot } from '../harness/run-action.js';

const options = { reviewer: 'alice', maxHunkTokens: 256 };

/**
 * The dataset with one feedback item, the fixture's first (approved, PR 9 line 2), changed: its
 * verdict, and the correction collection keeps of the reviewer's reply (collect.ts).
 */
function withOne(verdict: Verdict, reply?: string): ReturnType<typeof withFeedback> {
  const { feedback, seen } = fixtureFeedback();
  const [first] = feedback.items;
  if (!first) throw new Error('the fixture has feedback items');
  const correction = reply === undefined ? '' : readReply(reply).rest;
  const item = { ...first, verdict, ...(correction ? { correction } : {}) };
  return withFeedback(fixtureDataset(), { ...feedback, items: [item] }, seen, options);
}

describe('withFeedback', () => {
  it('adds the golden feedback.jsonl to the training split', () => {
    const before = fixtureDataset();
    const after = fixtureFeedbackDataset();
    const committed = readFileSync(`${repoRoot}/test/fixtures/dataset/feedback.jsonl`, 'utf8');
    // Regenerate with: npx tsx test/fixtures/dataset/write.ts
    expect(after.train.slice(0, before.train.length)).toEqual(before.train);
    expect(toJsonl(after.train.slice(before.train.length))).toBe(committed);
  });

  it('leaves the held-out set as it was', () => {
    expect(fixtureFeedbackDataset().eval).toEqual(fixtureDataset().eval);
  });

  it('counts what each item became', () => {
    expect(fixtureFeedbackDataset().stats.feedback).toEqual({
      positives: 2,
      negatives: 2,
      corrections: 1,
      ignored: 1,
      unknownHunks: 1,
      duplicates: 1,
    });
  });

  it.each<[Verdict, string | undefined, string, string]>([
    [
      'approved',
      undefined,
      'feedback-positive',
      'line 2: Bot remark 901: consider a clearer name here.',
    ],
    [
      'addressed',
      undefined,
      'feedback-positive',
      'line 2: Bot remark 901: consider a clearer name here.',
    ],
    ['turned-down', undefined, 'feedback-negative', 'NO COMMENT'],
    ['turned-down', 'Nope!', 'feedback-negative', 'NO COMMENT'],
    ['turned-down', 'No 🙂', 'feedback-negative', 'NO COMMENT'],
    [
      'turned-down',
      'No — rename the map instead.',
      'feedback-correction',
      'line 2: Rename the map instead.',
    ],
    // The refusal is taken off once: what follows is the reviewer's own words, "No need" included.
    [
      'turned-down',
      'Wrong. No need for a cast here.',
      'feedback-correction',
      'line 2: No need for a cast here.',
    ],
  ])('%s with reply %p becomes a %s example: %s', (verdict, reply, kind, answer) => {
    const dataset = withOne(verdict, reply);
    const added = dataset.train.slice(fixtureDataset().train.length);
    expect(added).toHaveLength(1);
    expect(added[0]?.meta).toEqual({ pr: 9, path: 'src/handler9.ts', kind, commentId: 901 });
    expect(added[0]?.messages[2]).toEqual({ role: 'assistant', content: answer });
    // The bot's comment is the refused side of a turned-down example's pair, and only of those.
    expect(added[0]?.rejected).toBe(
      verdict === 'turned-down'
        ? 'line 2: Bot remark 901: consider a clearer name here.'
        : undefined,
    );
  });

  it('makes no pair of a correction that repeats the bot’s comment', () => {
    // The trainer refuses a pair whose two sides are the same answer (dataset.py).
    const dataset = withOne('turned-down', 'No, bot remark 901: consider a clearer name here.');
    const added = dataset.train.slice(fixtureDataset().train.length);
    expect(added).toHaveLength(1);
    expect(added[0]?.meta.kind).toBe('feedback-correction');
    expect(added[0]?.messages[2]?.content).toBe(
      'line 2: Bot remark 901: consider a clearer name here.',
    );
    expect(added[0]).not.toHaveProperty('rejected');
  });

  it('makes nothing of an ignored comment', () => {
    const dataset = withOne('ignored');
    expect(dataset.train).toHaveLength(fixtureDataset().train.length);
    expect(dataset.stats.feedback?.ignored).toBe(1);
  });

  it('shows the whole hunk exactly as the reviewer’s own examples do', () => {
    // PR 1's first hunk is a positive of the fixture: the turned-down comment on it is dropped.
    const own = fixtureDataset().train.find((e) => e.meta.pr === 1 && e.meta.kind === 'positive');
    const { feedback, seen } = fixtureFeedback();
    const onPr1 = feedback.items.filter((i) => i.comment.pullNumber === 1);
    expect(onPr1).toHaveLength(1);
    const dataset = withFeedback(fixtureDataset(), { ...feedback, items: onPr1 }, seen, options);
    expect(own).toBeDefined();
    expect(dataset.stats.feedback?.duplicates).toBe(1);
    expect(dataset.train).toEqual(fixtureDataset().train);
  });

  it('keeps the newest comment’s feedback of several on one hunk', () => {
    const { feedback, seen } = fixtureFeedback();
    const [approved] = feedback.items;
    if (!approved) throw new Error('the fixture has feedback items');
    const later = {
      ...approved,
      comment: { ...approved.comment, id: 999, createdAt: '2026-03-05T00:00:00Z' },
      verdict: 'turned-down' as const,
    };
    const dataset = withFeedback(
      fixtureDataset(),
      { ...feedback, items: [approved, later] },
      seen,
      options,
    );
    const added = dataset.train.slice(fixtureDataset().train.length);
    expect(added.map((e) => [e.meta.kind, e.meta.commentId])).toEqual([['feedback-negative', 999]]);
    expect(dataset.stats.feedback?.duplicates).toBe(1);
  });
});
