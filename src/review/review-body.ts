import { acceptanceLine } from '../feedback/acceptance.js';
import type { AdapterRecord } from '../store/reviewer-store.js';
import type { EngineResult } from './engine.js';
import type { InlineComment } from './post-review.js';
import type { SkippedFile } from './select-files.js';

export interface ReviewReport {
  reviewer: string;
  adapter?: AdapterRecord;
  /** Why the base model reviews instead of an adapter, when it does. */
  fallback?: string;
  engine: EngineResult;
  skipped: SkippedFile[];
  posted: number;
  maxComments: number;
  /** Comments worth posting that max-comments left out. */
  overLimit: number;
  headMoved?: { from: string; to: string };
}

/** The trainer's models in the order its metrics table shows them (training-runner report.py). */
const MODELS: [string, string][] = [
  ['base-few-shot', 'base model + examples'],
  ['always-comment', 'always comment'],
  ['never-comment', 'never comment'],
];

/**
 * One line of the adapter's held-out numbers beside its baselines': the gate's review score
 * with the comment decision's MCC in brackets. A record without a number shows no model for it.
 */
function comparison(adapter: AdapterRecord): string | undefined {
  const shown = (m: Record<string, number> | undefined): string | undefined =>
    m?.score === undefined
      ? undefined
      : `${m.score.toFixed(3)}${m.mcc === undefined ? '' : ` (${m.mcc.toFixed(2)})`}`;
  const adapterNumbers = shown(adapter.metrics);
  if (!adapterNumbers) return undefined;
  const models = [
    `adapter ${adapterNumbers}`,
    ...MODELS.flatMap(([key, label]) => {
      const numbers = shown(adapter.baselines?.[key]);
      return numbers ? [`${label} ${numbers}`] : [];
    }),
  ];
  return `Held-out review score (comment decision MCC): ${models.join(' · ')}.`;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The review's body: whose voice, which adapter, what was looked at, and what could not be placed. */
export function renderReviewBody(
  report: ReviewReport,
  inBody: InlineComment[],
  commit: string,
): string {
  const { engine, adapter } = report;
  const lines = [`**tech-lead-bot**, reviewing in the style of \`${report.reviewer}\`.`, ''];
  if (adapter) {
    const compared = comparison(adapter);
    lines.push(
      `Adapter \`${adapter.id}\`, trained ${adapter.createdAt.slice(0, 10)} on ${adapter.comments} review comments.${compared ? ` ${compared}` : ''}`,
    );
    if (adapter.acceptance) {
      lines.push(acceptanceLine(adapter.acceptance.counts, adapter.acceptance.checkedAt));
    }
  }
  if (report.fallback) lines.push(`⚠️ ${report.fallback}`);
  const { headMoved } = report;
  if (headMoved) {
    const [from, to] = [headMoved.from.slice(0, 7), headMoved.to.slice(0, 7)];
    lines.push(
      commit === headMoved.from
        ? `⚠️ The branch moved from ${from} to ${to} during the review: these comments are on ${from}.`
        : `⚠️ The branch moved from ${from} to ${to} during the review: the comments on lines are on ${commit.slice(0, 7)}, where their lines still read the same${inBody.length ? `; the ones below are on ${from}` : ''}.`,
    );
  }
  lines.push(
    '',
    `Hunks: ${engine.hunks} seen, ${report.posted} commented, ${engine.silent} left alone${engine.unreadable ? `, ${engine.unreadable} unreadable answers dropped` : ''}${engine.failed ? `, ${engine.failed} not reviewed (model errors)` : ''}. Files skipped: ${report.skipped.length}. Latency p50 ${percentile(engine.latenciesMs, 50)} ms, p95 ${percentile(engine.latenciesMs, 95)} ms.`,
  );
  if (report.maxComments === 0) {
    lines.push(
      '',
      `max-comments is 0, so no comment is posted on a line (${report.overLimit} would have been).`,
    );
  } else if (report.overLimit > 0) {
    lines.push(
      '',
      `${report.overLimit} more comments were left out by max-comments (${report.maxComments}).`,
    );
  }
  if (inBody.length > 0) {
    lines.push('', 'Comments GitHub would not place on a line of the current diff:');
    for (const c of inBody)
      lines.push(`- \`${c.path}\` ${c.side === 'LEFT' ? 'old ' : ''}line ${c.line}: ${c.body}`);
  }
  return lines.join('\n');
}
