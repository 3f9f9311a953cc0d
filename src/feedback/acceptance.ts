import { VERDICTS, type AcceptanceCounts, type FeedbackItem, type Verdict } from './types.js';

/** How many of the adapter's comments ended with each verdict; other adapters' comments aside. */
export function acceptance(items: readonly FeedbackItem[], adapterId: string): AcceptanceCounts {
  const counts: AcceptanceCounts = { approved: 0, 'turned-down': 0, addressed: 0, ignored: 0 };
  for (const item of items) {
    if (item.comment.adapterId === adapterId) counts[item.verdict]++;
  }
  return counts;
}

/**
 * The verdicts that say something about the adapter: everything but 'ignored'. Enough of them
 * make a retrained adapter worth it (the stale-after-feedback input).
 */
export function feedbackReceived(counts: AcceptanceCounts): number {
  return counts.approved + counts['turned-down'] + counts.addressed;
}

const WORDS: Record<Verdict, string> = {
  approved: 'approved',
  'turned-down': 'turned down',
  addressed: 'addressed',
  ignored: 'ignored',
};

/**
 * The one line the status comment and the review body show (contracts/status-comment/README.md,
 * "Acceptance"): "Feedback on this adapter's earlier comments (as of 2026-03-20): 12 approved ·
 * 3 turned down · 5 addressed · 20 ignored."
 */
export function acceptanceLine(counts: AcceptanceCounts, checkedAt?: string): string {
  const parts = VERDICTS.map((verdict) => `${counts[verdict]} ${WORDS[verdict]}`);
  const asOf = checkedAt ? ` (as of ${checkedAt.slice(0, 10)})` : '';
  return `Feedback on this adapter's earlier comments${asOf}: ${parts.join(' · ')}.`;
}
