import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePatch, type Hunk } from '../../src/diff/hunks.js';
import type { Example } from '../../src/dataset/build.js';
import { buildPrompt, formatAnswer } from '../../src/prompt/prompt.js';
import { repoRoot } from './run-action.js';

/**
 * A reviewer with one plain habit, over real code: this project's own TypeScript, cut into
 * three-line hunks as if each were added. On a line that declares with `let` the reviewer
 * always writes the same remark; every other hunk they leave alone. Hunks come from different
 * files in training and held out, so a model can only pass by learning the habit. The hunks
 * are a committed fixture (test/fixtures/habits/), so that editing the project's code does not
 * change what the learning test learns.
 */
export const REVIEWER = 'alice';
export const REMARK = 'Prefer const: nothing reassigns this.';
export const HABIT_LINE = /^\s*let\s/;

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

/** One hunk of the fixture as written: its patch text rather than the parsed rows. */
export interface HabitHunkFile {
  path: string;
  patch: string;
  line: number | null;
}

/** The committed corpus: as many silent hunks as commented ones in each split. */
export function habitCorpus(): { train: HabitHunk[]; heldOut: HabitHunk[] } {
  const file = join(repoRoot, 'test/fixtures/habits/corpus.json');
  const corpus = JSON.parse(readFileSync(file, 'utf8')) as Record<
    'train' | 'heldOut',
    HabitHunkFile[]
  >;
  const read = (items: HabitHunkFile[]): HabitHunk[] =>
    items.map(({ path, patch, line }) => {
      const [hunk] = parsePatch(patch);
      if (!hunk) throw new Error(`${file}: no hunk in the patch of ${path}`);
      return { path, hunk, line: line ?? undefined };
    });
  return { train: read(corpus.train), heldOut: read(corpus.heldOut) };
}
