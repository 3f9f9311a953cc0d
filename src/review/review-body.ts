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
  headMoved?: { from: string; to: string };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The review's body: whose voice, which adapter, what was looked at, and what could not be placed. */
export function renderReviewBody(report: ReviewReport, inBody: InlineComment[]): string {
  const { engine, adapter } = report;
  const lines = [`**tech-lead-bot**, reviewing in the style of \`${report.reviewer}\`.`, ''];
  if (adapter) {
    const metrics = Object.entries(adapter.metrics ?? {})
      .map(([name, value]) => `${name} ${Number.isInteger(value) ? value : value.toFixed(3)}`)
      .join(', ');
    lines.push(
      `Adapter \`${adapter.id}\`, trained ${adapter.createdAt.slice(0, 10)} on ${adapter.comments} review comments${metrics ? ` (eval: ${metrics})` : ''}.`,
    );
  }
  if (report.fallback) lines.push(`⚠️ ${report.fallback}`);
  if (report.headMoved) {
    lines.push(
      `⚠️ The branch moved from ${report.headMoved.from.slice(0, 7)} to ${report.headMoved.to.slice(0, 7)} during the review: these comments are on ${report.headMoved.from.slice(0, 7)}.`,
    );
  }
  lines.push(
    '',
    `Hunks: ${engine.hunks} seen, ${report.posted} commented, ${engine.silent} left alone${engine.unreadable ? `, ${engine.unreadable} unreadable answers dropped` : ''}${engine.failed ? `, ${engine.failed} not reviewed (model errors)` : ''}. Files skipped: ${report.skipped.length}. Latency p50 ${percentile(engine.latenciesMs, 50)} ms, p95 ${percentile(engine.latenciesMs, 95)} ms.`,
  );
  if (inBody.length > 0) {
    lines.push('', 'Comments GitHub would not place on a line of the current diff:');
    for (const c of inBody)
      lines.push(`- \`${c.path}\` ${c.side === 'LEFT' ? 'old ' : ''}line ${c.line}: ${c.body}`);
  }
  return lines.join('\n');
}
