/**
 * Benchmarks: `npm run bench -- <name>` (or `all`). Each prints one JSON object per line:
 * {"metric", "value", "unit"} plus "limit_value" / "seed_value" where there is a comparison, or,
 * for `quality`, a QualityRow: {"metric": "quality", "reviewer", "model", <one key per number>}.
 */
import { quality } from './quality.js';
import { review } from './review.js';
import { scrape } from './scrape.js';
import { startup } from './startup.js';

export interface Measurement {
  metric: string;
  value: number;
  unit: string;
  limit_value?: number;
  seed_value?: number;
  /** For measurements of one reviewer of the quality benchmark. */
  reviewer?: string;
}

/** One row of the quality benchmark's table: one model's held-out numbers for one reviewer. */
export interface QualityRow {
  metric: 'quality';
  reviewer: string;
  model: string;
  [column: string]: number | string;
}

type Line = Measurement | QualityRow;

/** A long benchmark yields its lines as it goes, so that what is done shows before the end. */
const BENCHMARKS: Record<string, () => Promise<Line[]> | AsyncIterable<Line>> = {
  startup,
  scrape,
  review,
  quality,
};

const name = process.argv[2] ?? 'all';
const chosen = name === 'all' ? Object.keys(BENCHMARKS) : [name];
for (const key of chosen) {
  const bench = BENCHMARKS[key];
  if (!bench) {
    console.error(
      `Unknown benchmark '${key}'. Choose one of: ${Object.keys(BENCHMARKS).join(', ')}, all.`,
    );
    process.exit(2);
  }
  for await (const measurement of await bench()) console.log(JSON.stringify(measurement));
}
