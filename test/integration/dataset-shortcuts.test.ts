import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildDataset, type Dataset, type Example } from '../../src/dataset/build.js';
import type { Octokit } from '../../src/github/octokit.js';
import { collectHistory, collectDatasetFiles } from '../../src/history/collect.js';
import { GitHubEmulator } from '../emulator/index.js';
import { seedSyntheticRepo } from '../emulator/synthetic-repo.js';

/**
 * Nothing but the content may tell a hunk the reviewer commented on from one they left alone.
 * Datasets are built as the prepare step builds them, from the synthetic repository's reviewers
 * (real diffs, half the comments outdated by later pushes) collected from the emulator; then
 * classifiers that look only at a hunk's shape must score at chance.
 */
const TOKEN = 'ghs_shortcuttoken00000000000000000000';
/** The prepare step's settings: max-hunk-tokens, negative-ratio, the held-out share. */
const OPTIONS = { maxHunkTokens: 512, negativeRatio: 1, evalFraction: 0.1, wholeHunksOnly: true };
/** An area under the ROC curve this close to 0.5 is chance at these datasets' size. */
const CHANCE = 0.1;

let gh: GitHubEmulator;
const datasets: Dataset[] = [];

beforeAll(async () => {
  gh = await GitHubEmulator.start({ rateLimit: 100_000 });
  gh.addToken(TOKEN, { 'pull-requests': 'read', contents: 'read' });
  const synthetic = seedSyntheticRepo(gh);
  const [owner = '', repo = ''] = synthetic.repo.split('/');
  process.env.GITHUB_API_URL = gh.url;
  process.env.GITHUB_GRAPHQL_URL = gh.graphqlUrl;
  const { createOctokit } = await import('../../src/github/octokit.js');
  const octokit: Octokit = createOctokit(TOKEN);
  for (const reviewer of synthetic.reviewers.keys()) {
    const history = await collectHistory(octokit, { owner, repo }, reviewer, { maxComments: 2000 });
    const { files, seen } = await collectDatasetFiles(octokit, { owner, repo }, history);
    datasets.push(buildDataset(history, files, OPTIONS, seen));
  }
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
  const all = (): Example[] => datasets.flatMap((d) => [...d.train, ...d.eval]);

  it('has enough of both kinds of example to tell', () => {
    expect(datasets).toHaveLength(2);
    expect(all().filter((e) => e.meta.kind === 'positive').length).toBeGreaterThanOrEqual(100);
    expect(all().filter((e) => e.meta.kind === 'negative').length).toBeGreaterThanOrEqual(100);
    // Outdated comments and those on older pull requests come with the hunk they were written on.
    for (const dataset of datasets) expect(dataset.stats.partialHunks).toBe(0);
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
    expect(Math.abs(auc(all(), score) - 0.5)).toBeLessThan(CHANCE);
  });

  it('never shows a held-out hunk in training', () => {
    for (const dataset of datasets) {
      const trained = new Set(dataset.train.map((e) => e.messages[1]?.content));
      expect(dataset.eval.length).toBeGreaterThan(0);
      expect(dataset.eval.filter((e) => trained.has(e.messages[1]?.content))).toEqual([]);
    }
  });

  it('holds out both kinds of example for each reviewer', () => {
    for (const dataset of datasets) {
      expect(new Set(dataset.eval.map((e) => e.meta.kind))).toEqual(
        new Set(['positive', 'negative']),
      );
    }
  });
});
