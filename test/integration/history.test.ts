import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import type { Octokit } from '../../src/github/octokit.js';
import {
  collectHistory,
  collectPullFiles,
  countNewComments,
  type CollectedHistory,
} from '../../src/history/collect.js';
import { GitHubEmulator } from '../emulator/index.js';
import { seedHistory, TEST_SCALE, type SeededHistory } from '../emulator/seed-history.js';

const TOKEN = 'ghs_historytoken0000000000000000000000';
const BUSY = 'acme/busy';
const LATE = 'acme/late';
const RETRY_TIMEOUT_MS = 30_000;

let gh: GitHubEmulator;
let octokit: Octokit;
let seeded: SeededHistory;
let ref: { owner: string; repo: string };
/** The REST route's answer, collected once: the reference the GraphQL route must match. */
let overRest: CollectedHistory;

beforeAll(async () => {
  gh = await GitHubEmulator.start({ rateLimit: 100_000 });
  gh.addToken(TOKEN, { 'pull-requests': 'read', contents: 'read' });
  seeded = seedHistory(gh, { scale: TEST_SCALE });
  const [owner = '', repo = ''] = seeded.repo.split('/');
  ref = { owner, repo };
  // @actions/github reads the API address when it is first imported.
  process.env.GITHUB_API_URL = gh.url;
  process.env.GITHUB_GRAPHQL_URL = gh.graphqlUrl;
  const { createOctokit } = await import('../../src/github/octokit.js');
  octokit = createOctokit(TOKEN);
  gh.graphql.failNext({ message: 'Resource not accessible by integration', type: 'FORBIDDEN' });
  overRest = await quietly(() =>
    collectHistory(octokit, ref, seeded.reviewer.toLowerCase(), { maxComments: 10_000 }),
  );
});

afterAll(async () => {
  await gh.stop();
});

beforeEach(() => {
  gh.resetLog();
});

afterEach(() => {
  // Every query and request our code sent, and every answer, fit GitHub's schema and description.
  expect(gh.schemaViolations).toEqual([]);
});

/** Runs `work` with stdout captured (where @actions/core writes warnings); returns its result. */
async function quietly<T>(work: () => Promise<T>, log: string[] = []): Promise<T> {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    log.push(String(chunk));
    return true;
  });
  try {
    return await work();
  } finally {
    write.mockRestore();
  }
}

const graphqlRequests = (): number => gh.requests.filter((r) => r.path === '/graphql').length;

