/**
 * The feedback on what the bot said in a reviewer's voice, in a few GraphQL requests: one query
 * per batch of pull requests brings their review threads with the comments in them (aliases,
 * `p12: pullRequest(number: 12)`), then one `nodes(ids:)` query per 100 of the bot's comments
 * brings their reactions. Reactions nested in the first query would make GitHub count a
 * connection per comment of every thread (threads × comments × reactions): about ten times the
 * points, out of a GITHUB_TOKEN's 1,000 an hour. Follow-up pages only where a connection
 * overflows.
 */
import {
  present,
  timedQuery,
  type Connection,
  type PageInfo,
  type RequestTally,
} from '../github/graphql.js';
import type { Octokit } from '../github/octokit.js';
import type { RepoRef } from '../history/collect.js';
import type { FeedbackFrom } from '../settings.js';
import { parseMarker, unsanitize } from './marker.js';
import type { BotComment, CollectedFeedback, FeedbackItem, FeedbackReply } from './types.js';
import { readReply, verdictOf } from './verdict.js';
import { WhoCounts } from './who-counts.js';

/** Pull requests per query: 25 × 100 threads × 10 comments stays far under GitHub's node limit. */
const PULLS_PER_QUERY = 25;
/** Threads per pull request: the bot posts at most `max-comments` per review. */
const THREADS_PAGE = 100;
/** A bot comment and its replies: a longer conversation takes a follow-up page. */
const COMMENTS_PAGE = 10;
/** `nodes(ids:)` takes at most 100 ids. */
const COMMENTS_PER_REACTIONS_QUERY = 100;
const REACTIONS_PAGE = 100;
/** Follow-up pages of a nested connection that overflowed. */
const MORE_PAGE = 100;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 1;

const COMMENT_FRAGMENT = `
fragment FeedbackComment on PullRequestReviewComment {
  id
  fullDatabaseId
  viewerDidAuthor
  author { login }
  body
  path
  diffHunk
  originalLine
  originalCommit { oid }
  createdAt
}`;

const THREAD_FRAGMENT = `
fragment FeedbackThread on PullRequestReviewThread {
  id
  isResolved
  isOutdated
  diffSide
  comments(first: $commentsPage) {
    pageInfo { hasNextPage endCursor }
    nodes { ...FeedbackComment }
  }
}
${COMMENT_FRAGMENT}`;

const PULL_FRAGMENT = `
fragment FeedbackPull on PullRequest {
  id
  number
  reviewThreads(first: $threadsPage) {
    pageInfo { hasNextPage endCursor }
    nodes { ...FeedbackThread }
  }
}`;

function threadsQuery(numbers: number[]): string {
  const pulls = numbers.map((n) => `p${n}: pullRequest(number: ${n}) { ...FeedbackPull }`);
  return `
query BotThreads($owner: String!, $name: String!, $threadsPage: Int!, $commentsPage: Int!) {
  repository(owner: $owner, name: $name) {
    ${pulls.join('\n    ')}
  }
}
${PULL_FRAGMENT}
${THREAD_FRAGMENT}`;
}

const MORE_THREADS_QUERY = `
query MoreThreads($id: ID!, $after: String, $threadsPage: Int!, $commentsPage: Int!) {
  node(id: $id) {
    ... on PullRequest {
      reviewThreads(first: $threadsPage, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ...FeedbackThread }
      }
    }
  }
}
${THREAD_FRAGMENT}`;

const MORE_COMMENTS_QUERY = `
query MoreThreadComments($id: ID!, $after: String, $commentsPage: Int!) {
  node(id: $id) {
    ... on PullRequestReviewThread {
      comments(first: $commentsPage, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ...FeedbackComment }
      }
    }
  }
}
${COMMENT_FRAGMENT}`;

const REACTIONS_FRAGMENT = `
fragment FeedbackReactions on PullRequestReviewComment {
  id
  reactions(first: $reactionsPage, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { content user { login } }
  }
}`;

const REACTIONS_QUERY = `
query BotReactions($ids: [ID!]!, $reactionsPage: Int!, $after: String) {
  nodes(ids: $ids) { ...FeedbackReactions }
}
${REACTIONS_FRAGMENT}`;

const MORE_REACTIONS_QUERY = `
query MoreReactions($id: ID!, $reactionsPage: Int!, $after: String) {
  node(id: $id) { ...FeedbackReactions }
}
${REACTIONS_FRAGMENT}`;

interface CommentNode {
  id: string;
  fullDatabaseId: string | null;
  viewerDidAuthor: boolean;
  author: { login: string } | null;
  body: string;
  path: string;
  diffHunk: string;
  originalLine: number | null;
  originalCommit: { oid: string } | null;
  createdAt: string;
}

interface ThreadNode {
  id: string;
  isResolved: boolean;
  isOutdated: boolean;
  diffSide: 'LEFT' | 'RIGHT';
  comments: Connection<CommentNode>;
}

