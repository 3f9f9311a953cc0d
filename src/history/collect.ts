/**
 * A reviewer's history in a repository: every pull-request review comment they wrote, with
 * what they saw, in as few requests as GitHub allows; the files of the pull requests they
 * reviewed; and a nearly free check for comments written since.
 */
import * as core from '@actions/core';
import { errorMessage } from '../errors.js';
import { hasStatus } from '../github/errors.js';
import type { Octokit } from '../github/octokit.js';
import { collectOverGraphql, type RequestTally, type RouteResult } from './graphql-history.js';
import { collectOverRest, isBy } from './rest-history.js';
import { seenAt, type FilesSeen, type History, type PullFile } from './types.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface CollectOptions {
  /** Keep the most recent this many comments. */
  maxComments: number;
  /** Abandon a GraphQL request after this long and fall back to REST (default 30 s). */
  graphqlTimeoutMs?: number;
  /** Retries of a failed GraphQL request before falling back (default 1). */
  graphqlRetries?: number;
  /** Pages of 100 review comments the REST fallback lists at most (default 300). */
  maxRestPages?: number;
}

export type CollectedHistory = History & { route: 'graphql' | 'rest'; requests: number };

const DEFAULT_GRAPHQL_TIMEOUT_MS = 30_000;
const DEFAULT_GRAPHQL_RETRIES = 1;
/**
 * 30,000 comments of the repository: under a third of a GITHUB_TOKEN's 1,000 requests an hour,
 * and more than the newest 2,000 comments (max-history-comments) of any one reviewer need in
 * all but the busiest repositories.
 */
const DEFAULT_MAX_REST_PAGES = 300;
/**
 * Pull requests whose files are fetched, newest first, for whole hunks and negatives: one
 * request each, a fifth of a GITHUB_TOKEN's hourly 1,000. Comments on older pull requests have
 * no whole hunk in those files: `collectFilesSeen` reads theirs.
 */
export const MAX_PULLS_WITH_FILES = 200;
/** Diffs as of older heads, fetched for outdated comments and older pull requests: one request each. */
export const MAX_DIFFS_SEEN = 200;
/** Files of a pull request come at most 100 a page. */
const FILES_PER_PAGE = 100;
/** Pull requests whose files are fetched at once: few enough to stay clear of secondary limits. */
const FILES_CONCURRENCY = 4;

/**
 * All review comments by `reviewer`, newest first, at most `maxComments` of them. GraphQL does
 * it in a handful of requests; when it fails in any way, the REST listing of every review comment
 * in the repository does it in many more, with a warning that says so. An unknown reviewer, or
 * one without comments, gives an empty history. REST failures propagate.
 */
export async function collectHistory(
  octokit: Octokit,
  ref: RepoRef,
  reviewer: string,
  options: CollectOptions,
): Promise<CollectedHistory> {
  const tally: RequestTally = { requests: 0 };
  let result: RouteResult;
  let route: CollectedHistory['route'] = 'graphql';
  try {
    const graphqlOptions = {
      maxComments: options.maxComments,
      timeoutMs: options.graphqlTimeoutMs ?? DEFAULT_GRAPHQL_TIMEOUT_MS,
      retries: options.graphqlRetries ?? DEFAULT_GRAPHQL_RETRIES,
    };
    result = await collectOverGraphql(octokit, ref, reviewer, graphqlOptions, tally);
  } catch (error: unknown) {
    core.warning(
      `Collecting ${reviewer}'s review comments over GraphQL failed (${errorMessage(error)}); ` +
        'listing every review comment of the repository over REST instead, which takes more requests.',
      { title: 'History collected over REST' },
    );
    route = 'rest';
    result = await collectOverRest(
      octokit,
      ref,
      reviewer,
      {
        maxComments: options.maxComments,
        maxPages: options.maxRestPages ?? DEFAULT_MAX_REST_PAGES,
      },
      tally,
    );
  }
  return {
    reviewer,
    comments: result.comments,
    pulls: result.pulls,
    truncated: result.truncated,
    route,
    requests: tally.requests,
  };
}

