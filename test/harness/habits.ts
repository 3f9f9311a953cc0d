import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parsePatch, type Hunk } from '../../src/diff/hunks.js';
import type { Example } from '../../src/dataset/build.js';
import { buildPrompt, formatAnswer } from '../../src/prompt/prompt.js';
import { repoRoot } from './run-action.js';

/**
 * A reviewer with one plain habit, over real code: this project's own TypeScript, cut into
 * three-line hunks as if each were added. On a line that declares with `let` the reviewer
 * always writes the same remark; every other hunk they leave alone. Hunks come from different
 * files in training and held out, so a model can only pass by learning the habit.
 */
export const REVIEWER = 'alice';
export const REMARK = 'Prefer const: nothing reassigns this.';
const HABIT_LINE = /^\s*let\s/;
const WINDOW = 3;

export interface HabitHunk {
  path: string;
  hunk: Hunk;
  /** The line the reviewer comments on, or undefined where they stay silent. */
  line: number | undefined;
}

export function habitExample(item: HabitHunk, pr: number, answer?: string): Example {
  const prompt = buildPrompt({
    reviewer: REVIEWER,
    tone: 'reviewer',
    path: item.path,
    hunk: item.hunk,
  });
  const reference =
    item.line === undefined
      ? formatAnswer(undefined)
      : formatAnswer({ anchor: { line: item.line, side: 'RIGHT' }, body: REMARK });
  const content = answer ?? reference;
  return {
    messages: [...prompt, { role: 'assistant', content }],
    meta: {
      pr,
      path: item.path,
      kind: content === formatAnswer(undefined) ? 'negative' : 'positive',
    },
  };
}

/** As many silent hunks as commented ones, for training and for the held-out set. */
export function habitCorpus(perSplit: { train: number; heldOut: number }): {
  train: HabitHunk[];
  heldOut: HabitHunk[];
} {
  const files = sourceFiles();
  // Every fourth file is held out.
  const split = { train: [] as string[], heldOut: [] as string[] };
  files.forEach((file, i) => (i % 4 === 1 ? split.heldOut : split.train).push(file));
  return {
    train: pick(split.train, perSplit.train),
    heldOut: pick(split.heldOut, perSplit.heldOut),
  };
}

function pick(files: string[], count: number): HabitHunk[] {
  const commented: HabitHunk[] = [];
  const silent: HabitHunk[] = [];
  for (const file of files) {
    const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
    // Silent hunks: the file in consecutive windows; commented ones: a window around each
    // habit line, on the same row of every window of one file (the row moves from file to file).
    const starts = new Set<number>();
    for (let start = 0; start + WINDOW <= lines.length; start += WINDOW) starts.add(start);
    lines.forEach((line, i) => {
      if (HABIT_LINE.test(line)) starts.add(Math.max(0, i - (commented.length % WINDOW)));
    });
    for (const start of [...starts].sort((x, y) => x - y)) {
      const window = lines.slice(start, start + WINDOW);
      // Short, non-blank lines: hunks the model can read in a few tokens.
      if (window.length < WINDOW || window.some((l) => !l.trim() || l.length > 90)) continue;
      const habit = window.flatMap((l, i) => (HABIT_LINE.test(l) ? [start + 1 + i] : []));
      if (habit.length > 1) continue;
      const patch = [
        `@@ -${start},0 +${start + 1},${WINDOW} @@`,
        ...window.map((l) => `+${l}`),
      ].join('\n');
      const [hunk] = parsePatch(patch);
      if (!hunk) continue;
      (habit.length ? commented : silent).push({ path: file, hunk, line: habit[0] });
    }
  }
  const half = Math.floor(count / 2);
  if (commented.length < half || silent.length < half)
    throw new Error(
      `${commented.length} commented and ${silent.length} silent hunks; need ${half} each`,
    );
  // Spread over the files rather than the first few; alternating kinds.
  const spread = (items: HabitHunk[]) =>
    Array.from(
      { length: half },
      (_, i) => items[Math.floor((i * items.length) / half)] as HabitHunk,
    );
  const a = spread(commented);
  const b = spread(silent);
  return a.flatMap((item, i) => [item, b[i] as HabitHunk]);
}

function sourceFiles(): string[] {
  return ['src', 'test', 'bench', 'demo']
    .flatMap((dir) =>
      readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ts'))
        .map((name) => relative(repoRoot, join(repoRoot, dir, name))),
    )
    .sort();
}