interface PullNode {
  id: string;
  number: number;
  reviewThreads: Connection<ThreadNode>;
}

interface ThreadsAnswer {
  repository: Record<string, PullNode | null> | null;
}

interface ReactionNode {
  content: string;
  user: { login: string } | null;
}

/** A node of `nodes(ids:)`: a comment's reactions, or an empty object for anything else. */
interface ReactionsHolder {
  id?: string;
  reactions?: Connection<ReactionNode>;
}

interface NodeAnswer<T> {
  node: T | null;
}

export interface FeedbackOptions {
  /** Whose feedback counts besides the reviewer's (the `feedback-from` input). */
  from: FeedbackFrom;
  /** A GraphQL request slower than this fails the collection (default 30 s). */
  timeoutMs?: number;
  /** Retries of a failed GraphQL request (default 1). */
  retries?: number;
}

/** A thread the bot started in the reviewer's voice, with every comment in it. */
interface BotThread {
  pullNumber: number;
  thread: ThreadNode;
  comments: CommentNode[];
}

/**
 * Every inline comment the bot posted in `reviewer`'s voice on `pullNumbers`, with the feedback
 * on it from the people whose feedback counts. A comment is the bot's only when the token's own
 * identity wrote it AND it starts its thread with a marker naming this reviewer: a comment
 * anyone else wrote, or one without a marker, is never attributed. Failures propagate.
 */
export async function collectFeedback(
  octokit: Octokit,
  ref: RepoRef,
  reviewer: string,
  pullNumbers: number[],
  options: FeedbackOptions,
): Promise<CollectedFeedback> {
  const tally: RequestTally = { requests: 0 };
  const queries = new FeedbackQueries(octokit, {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: options.retries ?? DEFAULT_RETRIES,
    tally,
  });
  const numbers = [...new Set(pullNumbers)]
    .filter((n) => Number.isSafeInteger(n) && n > 0)
    .sort((a, b) => a - b);
  const threads: BotThread[] = [];
  for (let i = 0; i < numbers.length; i += PULLS_PER_QUERY) {
    for (const pull of await queries.pulls(ref, numbers.slice(i, i + PULLS_PER_QUERY))) {
      for (const thread of await queries.allThreads(pull)) {
        const [first] = present(thread.comments.nodes);
        if (first && isBotComment(first, reviewer)) {
          threads.push({
            pullNumber: pull.number,
            thread,
            comments: await queries.allComments(thread),
          });
        }
      }
    }
  }
  const reactions = await queries.reactions(threads.map((t) => t.comments[0]?.id ?? ''));
  const who = new WhoCounts(octokit, ref, reviewer, options.from, tally);
  const items: FeedbackItem[] = [];
  for (const thread of threads) {
    const item = await feedbackOn(thread, reactions, reviewer, who);
    if (item) items.push(item);
  }
  return { reviewer, items, requests: tally.requests };
}

function isBotComment(comment: CommentNode, reviewer: string): boolean {
  const marker = parseMarker(comment.body);
  return comment.viewerDidAuthor && marker?.reviewer.toLowerCase() === reviewer.toLowerCase();
}

async function feedbackOn(
  { pullNumber, thread, comments }: BotThread,
  reactions: Map<string, ReactionNode[]>,
  reviewer: string,
  who: WhoCounts,
): Promise<FeedbackItem | undefined> {
  const [bot, ...rest] = comments;
  const marker = bot ? parseMarker(bot.body) : undefined;
  if (!bot || !marker || bot.fullDatabaseId === null) return undefined;
  const comment: BotComment = {
    id: Number(bot.fullDatabaseId),
    pullNumber,
    path: bot.path,
    line: bot.originalLine ?? 0,
    side: thread.diffSide,
    body: unsanitize(bot.body),
    diffHunk: bot.diffHunk,
    commitId: bot.originalCommit?.oid ?? '',
    reviewer: marker.reviewer,
    adapterId: marker.adapterId,
    createdAt: bot.createdAt,
  };
  const approvedBy = new Set<string>();
  const turnedDownBy = new Set<string>();
  for (const reaction of reactions.get(bot.id) ?? []) {
    const login = reaction.user?.login;
    if (login === undefined || !['THUMBS_UP', 'THUMBS_DOWN'].includes(reaction.content)) continue;
    if (!(await who.counts(login))) continue;
    (reaction.content === 'THUMBS_UP' ? approvedBy : turnedDownBy).add(login);
  }
  const replies: FeedbackReply[] = [];
  let correction: string | undefined;
  for (const reply of rest) {
    const login = reply.author?.login;
    // The bot's own words in the thread are not feedback on itself.
    if (login === undefined || reply.viewerDidAuthor || !(await who.counts(login))) continue;
    replies.push({ author: login, body: reply.body, createdAt: reply.createdAt });
    const read = readReply(reply.body);
    if (!read.turnsDown) continue;
    turnedDownBy.add(login);
    if (login.toLowerCase() === reviewer.toLowerCase() && read.rest !== '') {
      correction ??= read.rest;
    }
  }
  const feedback = {
    approvedBy: [...approvedBy],
    turnedDownBy: [...turnedDownBy],
    addressed: thread.isOutdated,
  };
  return {
    comment,
    ...feedback,
    replies,
    resolved: thread.isResolved,
    verdict: verdictOf(feedback),
    ...(correction === undefined ? {} : { correction }),
  };
}

