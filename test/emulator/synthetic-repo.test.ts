import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Octokit } from '../../src/github/octokit.js';
import {
  collectHistory,
  MAX_PULLS_WITH_FILES,
  type CollectedHistory,
} from '../../src/history/collect.js';
import { GitHubEmulator } from './index.js';
import {
  CAREFUL_REVIEWER,
  seedSyntheticRepo,
  TERSE_REVIEWER,
  type SyntheticRepo,
} from './synthetic-repo.js';

const TOKEN = 'ghs_synthetictoken0000000000000000000';

let gh: GitHubEmulator;
let synthetic: SyntheticRepo;
let octokit: Octokit;
const collected = new Map<string, CollectedHistory>();

beforeAll(async () => {
  gh = await GitHubEmulator.start({ rateLimit: 100_000 });
  gh.addToken(TOKEN, { 'pull-requests': 'read', contents: 'read' });
  synthetic = seedSyntheticRepo(gh);
  process.env.GITHUB_API_URL = gh.url;
  process.env.GITHUB_GRAPHQL_URL = gh.graphqlUrl;
  const { createOctokit } = await import('../../src/github/octokit.js');
  octokit = createOctokit(TOKEN);
  const [owner = '', repo = ''] = synthetic.repo.split('/');
  for (const login of synthetic.reviewers.keys()) {
    collected.set(
      login,
      await collectHistory(octokit, { owner, repo }, login, { maxComments: 2000 }),
    );
  }
});

afterAll(async () => {
  await gh.stop();
});

function truthOf(login: string) {
  const truth = synthetic.reviewers.get(login);
  if (!truth) throw new Error(`no reviewer ${login}`);
  return truth;
}

describe('seedSyntheticRepo', () => {
  it('is what the collector finds, with GitHub’s shapes', () => {
    expect(collected.size).toBe(2);
    for (const [login, history] of collected) {
      const truth = truthOf(login);
      const own = history.comments.filter((c) => c.inReplyToId === null);
      expect(new Set(own.map((c) => c.id))).toEqual(new Set(truth.comments.map((c) => c.id)));
      expect(history.comments.filter((c) => c.inReplyToId !== null)).toHaveLength(truth.replies);
      expect(history.pulls.map((p) => p.number)).toEqual(truth.reviewedPulls);
    }
    expect(gh.schemaViolations).toEqual([]);
  });

  it('has two reviewers of clearly different habits', () => {
    const terse = truthOf(TERSE_REVIEWER.login);
    const careful = truthOf(CAREFUL_REVIEWER.login);
    const rate = (t: typeof terse): number => t.comments.length / t.reviewedPulls.length;

    expect(terse.comments.length).toBeGreaterThanOrEqual(30);
    expect(rate(careful)).toBeGreaterThan(2 * rate(terse));
    expect(careful.comments.some((c) => c.side === 'LEFT')).toBe(true);
    expect(terse.comments.every((c) => c.side === 'RIGHT')).toBe(true);
    const words = (t: typeof terse): number =>
      t.comments.reduce((n, c) => n + c.body.split(' ').length, 0) / t.comments.length;
    expect(words(careful)).toBeGreaterThan(3 * words(terse));
    expect(terse.approvedOnly.length).toBeGreaterThan(0);
  });

  it('outdates about half of the comments, as GitHub shows them after a later push', () => {
    for (const [login, history] of collected) {
      const own = history.comments.filter((c) => c.inReplyToId === null);
      const outdated = own.filter((c) => c.line === null);
      expect(outdated.length / own.length).toBeGreaterThan(0.3);
      expect(outdated.length / own.length).toBeLessThan(0.7);
      expect(outdated.length).toBe(truthOf(login).comments.filter((c) => c.outdated).length);
      for (const comment of outdated) {
        expect(comment.originalLine).not.toBeNull();
        // diff_hunk stops at the commented line.
        const last = comment.diffHunk.split('\n').at(-1) ?? '';
        expect(last.startsWith(comment.side === 'LEFT' ? '-' : '+') || last.startsWith(' ')).toBe(
          true,
        );
      }
    }
  });

  it('shows an outdated comment’s pull request as of the head it was written on (compare)', async () => {
    const history = collected.get(CAREFUL_REVIEWER.login);
    const outdated = history?.comments.find((c) => c.line === null && c.inReplyToId === null);
    const pull = history?.pulls.find((p) => p.number === outdated?.pullNumber);
    if (!outdated || !pull) throw new Error('no outdated comment');
    gh.resetLog();

    const { data } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
      owner: 'acme',
      repo: 'synthetic',
      basehead: `${pull.baseSha}...${outdated.originalCommitId}`,
    });
    const now = await octokit.rest.pulls.listFiles({
      owner: 'acme',
      repo: 'synthetic',
      pull_number: pull.number,
    });

    const then = data.files?.find((f) => f.filename === outdated.path)?.patch ?? '';
    // GitHub's diff_hunk is the start of a hunk of that diff; the push changed the file since.
    expect(then).toContain(outdated.diffHunk);
    expect(now.data.find((f) => f.filename === outdated.path)?.patch).not.toContain(
      outdated.diffHunk,
    );
    expect(gh.schemaViolations).toEqual([]);
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
        owner: 'acme',
        repo: 'synthetic',
        basehead: `${pull.baseSha}...${'0'.repeat(40)}`,
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('has comments on pull requests older than the collector’s cap on files', () => {
    const careful = truthOf(CAREFUL_REVIEWER.login);
    const capped = careful.reviewedPulls.slice(0, MAX_PULLS_WITH_FILES);
    const oldest = Math.min(...capped);
    expect(careful.comments.some((c) => c.pull < oldest)).toBe(true);
  });
});
