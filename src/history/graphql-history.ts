/**
 * The cheap route: GraphQL `search` finds the pull requests the reviewer took part in, and one
 * query per page of 100 brings each one's reviews by the reviewer with their comments nested.
 * Pull requests come most recently updated first: a comment updates its pull request, so once
 * the cap's worth of comments is newer than the next pull request's last update, no pull request
 * further down can hold a more recent one.
 */
import {
  present,
  timedQuery,
  type Connection,
  type PageInfo,
  type RequestTally,
} from '../github/graphql.js';
import type { Octokit } from '../github/octokit.js';
import type { RepoRef } from './collect.js';
import type { PastComment, ReviewedPull } from './types.js';

/** Search pages are at most 100 results; GitHub never returns more than 1,000 per query. */
const SEARCH_PAGE = 100;
/** Nested page sizes: enough for nearly every pull request, small enough to keep a page cheap. */
const REVIEWS_PAGE = 10;
const COMMENTS_PAGE = 30;
/** Follow-up pages of a nested connection that overflowed. */
const MORE_PAGE = 100;

const COMMENT_FRAGMENT = `
fragment HistoryComment on PullRequestReviewComment {
  fullDatabaseId
  body
  path
  diffHunk
  line
  originalLine
  startLine
  commit { oid }
  originalCommit { oid }
  replyTo { fullDatabaseId }
  createdAt
  updatedAt
}`;

const REVIEW_FRAGMENT = `
fragment HistoryReview on PullRequestReview {
  id
  comments(first: $commentsPage) {
    pageInfo { hasNextPage endCursor }
    nodes { ...HistoryComment }
  }
}`;

const SEARCH_QUERY = `
query ReviewerPulls($search: String!, $login: String!, $first: Int!, $after: String, $reviewsPage: Int!, $commentsPage: Int!) {
  search(query: $search, type: ISSUE, first: $first, after: $after) {
    issueCount
    pageInfo { hasNextPage endCursor }
    nodes {
      ... on PullRequest {
        id
        number
        createdAt
        updatedAt
        baseRefOid
        reviews(author: $login, first: $reviewsPage) {
          pageInfo { hasNextPage endCursor }
          nodes { ...HistoryReview }
        }
      }
    }
  }
}
${REVIEW_FRAGMENT}
${COMMENT_FRAGMENT}`;

const MORE_REVIEWS_QUERY = `
query MoreReviews($id: ID!, $login: String!, $after: String, $reviewsPage: Int!, $commentsPage: Int!) {
  node(id: $id) {
    ... on PullRequest {
      reviews(author: $login, first: $reviewsPage, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ...HistoryReview }
      }
    }
  }
}
${REVIEW_FRAGMENT}
${COMMENT_FRAGMENT}`;

const MORE_COMMENTS_QUERY = `
query MoreComments($id: ID!, $after: String, $commentsPage: Int!) {
  node(id: $id) {
    ... on PullRequestReview {
      comments(first: $commentsPage, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ...HistoryComment }
      }
    }
  }
}
${COMMENT_FRAGMENT}`;