/**
 * A pull request number GitHub does not know (deleted, or moved with a transfer) answers null
 * with a NOT_FOUND error, and the client throws with the rest of the answer attached: keep it.
 */
function pullsNotFound(error: unknown): ThreadsAnswer | undefined {
  if (!(error instanceof Error) || !('errors' in error) || !('data' in error)) return undefined;
  const { errors, data } = error;
  const notFound = (e: unknown): boolean =>
    typeof e === 'object' && e !== null && 'type' in e && e.type === 'NOT_FOUND';
  if (!Array.isArray(errors) || !errors.every(notFound)) return undefined;
  return isThreadsAnswer(data) && data.repository !== null ? data : undefined;
}

function isThreadsAnswer(data: unknown): data is ThreadsAnswer {
  return (
    typeof data === 'object' &&
    data !== null &&
    'repository' in data &&
    typeof data.repository === 'object'
  );
}

class FeedbackQueries {
  constructor(
    private readonly octokit: Octokit,
    private readonly limits: { timeoutMs: number; retries: number; tally: RequestTally },
  ) {}

  /** The pull requests of one batch that exist; a number GitHub does not know is left out. */
  async pulls(ref: RepoRef, numbers: number[]): Promise<PullNode[]> {
    let answer: ThreadsAnswer;
    try {
      answer = await this.query<ThreadsAnswer>(threadsQuery(numbers), {
        owner: ref.owner,
        name: ref.repo,
        threadsPage: THREADS_PAGE,
        commentsPage: COMMENTS_PAGE,
      });
    } catch (error: unknown) {
      const partial = pullsNotFound(error);
      if (!partial) throw error;
      answer = partial;
    }
    return numbers.flatMap((n) => answer.repository?.[`p${n}`] ?? []);
  }

  allThreads(pull: PullNode): Promise<ThreadNode[]> {
    return this.everyNode(pull.reviewThreads, MORE_THREADS_QUERY, pull.id, 'reviewThreads', {
      threadsPage: MORE_PAGE,
      commentsPage: COMMENTS_PAGE,
    });
  }

  allComments(thread: ThreadNode): Promise<CommentNode[]> {
    return this.everyNode(thread.comments, MORE_COMMENTS_QUERY, thread.id, 'comments', {
      commentsPage: MORE_PAGE,
    });
  }

  /** The reactions on each of the comments, by comment node id. */
  async reactions(ids: string[]): Promise<Map<string, ReactionNode[]>> {
    const byId = new Map<string, ReactionNode[]>();
    for (let i = 0; i < ids.length; i += COMMENTS_PER_REACTIONS_QUERY) {
      const answer = await this.query<{ nodes: (ReactionsHolder | null)[] }>(REACTIONS_QUERY, {
        ids: ids.slice(i, i + COMMENTS_PER_REACTIONS_QUERY),
        reactionsPage: REACTIONS_PAGE,
      });
      for (const node of present(answer.nodes)) {
        if (node.id === undefined || !node.reactions) continue;
        const all = await this.everyNode(
          node.reactions,
          MORE_REACTIONS_QUERY,
          node.id,
          'reactions',
          {
            reactionsPage: MORE_PAGE,
          },
        );
        byId.set(node.id, all);
      }
    }
    return byId;
  }

  /**
   * The nodes of a connection that may have overflowed its first page: `query` asks for the
   * next page of `field` under `node(id:)`.
   */
  private async everyNode<T>(
    first: Connection<T>,
    query: string,
    id: string,
    field: string,
    variables: Record<string, unknown>,
  ): Promise<T[]> {
    const nodes = [...present(first.nodes)];
    let page: PageInfo | undefined = first.pageInfo;
    while (page?.hasNextPage) {
      const answer: NodeAnswer<Partial<Record<string, Connection<T>>>> = await this.query<
        NodeAnswer<Partial<Record<string, Connection<T>>>>
      >(query, { ...variables, id, after: page.endCursor });
      const next = answer.node?.[field];
      nodes.push(...present(next?.nodes));
      page = next?.pageInfo;
    }
    return nodes;
  }

  private query<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const { tally, ...limits } = this.limits;
    return timedQuery<T>(this.octokit, query, variables, limits, tally);
  }
}