/**
 * The files of at most `maxPulls` of the pull requests, newest first: their patches give whole
 * hunks, and the hunks the reviewer left alone.
 */
export async function collectPullFiles(
  octokit: Octokit,
  ref: RepoRef,
  pulls: number[],
  options: { maxPulls: number },
): Promise<Map<number, PullFile[]>> {
  const chosen = [...new Set(pulls)].sort((a, b) => b - a).slice(0, options.maxPulls);
  const files = new Map<number, PullFile[]>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chosen.length) {
      const number = chosen[next++];
      if (number === undefined) return;
      const listed = await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
        owner: ref.owner,
        repo: ref.repo,
        pull_number: number,
        per_page: FILES_PER_PAGE,
      });
      files.set(
        number,
        listed.map((file) => ({
          filename: file.filename,
          status: file.status,
          ...(file.patch === undefined ? {} : { patch: file.patch }),
        })),
      );
    }
  };
  await Promise.all(Array.from({ length: FILES_CONCURRENCY }, worker));
  // Newest first, whatever order the workers finished in.
  return new Map(chosen.map((number) => [number, files.get(number) ?? []]));
}

/** A head a pull request had, such as the one the bot posted a review on. */
export interface PullHead {
  pullNumber: number;
  commitId: string;
}

/**
 * What a reviewer's dataset is built from, besides their comments: the current files of the
 * newest `MAX_PULLS_WITH_FILES` pull requests they reviewed, and the diffs as of the heads their
 * other comments were written on and as of `heads` (the bot's commented heads, for examples made
 * of feedback: `collectFilesSeen`).
 */
export async function collectDatasetFiles(
  octokit: Octokit,
  ref: RepoRef,
  history: History,
  heads: PullHead[] = [],
): Promise<{ files: Map<number, PullFile[]>; seen: FilesSeen }> {
  const files = await collectPullFiles(
    octokit,
    ref,
    history.pulls.map((p) => p.number),
    { maxPulls: MAX_PULLS_WITH_FILES },
  );
  const seen = await collectFilesSeen(octokit, ref, history, files, heads, {
    maxRequests: MAX_DIFFS_SEEN,
  });
  return { files, seen };
}

/**
 * The diffs the reviewer saw where the current files cannot show them: for each of their
 * comments that is outdated, or on a pull request whose files were not fetched, the pull
 * request's diff as of the head it was written on (REST compare of the pull request's base with
 * that head: one request per pull request and head, the newest comments first, at most
 * `maxRequests`); then, within the same budget, the diffs as of `heads` (one more request for
 * the base of a pull request the reviewer did not review). A head GitHub no longer has is skipped.
 */
async function collectFilesSeen(
  octokit: Octokit,
  ref: RepoRef,
  history: History,
  current: Map<number, PullFile[]>,
  heads: PullHead[],
  options: { maxRequests: number },
): Promise<FilesSeen> {
  const bases = new Map(history.pulls.map((pull) => [pull.number, pull.baseSha]));
  const wanted = new Map<string, { pull: number; base: string; head: string }>();
  for (const comment of history.comments) {
    if (comment.inReplyToId !== null || comment.originalCommitId === '') continue;
    if (comment.line !== null && current.has(comment.pullNumber)) continue;
    const base = bases.get(comment.pullNumber);
    if (!base || wanted.size >= options.maxRequests) continue;
    const head = comment.originalCommitId;
    wanted.set(seenAt(comment.pullNumber, head), { pull: comment.pullNumber, base, head });
  }
  // The reviewer's own comments first: they are the dataset, feedback only adds to it.
  for (const { pullNumber, commitId } of heads) {
    const key = seenAt(pullNumber, commitId);
    if (wanted.size >= options.maxRequests) break;
    if (wanted.has(key)) continue;
    let base = bases.get(pullNumber);
    if (base === undefined) {
      base = await pullBase(octokit, ref, pullNumber);
      bases.set(pullNumber, base);
    }
    if (base) wanted.set(key, { pull: pullNumber, base, head: commitId });
  }
  const seen: FilesSeen = new Map();
  const queue = [...wanted];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, { base, head }] = next;
      try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
          owner: ref.owner,
          repo: ref.repo,
          basehead: `${base}...${head}`,
        });
        seen.set(
          key,
          (data.files ?? []).map((file) => ({
            filename: file.filename,
            status: file.status,
            ...(file.patch === undefined ? {} : { patch: file.patch }),
          })),
        );
      } catch (error: unknown) {
        // A head that was force-pushed away and collected: that comment's hunk stays unknown.
        if (!hasStatus(error, 404)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: FILES_CONCURRENCY }, worker));
  return seen;
}