interface CommentNode {
  fullDatabaseId: string | null;
  body: string;
  path: string;
  diffHunk: string;
  line: number | null;
  originalLine: number | null;
  startLine: number | null;
  commit: { oid: string } | null;
  originalCommit: { oid: string } | null;
  replyTo: { fullDatabaseId: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

interface ReviewNode {
  id: string;
  comments: Connection<CommentNode>;
}

/** A search result; other kinds of result (issues) come back as empty objects. */
interface PullNode {
  id?: string;
  number?: number;
  createdAt?: string;
  updatedAt?: string;
  baseRefOid?: string;
  reviews?: Connection<ReviewNode> | null;
}

interface SearchAnswer {
  search: { issueCount: number; pageInfo: PageInfo; nodes: (PullNode | null)[] | null };
}

interface ReviewsHolder {
  reviews?: Connection<ReviewNode> | null;
}

interface CommentsHolder {
  comments?: Connection<CommentNode>;
}

interface NodeAnswer<T> {
  node: T | null;
}

export interface GraphqlOptions {
  maxComments: number;
  /** A GraphQL request slower than this is abandoned, and the caller falls back to REST. */
  timeoutMs: number;
  /** Retries of a failed GraphQL request before falling back (REST costs far more requests). */
  retries: number;
}

export interface RouteResult {
  comments: PastComment[];
  pulls: ReviewedPull[];
  truncated: boolean;
}

export type { RequestTally };

/**
 * Two searches cover every pull request the reviewer can have commented on: `reviewed-by:`
 * (which leaves out their own pull requests) and `author:` (their own, where their comments are
 * replies and notes).
 */
export async function collectOverGraphql(
  octokit: Octokit,
  ref: RepoRef,
  reviewer: string,
  options: GraphqlOptions,
  tally: RequestTally,
): Promise<RouteResult> {
  const client = new HistoryQueries(octokit, reviewer, options, tally);
  const base = `repo:${ref.owner}/${ref.repo} is:pr sort:updated-desc`;
  const reviewed = await client.searchPulls(`${base} reviewed-by:${reviewer}`, true);
  const authored = await client.searchPulls(`${base} author:${reviewer}`, false);

  const byId = new Map<number, PastComment>();
  for (const comment of [...reviewed.comments, ...authored.comments]) byId.set(comment.id, comment);
  const newestFirst = [...byId.values()].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id,
  );
  const comments = newestFirst.slice(0, options.maxComments);
  const truncated =
    reviewed.stoppedEarly || authored.stoppedEarly || newestFirst.length > comments.length;

  // Pull requests approved without a comment were seen and left alone too: keep them, except
  // those older than everything the cap kept.
  const kept = new Set(comments.map((c) => c.pullNumber));
  const keptDates = [...reviewed.pulls, ...authored.pulls]
    .filter((pull) => kept.has(pull.number))
    .map((pull) => pull.createdAt);
  const oldestKept = keptDates.sort()[0] ?? '';
  const pulls = new Map<number, ReviewedPull>();
  for (const pull of reviewed.pulls) {
    if (!truncated || kept.has(pull.number) || pull.createdAt >= oldestKept)
      pulls.set(pull.number, pull);
  }
  for (const pull of authored.pulls) if (kept.has(pull.number)) pulls.set(pull.number, pull);
  return {
    comments,
    pulls: [...pulls.values()].sort((a, b) => b.number - a.number),
    truncated,
  };
}

interface SearchResult {
  comments: PastComment[];
  pulls: ReviewedPull[];
  /** The cap was reached while more pull requests remained. */
  stoppedEarly: boolean;
}

class HistoryQueries {
  constructor(
    private readonly octokit: Octokit,
    private readonly reviewer: string,
    private readonly options: GraphqlOptions,
    private readonly tally: RequestTally,
  ) {}

  /**
   * Pull requests of one search, most recently updated first, until the `maxComments` most
   * recent comments are certainly among those found. Search answers at most 1,000 results per
   * query, so when a query matches more, the next window is everything updated up to the
   * oldest update seen so far.
   */
  async searchPulls(search: string, keepUncommented: boolean): Promise<SearchResult> {
    const comments: PastComment[] = [];
    const pulls: ReviewedPull[] = [];
    const seen = new Set<number>();
    let upTo: string | undefined;
    for (;;) {
      const windowed = upTo === undefined ? search : `${search} updated:<=${searchDate(upTo)}`;
      let after: string | null = null;
      let inWindow = 0;
      let total = 0;
      let oldest: string | undefined;
      let more = true;
      while (more) {
        const answer: SearchAnswer = await this.query<SearchAnswer>(SEARCH_QUERY, {
          search: windowed,
          login: this.reviewer,
          first: SEARCH_PAGE,
          after,
          reviewsPage: REVIEWS_PAGE,
          commentsPage: COMMENTS_PAGE,
        });
        const { issueCount, pageInfo, nodes } = answer.search;
        total = issueCount;
        for (const node of nodes ?? []) {
          inWindow += 1;
          if (!node?.number || !node.createdAt || !node.updatedAt) continue;
          const { number, createdAt, baseRefOid = '' } = node;
          oldest = node.updatedAt;
          if (seen.has(number)) continue;
          seen.add(number);
          const found = await this.commentsOf(node);
          comments.push(...found);
          if (keepUncommented || found.length > 0) {
            pulls.push({ number, createdAt, baseSha: baseRefOid });
          }
        }
        more = pageInfo.hasNextPage && pageInfo.endCursor !== null;
        after = pageInfo.endCursor;
        const unseenRemain = more || inWindow < total;
        if (
          unseenRemain &&
          oldest !== undefined &&
          newerThan(comments, oldest) >= this.options.maxComments
        ) {
          return { comments, pulls, stoppedEarly: true };
        }
      }
      // The window is exhausted, or the 1,000-result cap ended it: then narrow and go on.
      if (inWindow >= total || oldest === undefined || oldest === upTo) {
        return { comments, pulls, stoppedEarly: false };
      }
      upTo = oldest;
    }
  }

