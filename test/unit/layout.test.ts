/**
 * The tree shows DESIGN.md's flow (STYLE.md, "Folders show the flow"): each folder of src/ is one
 * concern, imports only the concerns below it, and src/steps/ holds the TypeScript jobs of the
 * workflow (prepare, review) and the named phases of those jobs, nothing else. Read from the
 * sources' own import lines, so a new upward import (the review step building a dataset, a diff
 * utility reaching into the dataset builder) fails here.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../harness/run-action.js';

const SRC = join(repoRoot, 'src');

/** What each concern may import besides itself; top-level files count as concerns too. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  errors: [],
  text: ['errors'],
  github: ['errors'],
  trigger: ['errors', 'github'],
  settings: ['errors', 'trigger'],
  // The manifest keeps an adapter's acceptance counts (a feedback type).
  store: ['errors', 'settings', 'feedback'],
  diff: ['errors', 'text'],
  history: ['errors', 'text', 'github', 'diff'],
  // Whose feedback counts is a setting, and a writer is checked as the trigger checks one.
  feedback: ['errors', 'text', 'github', 'trigger', 'settings', 'diff', 'history'],
  prompt: ['errors', 'text', 'diff', 'history', 'settings'],
  dataset: ['errors', 'text', 'diff', 'history', 'prompt', 'feedback'],
  // The review stage reads hunks and prompts; it never builds a dataset.
  review: ['errors', 'text', 'github', 'settings', 'store', 'diff', 'prompt', 'feedback'],
  steps: [
    'errors',
    'text',
    'github',
    'trigger',
    'settings',
    'store',
    'diff',
    'history',
    'feedback',
    'prompt',
    'dataset',
    'review',
  ],
  main: ['errors', 'github', 'settings', 'steps'],
  // The entry point's quick pre-filter loads before the bundle (src/index.ts).
  index: ['trigger', 'main'],
};

/** src/steps/: the jobs of DESIGN.md's shape, and the phases each job is split into. */
const STEPS: Record<string, string> = {
  'prepare.ts': 'the prepare job',
  'training-set.ts': "the prepare job's phase after the adapter look-up: history, dataset, upload",
  'review.ts': 'the review job',
  'progress.ts': 'the status comment both jobs write to',
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function concern(path: string): string {
  const [first = ''] = relative(SRC, path).split('/');
  return first.replace(/\.ts$/, '');
}

function localImports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)].map(
    ([, target = '']) => resolve(dirname(path), `${target}.ts`),
  );
}

describe('the source tree', () => {
  const files = sources(SRC);

  test('every concern of src/ is in the layering', () => {
    expect(files.length).toBeGreaterThan(40);
    const unknown = [...new Set(files.map(concern))].filter((name) => !(name in MAY_IMPORT));
    expect(unknown).toEqual([]);
  });

  test('each concern imports only the concerns below it', () => {
    const imports = files.flatMap((file) =>
      localImports(file).map((target) => ({ file, from: concern(file), to: concern(target) })),
    );
    expect(imports.length).toBeGreaterThan(100);
    const upward = imports
      .filter(({ from, to }) => from !== to && !MAY_IMPORT[from]?.includes(to))
      .map(({ file, to }) => `${relative(SRC, file)} imports ${to}/`);
    expect(upward).toEqual([]);
  });

  test('src/steps/ holds the jobs and their named phases only', () => {
    const steps = readdirSync(join(SRC, 'steps')).sort();
    expect(steps).toEqual(Object.keys(STEPS).sort());
  });
});