describe('collectHistory', () => {
  it('falls back to REST when a GraphQL query fails, and finds every comment there too', () => {
    expect(overRest.route).toBe('rest');
    expect(overRest.comments.map((c) => c.id)).toEqual(seeded.commentIds);
    expect(overRest.truncated).toBe(false);
  });

  it('collects every comment over GraphQL in a handful of requests, exactly as REST lists them', async () => {
    const history = await collectHistory(octokit, ref, seeded.reviewer, { maxComments: 10_000 });

    expect(history.route).toBe('graphql');
    expect(history.comments).toEqual(overRest.comments);
    expect(history.truncated).toBe(false);
    // Two searches (reviewed-by:, author:), one page each at this size.
    expect(history.requests).toBe(2);
    expect(gh.requests.map((r) => [r.method, r.path, r.spentRateLimit])).toEqual([
      ['POST', '/graphql', true],
      ['POST', '/graphql', true],
    ]);
    expect(gh.requests.every((r) => (r.graphqlCost ?? 0) >= 1)).toBe(true);
  });

  it('includes comments on their own pull requests, replies and outdated comments', async () => {
    const history = await collectHistory(octokit, ref, seeded.reviewer, { maxComments: 10_000 });
    const pullsWithComments = new Set(history.comments.map((c) => c.pullNumber));

    expect(seeded.ownPulls.length).toBeGreaterThan(0);
    for (const own of seeded.ownPulls) expect(pullsWithComments.has(own)).toBe(true);
    expect(history.comments.filter((c) => c.inReplyToId !== null)).toHaveLength(seeded.replies);
    const outdated = history.comments.filter((c) => c.line === null);
    expect(outdated).toHaveLength(seeded.outdated);
    expect(outdated.every((c) => c.originalLine !== null && c.diffHunk.startsWith('@@'))).toBe(
      true,
    );
    expect(history.comments.some((c) => c.side === 'LEFT')).toBe(true);
  });

  it('lists the pull requests they reviewed, with the ones they approved without a comment', async () => {
    const history = await collectHistory(octokit, ref, seeded.reviewer, { maxComments: 10_000 });
    const numbers = history.pulls.map((p) => p.number);

    expect(numbers).toEqual([...seeded.pulls, ...seeded.approvedOnly].sort((a, b) => b - a));
    // REST sees only pull requests with comments, with the same opening times.
    expect(overRest.pulls.map((p) => p.number)).toEqual(seeded.pulls);
    const opened = new Map(history.pulls.map((p) => [p.number, p.createdAt]));
    for (const pull of overRest.pulls) expect(opened.get(pull.number)).toBe(pull.createdAt);
  });

  it('stops at the cap with the newest comments and says it was cut', async () => {
    const capped = await collectHistory(octokit, ref, seeded.reviewer, { maxComments: 25 });
    gh.graphql.failNext({ message: 'Something broke', type: 'INTERNAL' });
    const cappedRest = await quietly(() =>
      collectHistory(octokit, ref, seeded.reviewer, { maxComments: 25 }),
    );

    expect(cappedRest.route).toBe('rest');
    expect(cappedRest.comments.map((c) => c.id)).toEqual(seeded.commentIds.slice(0, 25));
    expect(cappedRest.truncated).toBe(true);
    expect(capped.route).toBe('graphql');
    expect(capped.truncated).toBe(true);
    expect(capped.comments).toEqual(cappedRest.comments);
  });

  it('keeps the most recent comments, not the comments on the newest pull requests', async () => {
    gh.addRepo(LATE);
    const patch = '@@ -1,2 +1,3 @@\n a\n+b\n c';
    const at = (day: number): string => new Date(Date.UTC(2024, 0, day)).toISOString();
    const older = gh.addPullRequest(LATE, {
      user: 'dev-01',
      created_at: at(1),
      files: [{ filename: 'a.ts', status: 'modified', patch }],
    });
    const comment = (pull: number, day: number): number =>
      gh.addReviewComment(LATE, pull, {
        user: seeded.reviewer,
        body: `said on day ${day}`,
        path: 'a.ts',
        diff_hunk: '@@ -1,2 +1,3 @@\n a\n+b',
        line: 2,
        review_id: gh.addReview(LATE, pull, {
          user: seeded.reviewer,
          state: 'COMMENTED',
          submitted_at: at(day),
        }).id,
        created_at: at(day),
      }).id;
    // More newer pull requests than one search page holds, each with an older comment.
    for (let i = 0; i < 101; i++) {
      const newer = gh.addPullRequest(LATE, {
        user: 'dev-02',
        created_at: at(2),
        files: [{ filename: 'a.ts', status: 'modified', patch }],
      });
      comment(newer.number, 3);
    }
    // The older pull request was discussed again later: its comment is the most recent.
    const latest = comment(older.number, 9);
    const late = { owner: 'acme', repo: 'late' };

    const history = await collectHistory(octokit, late, seeded.reviewer, { maxComments: 1 });
    gh.graphql.failNext({ message: 'Something broke', type: 'INTERNAL' });
    const rest = await quietly(() =>
      collectHistory(octokit, late, seeded.reviewer, { maxComments: 1 }),
    );

    expect(rest.comments.map((c) => c.id)).toEqual([latest]);
    expect(history.route).toBe('graphql');
    expect(history.comments.map((c) => c.id)).toEqual([latest]);
    expect(history.truncated).toBe(true);
  });

  it('stops the REST fallback at its page cap, says so, and marks the history cut', async () => {
    gh.graphql.failNext({ message: 'Something broke', type: 'INTERNAL' });
    const log: string[] = [];
    const history = await quietly(
      () => collectHistory(octokit, ref, seeded.reviewer, { maxComments: 10_000, maxRestPages: 3 }),
      log,
    );

    const listed = gh.requests.filter((r) => r.path === `/repos/${seeded.repo}/pulls/comments`);
    expect(listed).toHaveLength(3);
    expect(history.route).toBe('rest');
    expect(history.truncated).toBe(true);
    expect(history.comments.length).toBeGreaterThan(0);
    expect(history.comments.length).toBeLessThan(seeded.commentIds.length);
    expect(history.comments.map((c) => c.id)).toEqual(
      seeded.commentIds.slice(0, history.comments.length),
    );
    expect(log.join('')).toMatch(
      /::warning title=History cut at the REST page cap::Stopped listing .* after 3 pages/,
    );
  });

  it('gets past the search cap by narrowing the update window', async () => {
    gh.graphql.searchCap = 15;
    try {
      const history = await collectHistory(octokit, ref, seeded.reviewer, { maxComments: 10_000 });

      expect(history.route).toBe('graphql');
      expect(history.comments).toEqual(overRest.comments);
      const searches = gh.requests.map((r) => JSON.stringify(r.requestBody));
      expect(searches.some((body) => body.includes('updated:<='))).toBe(true);
    } finally {
      gh.graphql.searchCap = 1000;
    }
  });

  it('pages nested reviews and comments that overflow their first page', async () => {
    gh.addRepo(BUSY);
    const { number } = gh.addPullRequest(BUSY, {
      user: 'dev-01',
      files: [{ filename: 'a.ts', status: 'modified', patch: '@@ -1,2 +1,3 @@\n a\n+b\n c' }],
    });
    const comment = (reviewId: number, i: number): void => {
      gh.addReviewComment(BUSY, number, {
        user: seeded.reviewer,
        body: `note ${i}`,
        path: 'a.ts',
        diff_hunk: '@@ -1,2 +1,3 @@\n a\n+b',
        line: 2,
        review_id: reviewId,
        created_at: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
      });
    };
    for (let r = 0; r < 12; r++) {
      comment(gh.addReview(BUSY, number, { user: seeded.reviewer, state: 'COMMENTED' }).id, r);
    }
    const big = gh.addReview(BUSY, number, { user: seeded.reviewer, state: 'COMMENTED' }).id;
    for (let i = 12; i < 47; i++) comment(big, i);
    const busy = { owner: 'acme', repo: 'busy' };

    const history = await collectHistory(octokit, busy, seeded.reviewer, { maxComments: 100 });
    gh.graphql.failNext({ message: 'Something broke', type: 'INTERNAL' });
    const rest = await quietly(() =>
      collectHistory(octokit, busy, seeded.reviewer, { maxComments: 100 }),
    );

    expect(history.route).toBe('graphql');
    expect(history.comments).toHaveLength(47);
    expect(history.comments).toEqual(rest.comments);
    // One search page, one more page of reviews, one more page of the big review's comments, and
    // the author: search.
    expect(history.requests).toBe(4);
  });

  it('warns and falls back to REST when GraphQL answers with errors', async () => {
    gh.graphql.failNext({ message: 'Resource not accessible by integration', type: 'FORBIDDEN' });
    const log: string[] = [];
    const history = await quietly(
      () => collectHistory(octokit, ref, seeded.reviewer, { maxComments: 10_000 }),
      log,
    );

    expect(history.route).toBe('rest');
    expect(history.comments.map((c) => c.id)).toEqual(seeded.commentIds);
    expect(log.join('')).toMatch(
      /::warning title=History collected over REST::.*Resource not accessible by integration/,
    );
    // The failed query counts too: one GraphQL request, then the REST pages.
    expect(history.requests).toBe(gh.requests.length);
    expect(graphqlRequests()).toBe(1);
  });

  it(
    'falls back when GraphQL keeps failing with a server error',
    async () => {
      gh.injectFault({ method: 'POST', path: '/graphql', status: 502, times: 2 });
      const history = await quietly(() =>
        collectHistory(octokit, ref, seeded.reviewer, { maxComments: 10_000, graphqlRetries: 1 }),
      );

      expect(history.route).toBe('rest');
      expect(history.comments.map((c) => c.id)).toEqual(seeded.commentIds);
      expect(graphqlRequests()).toBe(2);
    },
    RETRY_TIMEOUT_MS,
  );

  it('falls back when a GraphQL request times out, without waiting for it', async () => {
    gh.injectFault({ method: 'POST', path: '/graphql', delayMs: 6000 });
    const log: string[] = [];
    const started = Date.now();
    const history = await quietly(
      () =>
        collectHistory(octokit, ref, seeded.reviewer, {
          maxComments: 10_000,
          graphqlTimeoutMs: 200,
        }),
      log,
    );

    expect(history.route).toBe('rest');
    expect(history.comments.map((c) => c.id)).toEqual(seeded.commentIds);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(log.join('')).toContain('a GraphQL request took longer than 200 ms');
  });

  it('falls back when the GraphQL rate limit is used up', async () => {
    gh.graphql.setPointsRemaining(0);
    const log: string[] = [];
    try {
      const history = await quietly(
        () => collectHistory(octokit, ref, seeded.reviewer, { maxComments: 10_000 }),
        log,
      );

      expect(history.route).toBe('rest');
      expect(history.comments.map((c) => c.id)).toEqual(seeded.commentIds);
      expect(log.join('')).toContain('History collected over REST');
    } finally {
      gh.graphql.setPointsRemaining(gh.graphql.pointsLimit);
    }
  });

  it.each([
    ['a login GitHub does not know', 'nobody-here'],
    ['a user without review comments', 'dev-newcomer'],
  ])('gives an empty history for %s', async (_, login) => {
    gh.addUser('dev-newcomer');
    const history = await collectHistory(octokit, ref, login, { maxComments: 100 });

    expect(history).toEqual({
      reviewer: login,
      comments: [],
      pulls: [],
      truncated: false,
      route: 'graphql',
      requests: 2,
    });
  });
});

