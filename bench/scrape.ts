/**
 * How many GitHub requests learning a reviewer costs, on the repository of issue 3: 5,000 pull
 * requests, 50,000 review comments, a reviewer with 800 comments on 300 of them. Our collection
 * (GraphQL history, the files of the newest pull requests they reviewed, the diffs as of the
 * heads their older comments were written on, the refresh cursor) is
 * compared with the same collection over the REST fallback route and with the naive strategy on
 * the same emulator, all counted from the emulator's request log.
 */
import { GitHubEmulator } from '../test/emulator/index.js';
import { BENCH_SCALE, seedHistory } from '../test/emulator/seed-history.js';
import { hasStatus } from '../src/github/errors.js';
import type { Octokit } from '../src/github/octokit.js';
import {
  collectDatasetFiles,
  collectHistory,
  countNewComments,
  MAX_PULLS_WITH_FILES,
  type RepoRef,
} from '../src/history/collect.js';
import { collectFeedback } from '../src/feedback/collect.js';
import {
  BOT,
  FEEDBACK_REPO,
  FEEDBACK_REVIEWER,
  seedFeedback,
} from '../test/emulator/seed-feedback.js';
import type { Measurement } from './run.js';

const TOKEN = 'ghs_benchtoken000000000000000000000000';
/** The action's default `max-history-comments`. */
const MAX_COMMENTS = 2000;
const NAIVE_CONCURRENCY = 8;
/** Issue 12's size: a reviewer with 200 bot comments in their voice over 40 pull requests. */
const FEEDBACK_PULLS = 40;
const FEEDBACK_PER_PULL = 5;
/** The target for that reviewer. */
const FEEDBACK_REQUEST_LIMIT = 5;

export async function scrape(): Promise<Measurement[]> {
  const gh = await GitHubEmulator.start({ rateLimit: 1_000_000 });
  try {
    // The token's identity is the one that posted the bot's comments (viewerDidAuthor).
    gh.addToken(TOKEN, { 'pull-requests': 'read', contents: 'read' }, { login: BOT });
    const seeded = seedHistory(gh, { scale: BENCH_SCALE });
    const [owner = '', repo = ''] = seeded.repo.split('/');
    const ref = { owner, repo };
    // @actions/github reads the API address when it is first imported.
    process.env.GITHUB_API_URL = gh.url;
    process.env.GITHUB_GRAPHQL_URL = gh.graphqlUrl;
    const { createOctokit } = await import('../src/github/octokit.js');
    const octokit = createOctokit(TOKEN);

    gh.resetLog();
    const started = performance.now();
    const since = new Date().toISOString();
    const history = await collectHistory(octokit, ref, seeded.reviewer, {
      maxComments: MAX_COMMENTS,
    });
    const { files } = await collectDatasetFiles(octokit, ref, history);
    const primed = await countNewComments(octokit, ref, seeded.reviewer, { since });
    const wallSeconds = (performance.now() - started) / 1000;
    const first = gh.requests.length;
    if (history.route !== 'graphql' || history.comments.length !== seeded.commentIds.length) {
      throw new Error(
        `Collected ${history.comments.length} comments over ${history.route}; expected ${seeded.commentIds.length} over GraphQL.`,
      );
    }
    const withFiles = Math.min(MAX_PULLS_WITH_FILES, history.pulls.length);
    if (files.size !== withFiles) throw new Error(`Fetched files of ${files.size} pull requests.`);

    gh.resetLog();
    const refresh = await countNewComments(octokit, ref, seeded.reviewer, primed.cursor);
    const refreshSpent = gh.requests.filter((r) => r.spentRateLimit).length;
    if (refresh.count !== 0) throw new Error(`The refresh found ${refresh.count} new comments.`);

    gh.resetLog();
    gh.graphql.failNext({ message: 'Something broke', type: 'INTERNAL' });
    const overRest = await restFallback(octokit, ref, seeded.reviewer);
    const restRequests = gh.requests.length;

    gh.resetLog();
    await naive(octokit, ref, seeded.reviewer);
    const naiveRequests = gh.requests.length;

    const feedback = await feedbackRequests(gh, octokit);

    return [
      {
        metric: 'scrape_requests_first',
        value: first,
        unit: 'requests',
        seed_value: naiveRequests,
        limit_value: Math.floor(naiveRequests * 0.02),
      },
      {
        metric: 'scrape_requests_first_rest_fallback',
        value: restRequests,
        unit: 'requests',
        seed_value: naiveRequests,
      },
      // The fallback stops at its page cap on a repository this busy: what it found, of all.
      {
        metric: 'scrape_rest_fallback_comments',
        value: overRest.comments,
        unit: 'comments',
        seed_value: seeded.commentIds.length,
      },
      { metric: 'scrape_requests_refresh', value: refreshSpent, unit: 'requests', limit_value: 3 },
      { metric: 'scrape_wall_s', value: Math.round(wallSeconds * 100) / 100, unit: 's' },
      {
        metric: 'feedback_requests_200_comments',
        value: feedback.reviewer,
        unit: 'requests',
        limit_value: FEEDBACK_REQUEST_LIMIT,
      },
      // With feedback-from: writers, plus one permission check per distinct other login.
      {
        metric: 'feedback_requests_200_comments_writers',
        value: feedback.writers,
        unit: 'requests',
      },
    ];
  } finally {
    await gh.stop();
  }
}

