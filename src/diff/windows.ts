import { countTokens } from '../text/tokens.js';
import type { Hunk } from './hunks.js';

/** Rough cost of a row's label and marker (`old line 1234: +`) on top of its text. */
const ROW_OVERHEAD = 6;

/**
 * A token never covers less than one byte, so a hunk whose bytes fit the budget fits in tokens:
 * most hunks are decided without loading the tokenizer.
 */
function surelyFits(hunk: Hunk, maxTokens: number): boolean {
  let bytes = Buffer.byteLength(hunk.header);
  for (const row of hunk.rows) bytes += Buffer.byteLength(row.text) + ROW_OVERHEAD;
  return bytes <= maxTokens;
}

function rowCosts(hunk: Hunk): number[] {
  return hunk.rows.map((row) => countTokens(row.text) + ROW_OVERHEAD);
}

function slice(hunk: Hunk, start: number, end: number): Hunk {
  return { header: hunk.header, rows: hunk.rows.slice(start, end) };
}

/**
 * The largest run of rows around row `index` whose tokens fit `maxTokens`, growing downwards
 * first and then upwards, so the model sees what leads to the line and a little after it.
 */
export function windowAround(hunk: Hunk, index: number, maxTokens: number): Hunk {
  if (surelyFits(hunk, maxTokens)) return hunk;
  const costs = rowCosts(hunk);
  let start = index;
  let end = index + 1;
  let total = (costs[index] ?? 0) + countTokens(hunk.header);
  for (let grew = true; grew;) {
    grew = false;
    const below = costs[end];
    if (below !== undefined && total + below <= maxTokens) {
      total += below;
      end++;
      grew = true;
    }
    const above = costs[start - 1];
    if (above !== undefined && total + above <= maxTokens) {
      total += above;
      start--;
      grew = true;
    }
  }
  return slice(hunk, start, end);
}

/** Cuts a hunk into consecutive windows that each fit `maxTokens` (a row larger than that stands alone). */
export function splitIntoWindows(hunk: Hunk, maxTokens: number): Hunk[] {
  if (surelyFits(hunk, maxTokens)) return [hunk];
  const costs = rowCosts(hunk);
  const budget = maxTokens - countTokens(hunk.header);
  const windows: Hunk[] = [];
  let start = 0;
  let total = 0;
  costs.forEach((cost, index) => {
    if (index > start && total + cost > budget) {
      windows.push(slice(hunk, start, index));
      start = index;
      total = 0;
    }
    total += cost;
  });
  if (start < hunk.rows.length) windows.push(slice(hunk, start, hunk.rows.length));
  return windows;
}
