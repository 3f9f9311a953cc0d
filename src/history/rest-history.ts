/**
 * The fallback route: REST lists every review comment of the repository (it has no author
 * filter), newest first, and keeps the reviewer's. It costs a request per 100 comments of
 * anyone, so it runs only when GraphQL fails.
 */
import * as core from '@actions/core';
import type { Octokit } from '../github/octokit.js';
import type { RepoRef } from './collect.js';
import type { RequestTally, RouteResult } from './graphql-history.js';
import type { PastComment, ReviewedPull } from './types.js';

const PER_PAGE = 100;

export interface RestReviewComment {
  id: number;
  pull_request_url: string;
  user: { login: string } | null;
  body: string;
  path: string;
  diff_hunk: string;
  line?: number | null;
  original_line?: number | null;
  side?: 'LEFT' | 'RIGHT' | null;
  start_line?: number | null;
  commit_id: string;
  original_commit_id: string;
  in_reply_to_id?: number;
  created_at: string;
  updated_at: string;
}

export function isBy(comment: Pick<RestReviewComment, 'user'>, login: string): boolean {
  return comment.user?.login.toLowerCase() === login.toLowerCase();
}

export interface RestOptions {
  maxComments: number;
  /** Pages of the repository's review comments to list at most (a request each). */
  maxPages: number;
}

/**
 * The reviewer's most recent comments among the repository's, newest first. The listing stops
 * after `maxPages` pages: a GITHUB_TOKEN has 1,000 requests an hour per repository, and the
 * other steps of the run need some of them. Hitting that cap warns and marks the history cut.
 */
export async function collectOverRest(
  octokit: Octokit,
  ref: RepoRef,
  reviewer: string,
  options: RestOptions,
  tally: RequestTally,
): Promise<RouteResult> {
  const comments: PastComment[] = [];
  let truncated = false;
  let pagesRead = 0;
  const pages = octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls/comments', {
    owner: ref.owner,
    repo: ref.repo,
    sort: 'created',
    direction: 'desc',
    per_page: PER_PAGE,
  });
  for await (const page of pages) {
    tally.requests += 1;
    for (const comment of page.data) {
      if (isBy(comment, reviewer)) comments.push(fromRest(comment));
    }
    // One comment beyond the cap proves that the cap cut the history.
    if (comments.length > options.maxComments) {
      truncated = true;
      break;
    }
    pagesRead += 1;
    if (pagesRead >= options.maxPages && page.headers.link?.includes('rel="next"')) {
      truncated = true;
      core.warning(
        `Stopped listing the repository's review comments over REST after ${pagesRead} pages (the newest ${pagesRead * PER_PAGE} comments of anyone), to keep requests for the rest of the run: ${comments.length} of them are ${reviewer}'s, and older ones are left out. GraphQL, when it works for this token, finds all of them in a few requests.`,
        { title: 'History cut at the REST page cap' },
      );
      break;
    }
  }
  const kept = comments.slice(0, options.maxComments);
  const pulls = await pullDates(octokit, ref, new Set(kept.map((c) => c.pullNumber)), tally);
  return { comments: kept, pulls, truncated };
}

export function fromRest(comment: RestReviewComment): PastComment {
  return {
    id: comment.id,
    pullNumber: pullNumberOf(comment.pull_request_url),
    body: comment.body,
    path: comment.path,
    diffHunk: comment.diff_hunk,
    line: comment.line ?? null,
    originalLine: comment.original_line ?? null,
    side: comment.side ?? null,
    startLine: comment.start_line ?? null,
    commitId: comment.commit_id,
    originalCommitId: comment.original_commit_id,
    inReplyToId: comment.in_reply_to_id ?? null,
    createdAt: comment.created_at,
    updatedAt: comment.updated_at,
  };
}

function pullNumberOf(url: string): number {
  const match = /\/pulls\/(\d+)$/.exec(url);
  if (!match?.[1]) throw new Error(`Unexpected pull_request_url '${url}' on a review comment.`);
  return Number(match[1]);
}

/**
 * When the pull requests were opened, from the list of all of them newest first: pull request
 * numbers grow with time, so the listing stops at the oldest one wanted.
 */
async function pullDates(
  octokit: Octokit,
  ref: RepoRef,
  wanted: Set<number>,
  tally: RequestTally,
): Promise<ReviewedPull[]> {
  const pulls: ReviewedPull[] = [];
  if (wanted.size === 0) return pulls;
  const oldest = Math.min(...wanted);
  const pages = octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls', {
    owner: ref.owner,
    repo: ref.repo,
    state: 'all',
    sort: 'created',
    direction: 'desc',
    per_page: PER_PAGE,
  });
  for await (const page of pages) {
    tally.requests += 1;
    for (const pull of page.data) {
      if (wanted.has(pull.number)) {
        pulls.push({ number: pull.number, createdAt: pull.created_at, baseSha: pull.base.sha });
      }
    }
    if (pulls.length === wanted.size || page.data.some((pull) => pull.number <= oldest)) break;
  }
  return pulls;
}