/**
 * Feedback on 200 bot comments over 40 pull requests, with 👍/👎 and replies by the reviewer, a
 * writer and a stranger, resolved and outdated threads: the requests the emulator saw.
 */
async function feedbackRequests(
  gh: GitHubEmulator,
  octokit: Octokit,
): Promise<{ reviewer: number; writers: number }> {
  const seeded = seedFeedback(gh, { pulls: FEEDBACK_PULLS, commentsPerPull: FEEDBACK_PER_PULL });
  const [owner = '', repo = ''] = FEEDBACK_REPO.split('/');
  const counted: number[] = [];
  for (const from of ['reviewer', 'writers'] as const) {
    gh.resetLog();
    const feedback = await collectFeedback(
      octokit,
      { owner, repo },
      FEEDBACK_REVIEWER,
      seeded.pulls,
      { from },
    );
    if (feedback.items.length !== seeded.botComments.size) {
      throw new Error(
        `Found ${feedback.items.length} bot comments; expected ${seeded.botComments.size}.`,
      );
    }
    counted.push(gh.requests.length);
  }
  return { reviewer: counted[0] ?? 0, writers: counted[1] ?? 0 };
}

/** The same first collection when GraphQL fails: the comments over REST, then the same files. */
async function restFallback(
  octokit: Octokit,
  ref: RepoRef,
  reviewer: string,
): Promise<{ comments: number }> {
  const write = process.stdout.write.bind(process.stdout);
  // The fallback warns on stdout (a workflow command); the bench's own output is JSON lines.
  process.stdout.write = () => true;
  try {
    const history = await collectHistory(octokit, ref, reviewer, { maxComments: MAX_COMMENTS });
    await collectDatasetFiles(octokit, ref, history);
    return { comments: history.comments.length };
  } finally {
    process.stdout.write = write;
  }
}

/**
 * The strategy the issue measures against: list every pull request, list each one's review
 * comments, and fetch the file each of the reviewer's comments is on.
 */
async function naive(
  octokit: Octokit,
  ref: { owner: string; repo: string },
  reviewer: string,
): Promise<void> {
  const pulls = await octokit.paginate('GET /repos/{owner}/{repo}/pulls', {
    ...ref,
    state: 'all',
    per_page: 100,
  });
  const theirs: { path: string; commit_id: string }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pulls.length) {
      const pull = pulls[next++];
      if (!pull) return;
      const comments = await octokit.paginate(
        'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
        { ...ref, pull_number: pull.number, per_page: 100 },
      );
      theirs.push(...comments.filter((c) => c.user.login.toLowerCase() === reviewer.toLowerCase()));
    }
  };
  await Promise.all(Array.from({ length: NAIVE_CONCURRENCY }, worker));
  for (const comment of theirs) {
    try {
      await octokit.rest.repos.getContent({ ...ref, path: comment.path, ref: comment.commit_id });
    } catch (error: unknown) {
      // The emulator serves no file contents (404); the request is what is being counted.
      if (!hasStatus(error, 404)) throw error;
    }
  }
}
