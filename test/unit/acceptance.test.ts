import { describe, expect, it } from '@jest/globals';
import { acceptance, acceptanceLine, feedbackReceived } from '../../src/feedback/acceptance.js';
import { fixtureFeedback } from '../fixtures/dataset/feedback.js';

describe('acceptance', () => {
  const { items } = fixtureFeedback().feedback;

  it.each([
    // The fixture's odd comment ids are adapter 0123…'s, the even ones fedc…'s.
    ['0123456789abcdef', { approved: 2, 'turned-down': 3, addressed: 1, ignored: 0 }],
    ['fedcba9876543210', { approved: 0, 'turned-down': 1, addressed: 0, ignored: 1 }],
    ['another', { approved: 0, 'turned-down': 0, addressed: 0, ignored: 0 }],
  ])('counts the verdicts on adapter %s’s comments only', (adapterId, counts) => {
    expect(items).toHaveLength(8);
    expect(acceptance(items, adapterId)).toEqual(counts);
  });

  it('counts every verdict but ignored as feedback received', () => {
    expect(feedbackReceived({ approved: 12, 'turned-down': 3, addressed: 5, ignored: 20 })).toBe(
      20,
    );
  });

  it.each([
    [
      undefined,
      "Feedback on this adapter's earlier comments: 12 approved · 3 turned down · 5 addressed · 20 ignored.",
    ],
    [
      '2026-03-20T06:00:00.000Z',
      "Feedback on this adapter's earlier comments (as of 2026-03-20): 12 approved · 3 turned down · 5 addressed · 20 ignored.",
    ],
  ])('says the counts in one line (checked at %p)', (checkedAt, line) => {
    expect(
      acceptanceLine({ approved: 12, 'turned-down': 3, addressed: 5, ignored: 20 }, checkedAt),
    ).toBe(line);
  });
});