  private async commentsOf(pull: PullNode): Promise<PastComment[]> {
    const number = pull.number ?? 0;
    const reviews = [...present(pull.reviews?.nodes)];
    let page = pull.reviews?.pageInfo;
    while (page?.hasNextPage && pull.id !== undefined) {
      const answer: NodeAnswer<ReviewsHolder> = await this.query<NodeAnswer<ReviewsHolder>>(
        MORE_REVIEWS_QUERY,
        {
          id: pull.id,
          login: this.reviewer,
          after: page.endCursor,
          reviewsPage: MORE_PAGE,
          commentsPage: COMMENTS_PAGE,
        },
      );
      reviews.push(...present(answer.node?.reviews?.nodes));
      page = answer.node?.reviews?.pageInfo;
    }
    const comments: PastComment[] = [];
    for (const review of reviews) {
      const nodes = [...present(review.comments.nodes)];
      let commentsPage: PageInfo | undefined = review.comments.pageInfo;
      while (commentsPage?.hasNextPage) {
        const answer: NodeAnswer<CommentsHolder> = await this.query<NodeAnswer<CommentsHolder>>(
          MORE_COMMENTS_QUERY,
          { id: review.id, after: commentsPage.endCursor, commentsPage: MORE_PAGE },
        );
        nodes.push(...present(answer.node?.comments?.nodes));
        commentsPage = answer.node?.comments?.pageInfo;
      }
      for (const node of nodes) {
        const comment = toPastComment(node, number);
        if (comment) comments.push(comment);
      }
    }
    return comments;
  }

  private query<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    return timedQuery<T>(this.octokit, query, variables, this.options, this.tally);
  }
}

/** Comments written after `time`: no pull request updated at or before it can hold one. */
function newerThan(comments: PastComment[], time: string): number {
  const at = Date.parse(time);
  return comments.filter((c) => Date.parse(c.createdAt) > at).length;
}

/** Search dates take an explicit offset: `2024-05-01T12:00:00+00:00`. */
function searchDate(iso: string): string {
  return iso.replace(/(\.\d+)?Z$/, '+00:00');
}

/**
 * GraphQL has no side on a review comment (only its thread has one), but GitHub's diff hunk
 * ends at the commented line: a deleted line is on the LEFT, anything else on the RIGHT.
 */
export function sideOfHunk(diffHunk: string): 'LEFT' | 'RIGHT' | null {
  const last = diffHunk.trimEnd().split('\n').at(-1);
  if (last === undefined || last === '' || last.startsWith('@@')) return null;
  return last.startsWith('-') ? 'LEFT' : 'RIGHT';
}

function toPastComment(node: CommentNode, pullNumber: number): PastComment | undefined {
  if (node.fullDatabaseId === null) return undefined;
  const originalCommitId = node.originalCommit?.oid ?? node.commit?.oid ?? '';
  return {
    id: Number(node.fullDatabaseId),
    pullNumber,
    body: node.body,
    path: node.path,
    diffHunk: node.diffHunk,
    line: node.line,
    originalLine: node.originalLine,
    side: sideOfHunk(node.diffHunk),
    startLine: node.startLine,
    commitId: node.commit?.oid ?? originalCommitId,
    originalCommitId,
    inReplyToId:
      node.replyTo?.fullDatabaseId === undefined || node.replyTo.fullDatabaseId === null
        ? null
        : Number(node.replyTo.fullDatabaseId),
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
  };
}
