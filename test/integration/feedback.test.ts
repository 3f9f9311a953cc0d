import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { collectFeedback } from '../../src/feedback/collect.js';
import type { CollectedFeedback } from '../../src/feedback/types.js';
import type { Octokit } from '../../src/github/octokit.js';
import { GitHubEmulator } from '../emulator/index.js';
import {
  BOT,
  FEEDBACK_REPO,
  FEEDBACK_REVIEWER,
  seedFeedback,
  STRANGER,
  WRITER,
  type SeededFeedback,
} from '../emulator/seed-feedback.js';

const TOKEN = 'ghs_feedback00000000000000000000000000';
/** 200 bot comments over 40 pull requests: the size the issue measures. */
const PULLS = 40;
const PER_PULL = 5;

let gh: GitHubEmulator;
let octokit: Octokit;
let seeded: SeededFeedback;
const ref = { owner: 'acme', repo: 'feedback' };

beforeAll(async () => {
  gh = await GitHubEmulator.start({ rateLimit: 100_000 });
  gh.addToken(TOKEN, { 'pull-requests': 'read', contents: 'read' }, { login: BOT });
  seeded = seedFeedback(gh, { pulls: PULLS, commentsPerPull: PER_PULL });
  // @actions/github reads the API address when it is first imported.
  process.env.GITHUB_API_URL = gh.url;
  process.env.GITHUB_GRAPHQL_URL = gh.graphqlUrl;
  const { createOctokit } = await import('../../src/github/octokit.js');
  octokit = createOctokit(TOKEN);
});

afterAll(async () => {
  await gh.stop();
});

beforeEach(() => {
  gh.resetLog();
});

afterEach(() => {
  // Every query our code sent, and every answer, fit GitHub's schema.
  expect(gh.schemaViolations).toEqual([]);
});

const byId = (feedback: CollectedFeedback) =>
  new Map(feedback.items.map((item) => [item.comment.id, item]));

