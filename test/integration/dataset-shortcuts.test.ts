import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildDataset, type Dataset, type Example } from '../../src/dataset/build.js';
import type { Octokit } from '../../src/github/octokit.js';
import { collectHistory, collectPullFiles } from '../../src/history/collect.js';
import { GitHubEmulator } from '../emulator/index.js';
import { seedHistory, TEST_SCALE } from '../emulator/seed-history.js';

/**
 * Nothing but the content may tell a hunk the reviewer commented on from one they left alone.
 * The dataset is built as the prepare step builds it, from a seeded history collected from the
 * emulator; then classifiers that look only at the hunk's shape must score at chance.
 */
const TOKEN = 'ghs_shortcuttoken00000000000000000000';
/** The prepare step's settings: max-hunk-tokens, negative-ratio, the held-out share. */
const OPTIONS = { maxHunkTokens: 512, negativeRatio: 1, evalFraction: 0.1, wholeHunksOnly: true };
/** An area under the ROC curve this close to 0.5 is chance at this dataset's size. */
const CHANCE = 0.1;

let gh: GitHubEmulator;
let dataset: Dataset;

beforeAll(async () => {
  gh = await GitHubEmulator.start({ rateLimit: 100_000 });
  gh.addToken(TOKEN, { 'pull-requests': 'read', contents: 'read' });
  const seeded = seedHistory(gh, { scale: TEST_SCALE });
  const [owner = '', repo = ''] = seeded.repo.split('/');
  process.env.GITHUB_API_URL = gh.url;
  process.env.GITHUB_GRAPHQL_URL = gh.graphqlUrl;
  const { createOctokit } = await import('../../src/github/octokit.js');
  const octokit: Octokit = createOctokit(TOKEN);
  const history = await collectHistory(octokit, { owner, repo }, seeded.reviewer, {
    maxComments: 2000,
  });
  const files = await collectPullFiles(
    octokit,
    { owner, repo },
    history.pulls.map((p) => p.number),
    { maxPulls: 200 },
  );
  dataset = buildDataset(history, files, OPTIONS);
});

afterAll(async () => {
  await gh.stop();
});

/** The hunk's rows as the prompt shows them: `line 3: +text`. */
function rows(example: Example): string[] {
  return (example.messages[1]?.content ?? '').split('\n').slice(2);
}

/** Area under the ROC curve of `score` for telling positives from negatives (0.5: chance). */
function auc(examples: Example[], score: (example: Example) => number): number {
  const positives = examples.filter((e) => e.meta.kind === 'positive').map(score);
  const negatives = examples.filter((e) => e.meta.kind === 'negative').map(score);
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

describe('the dataset has no shortcut', () => {
  it('has enough of both kinds of example to tell', () => {
    const all = [...dataset.train, ...dataset.eval];
    expect(all.filter((e) => e.meta.kind === 'positive').length).toBeGreaterThanOrEqual(50);
    expect(all.filter((e) => e.meta.kind === 'negative').length).toBeGreaterThanOrEqual(50);
  });

  it.each([
    // GitHub's diff_hunk stops at the commented line, usually a changed one: the shortcut of
    // datasets made from it.
    [
      'the last row shown is a changed line',
      (e: Example) => (/^[^:]+: [+-]/.test(rows(e).at(-1) ?? '') ? 1 : 0),
    ],
    ['the hunk length', (e: Example) => rows(e).length],
  ])('a classifier using only %s scores at chance', (_name, score) => {
    const all = [...dataset.train, ...dataset.eval];
    expect(Math.abs(auc(all, score) - 0.5)).toBeLessThan(CHANCE);
  });

  it('holds out both kinds of example', () => {
    expect(new Set(dataset.eval.map((e) => e.meta.kind))).toEqual(
      new Set(['positive', 'negative']),
    );
  });
});