/** The base commit of a pull request the reviewer did not review; '' when GitHub has no such pull. */
async function pullBase(octokit: Octokit, ref: RepoRef, pullNumber: number): Promise<string> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: ref.owner,
      repo: ref.repo,
      pull_number: pullNumber,
    });
    return data.base.sha;
  } catch (error: unknown) {
    if (hasStatus(error, 404)) return '';
    throw error;
  }
}

/** Where the last check for new comments stopped, to be kept with the adapter's manifest. */
export interface RefreshCursor {
  /** Comments updated at or after this time are the new ones. */
  since: string;
  /** ETag of the answer for `since` when it listed nothing, so that asking again is free. */
  etag?: string;
}

const REFRESH_ROUNDS = 3;

/**
 * How many review comments the reviewer wrote since the cursor, and the cursor to keep for next
 * time. With nothing new GitHub answers 304 Not Modified, which costs no rate limit; `spent`
 * counts the requests that did. Without a cursor, counting starts now.
 */
export async function countNewComments(
  octokit: Octokit,
  ref: RepoRef,
  reviewer: string,
  cursor: RefreshCursor | undefined,
): Promise<{ count: number; cursor: RefreshCursor; spent: number }> {
  let since = cursor?.since ?? githubTime(Date.now());
  let etag = cursor?.etag;
  let count = 0;
  let spent = 0;
  // Each round moves `since` past what it counted and asks again, so that the cursor ends on a
  // quiet answer whose ETag makes the next check free; comments keep arriving only so often.
  for (let round = 0; round < REFRESH_ROUNDS; round++) {
    const listed = await listSince(octokit, ref, since, etag);
    spent += listed.spent;
    if (listed.comments === undefined) return { count, cursor: { since, etag }, spent };
    if (listed.comments.length === 0) {
      return { count, cursor: { since, ...(listed.etag ? { etag: listed.etag } : {}) }, spent };
    }
    const sinceMs = Date.parse(since);
    count += listed.comments.filter(
      (c) => isBy(c, reviewer) && Date.parse(c.created_at) >= sinceMs,
    ).length;
    const newest = Math.max(...listed.comments.map((c) => Date.parse(c.updated_at)));
    // GitHub's timestamps have whole seconds, and `since` includes its own second.
    since = githubTime(newest + 1000);
    etag = undefined;
  }
  return { count, cursor: { since }, spent };
}

/** GitHub's timestamp form, to the second: 2024-05-01T12:00:00Z. */
function githubTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

interface Listed {
  /** Undefined when GitHub answered 304: nothing changed since the ETag's answer. */
  comments?: { user: { login: string } | null; created_at: string; updated_at: string }[];
  etag?: string;
  spent: number;
}

async function listSince(
  octokit: Octokit,
  ref: RepoRef,
  since: string,
  etag: string | undefined,
): Promise<Listed> {
  const comments: NonNullable<Listed['comments']> = [];
  let spent = 0;
  let firstEtag: string | undefined;
  try {
    const pages = octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls/comments', {
      owner: ref.owner,
      repo: ref.repo,
      sort: 'updated',
      direction: 'desc',
      since,
      per_page: 100,
      ...(etag ? { headers: { 'if-none-match': etag } } : {}),
    });
    for await (const page of pages) {
      spent += 1;
      firstEtag ??= page.headers.etag;
      comments.push(...page.data);
    }
  } catch (error: unknown) {
    // Octokit reports 304 Not Modified as an error; for a conditional request it is the answer.
    if (hasStatus(error, 304)) return { spent };
    throw error;
  }
  return { comments, spent, ...(firstEtag ? { etag: firstEtag } : {}) };
}