describe('collectPullFiles', () => {
  it('fetches the files of the newest pull requests only', async () => {
    const files = await collectPullFiles(octokit, ref, [...seeded.pulls].reverse(), {
      maxPulls: 5,
    });

    expect([...files.keys()]).toEqual(seeded.pulls.slice(0, 5));
    const [newest] = seeded.pulls;
    const { data } = await octokit.rest.pulls.listFiles({ ...ref, pull_number: newest ?? 0 });
    expect(files.get(newest ?? 0)).toEqual(
      data.map((f) => ({ filename: f.filename, status: f.status, patch: f.patch })),
    );
    expect(gh.requests.filter((r) => r.path.endsWith('/files'))).toHaveLength(6);
  });
});

describe('countNewComments', () => {
  it('costs nothing when nothing is new, and counts the reviewer’s new comments', async () => {
    const after = new Date(Date.parse(seeded.newestCommentAt) + 1000).toISOString();
    const primed = await countNewComments(octokit, ref, seeded.reviewer, { since: after });
    expect(primed).toMatchObject({ count: 0, spent: 1 });
    expect(primed.cursor.etag).toBeDefined();

    gh.resetLog();
    const quiet = await countNewComments(octokit, ref, seeded.reviewer, primed.cursor);
    expect(quiet).toEqual({ count: 0, cursor: primed.cursor, spent: 0 });
    expect(gh.requests.map((r) => [r.status, r.spentRateLimit])).toEqual([[304, false]]);

    const [pull = 0] = seeded.pulls;
    const now = Date.now();
    for (const [user, minutes] of [
      [seeded.reviewer, 0],
      ['dev-02', 1],
      [seeded.reviewer.toUpperCase(), 2],
    ] as const) {
      gh.addReviewComment(seeded.repo, pull, {
        user,
        body: 'fresh',
        path: gh.reviewComments(seeded.repo, pull)[0]?.path ?? '',
        diff_hunk: '@@ -1 +1 @@\n+x',
        created_at: new Date(now - 60_000 + minutes * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      });
    }
    const fresh = await countNewComments(octokit, ref, seeded.reviewer, quiet.cursor);
    expect(fresh.count).toBe(2);
    // The listing, then the quiet answer that primes the next check.
    expect(fresh.spent).toBe(2);

    const again = await countNewComments(octokit, ref, seeded.reviewer, fresh.cursor);
    expect(again).toEqual({ count: 0, cursor: fresh.cursor, spent: 0 });
  });
});