describe('collectFeedback', () => {
  it('finds every bot comment in the reviewer voice in 4 requests, and nothing else', async () => {
    const feedback = await collectFeedback(octokit, ref, FEEDBACK_REVIEWER, seeded.pulls, {
      from: 'reviewer',
    });

    expect(feedback.items).toHaveLength(PULLS * PER_PULL);
    expect(new Set(feedback.items.map((i) => i.comment.id))).toEqual(
      new Set(seeded.botComments.keys()),
    );
    expect(seeded.notAttributed).toHaveLength(4 * PULLS);
    for (const id of seeded.notAttributed) expect(byId(feedback).has(id)).toBe(false);
    // Two batches of pull requests (25 + 15), two of reactions (100 + 100).
    expect(feedback.requests).toBe(4);
    expect(gh.requests.map((r) => [r.method, r.path])).toEqual(
      Array.from({ length: 4 }, () => ['POST', '/graphql']),
    );
  });

  it('gives each comment its verdict from the reviewer feedback only', async () => {
    const feedback = await collectFeedback(octokit, ref, FEEDBACK_REVIEWER, seeded.pulls, {
      from: 'reviewer',
    });
    const items = byId(feedback);

    expect(items.size).toBe(seeded.botComments.size);
    for (const [id, seed] of seeded.botComments) {
      const item = items.get(id);
      expect([id, item?.verdict, item?.correction]).toEqual([
        id,
        seed.verdict.reviewer,
        seed.correction,
      ]);
      expect(item?.comment.body).toBe(seed.text);
      expect(item?.comment).toMatchObject({ reviewer: FEEDBACK_REVIEWER, side: 'RIGHT' });
      expect(item?.comment.adapterId).toBe('0123456789abcdef');
      expect(item?.resolved).toBe(seed.resolved ?? false);
      expect(item?.addressed).toBe(seed.outdated ?? false);
      // A stranger's reaction or reply never shows, nor (here) a writer's.
      const logins = [...(item?.approvedBy ?? []), ...(item?.turnedDownBy ?? [])];
      const repliers = item?.replies.map((r) => r.author) ?? [];
      expect([...logins, ...repliers].filter((l) => l !== FEEDBACK_REVIEWER)).toEqual([]);
    }
  });

  it("counts a writer's feedback with feedback-from writers, never a stranger's", async () => {
    const feedback = await collectFeedback(octokit, ref, FEEDBACK_REVIEWER, seeded.pulls, {
      from: 'writers',
    });
    const items = byId(feedback);

    expect(items.size).toBe(seeded.botComments.size);
    for (const [id, seed] of seeded.botComments) {
      expect([id, items.get(id)?.verdict]).toEqual([id, seed.verdict.writers]);
    }
    const everyone = feedback.items.flatMap((i) => [
      ...i.approvedBy,
      ...i.turnedDownBy,
      ...i.replies.map((r) => r.author),
    ]);
    expect(new Set(everyone)).toEqual(new Set([FEEDBACK_REVIEWER, WRITER]));
    expect(everyone).not.toContain(STRANGER);
    // One permission check per distinct login other than the reviewer: the writer, the stranger.
    const checks = gh.requests.filter((r) => r.path.includes('/collaborators/'));
    expect(checks.map((r) => r.path).sort()).toEqual(
      [WRITER, STRANGER].map((l) => `/repos/${FEEDBACK_REPO}/collaborators/${l}/permission`).sort(),
    );
    expect(feedback.requests).toBe(4 + checks.length);
  });

  it('leaves out a pull request number GitHub does not know', async () => {
    const feedback = await collectFeedback(
      octokit,
      ref,
      FEEDBACK_REVIEWER,
      [seeded.pulls[1] ?? 0, 99_999],
      { from: 'reviewer' },
    );

    expect(feedback.items).toHaveLength(PER_PULL);
    expect(feedback.requests).toBe(2);
  });

  it('pages threads, replies and reactions that overflow their first page', async () => {
    const number = seeded.pulls[0] ?? 0;
    const [first] = gh.reviewComments(FEEDBACK_REPO, number);
    if (!first) throw new Error('seeded pull requests have comments');
    const threadsBefore = gh.reviewComments(FEEDBACK_REPO, number).length;
    // 110 more threads by a human, 12 replies and 120 reactions on the bot's first comment.
    for (let i = 0; i < 110; i++) {
      gh.addReviewComment(FEEDBACK_REPO, number, {
        user: 'carol',
        body: `note ${i}`,
        path: first.path,
        line: 1,
        diff_hunk: first.diff_hunk,
      });
    }
    for (let i = 0; i < 12; i++) {
      gh.addReviewComment(FEEDBACK_REPO, number, {
        user: i === 11 ? FEEDBACK_REVIEWER : 'carol',
        body: i === 11 ? 'Not needed, use the helper instead' : `reply ${i}`,
        path: first.path,
        line: 1,
        diff_hunk: first.diff_hunk,
        in_reply_to_id: first.id,
      });
    }
    for (let i = 0; i < 120; i++) {
      gh.addReviewCommentReaction(FEEDBACK_REPO, first.id, `fan${i}`, '+1');
    }
    gh.addReviewCommentReaction(FEEDBACK_REPO, first.id, FEEDBACK_REVIEWER, '+1');

    const feedback = await collectFeedback(octokit, ref, FEEDBACK_REVIEWER, [number], {
      from: 'reviewer',
    });

    expect(threadsBefore).toBeGreaterThan(0);
    expect(feedback.items).toHaveLength(PER_PULL);
    const item = byId(feedback).get(first.id);
    expect(item?.verdict).toBe('turned-down');
    expect(item?.approvedBy).toEqual([FEEDBACK_REVIEWER]);
    expect(item?.correction).toBe('use the helper instead');
    // One batch, one more page of threads, one of replies; reactions, one more page of them.
    expect(feedback.requests).toBe(5);
  });

  it('finds nothing in a voice the bot never wrote in, and nothing for no pull requests', async () => {
    const other = await collectFeedback(octokit, ref, 'carol', seeded.pulls.slice(1, 4), {
      from: 'reviewer',
    });
    const none = await collectFeedback(octokit, ref, FEEDBACK_REVIEWER, [], { from: 'reviewer' });

    expect(other.items).toEqual([]);
    expect(other.requests).toBe(1);
    expect(none).toEqual({ reviewer: FEEDBACK_REVIEWER, items: [], requests: 0 });
  });
});
