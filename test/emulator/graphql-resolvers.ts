/**
 * The emulator's records seen as GraphQL objects, for the fields the collector asks for. Plain
 * values answer scalar fields; methods answer fields with arguments (graphql-js calls them with
 * the arguments). A field the emulator does not model resolves to null, and the schema's
 * non-null checks then report it.
 */
import { GraphQLError } from 'graphql';
import { parseSearch, SearchSyntaxError, type TimeRange } from './graphql-search.js';
import type { ReactionContent } from './types.js';
import {
  isPull,
  nodeId,
  type IssueRecord,
  type PullFields,
  type ReactionRecord,
  type RepoRecord,
  type ReviewCommentRecord,
  type State,
  type TokenRecord,
  type UserRecord,
} from './state.js';

type Pull = IssueRecord & { pull: PullFields };

/** An error GitHub itself would give (`type` as GitHub spells it), not an emulator bug. */
export class GitHubGraphqlError extends GraphQLError {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request for something the emulator does not model: reported as an emulator gap. */
export class UnsupportedError extends GraphQLError {}

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Search never returns more than this many results for one query, whatever it matches. */
export const SEARCH_RESULT_CAP = 1000;
/** `nodes(ids:)` takes at most this many ids. */
const MAX_NODE_IDS = 100;

function cursorOf(position: number): string {
  return Buffer.from(`cursor:${position}`).toString('base64');
}

function positionOf(cursor: string): number {
  const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match?.[1])
    throw new GitHubGraphqlError(
      'INVALID_CURSOR_ARGUMENTS',
      `\`${cursor}\` does not appear to be a valid cursor.`,
    );
  return Number(match[1]);
}

/** Whether `time` falls in a search qualifier's range (from inclusive, to exclusive). */
function within(time: string, range: TimeRange): boolean {
  const at = Date.parse(time);
  return at >= range.from && at < range.to;
}

/** A page of a connection: `first`/`after` only, which is what the collector pages with. */
function connection<T>(items: T[], args: ConnectionArgs): Record<string, unknown> {
  if (args.last != null || args.before != null) {
    throw new UnsupportedError('the emulator pages connections with first/after only');
  }
  const start = args.after == null ? 0 : positionOf(args.after);
  const first = args.first ?? items.length;
  const page = items.slice(start, start + first);
  return {
    totalCount: items.length,
    nodes: page,
    edges: page.map((node, i) => ({ cursor: cursorOf(start + i + 1), node })),
    pageInfo: {
      hasNextPage: start + page.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length > 0 ? cursorOf(start + 1) : null,
      endCursor: page.length > 0 ? cursorOf(start + page.length) : null,
    },
  };
}

interface ReviewGroup {
  id: string;
  databaseId: number;
  pull: Pull;
  user: UserRecord;
  state: string;
  submittedAt: string | null;
  comments: ReviewCommentRecord[];
}

/**
 * Reviews with their comments, indexed once per request. On GitHub every review comment
 * belongs to a review; a comment seeded without one gets an implied review per author and pull
 * request.
 */
class ReviewIndex {
  readonly byPull = new Map<Pull, ReviewGroup[]>();
  readonly byNodeId = new Map<string, ReviewGroup>();

  constructor(state: State) {
    const byId = new Map<number, ReviewGroup>();
    for (const review of state.reviews.values()) {
      if (review.state === 'PENDING') continue;
      const pull = review.pull;
      if (!isPull(pull)) continue;
      const group: ReviewGroup = {
        id: review.nodeId,
        databaseId: review.id,
        pull,
        user: review.user,
        state: review.state,
        submittedAt: review.submittedAt,
        comments: [],
      };
      byId.set(review.id, group);
      this.add(group);
    }
    const implied = new Map<string, ReviewGroup>();
    for (const comment of state.reviewComments.values()) {
      const owner = comment.reviewId === null ? undefined : byId.get(comment.reviewId);
      if (owner) {
        owner.comments.push(comment);
        continue;
      }
      const pull = comment.pull;
      if (!isPull(pull)) continue;
      const key = `${pull.pull.id}:${comment.user.id}`;
      let group = implied.get(key);
      if (!group) {
        group = {
          id: nodeId(`017:PullRequestReview:implied:${pull.pull.id}:`, comment.user.id),
          databaseId: 0,
          pull,
          user: comment.user,
          state: 'COMMENTED',
          submittedAt: comment.createdAt,
          comments: [],
        };
        implied.set(key, group);
        this.add(group);
      }
      group.comments.push(comment);
    }
    for (const groups of this.byPull.values()) {
      groups.sort((a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''));
      for (const group of groups) group.comments.sort((a, b) => a.id - b.id);
    }
  }

  private add(group: ReviewGroup): void {
    const list = this.byPull.get(group.pull) ?? [];
    list.push(group);
    this.byPull.set(group.pull, list);
    this.byNodeId.set(group.id, group);
  }

  reviewedBy(pull: Pull, login: string): boolean {
    const wanted = login.toLowerCase();
    return (this.byPull.get(pull) ?? []).some((g) => g.user.login.toLowerCase() === wanted);
  }
}

interface Thread {
  id: string;
  pull: Pull;
  /** The comment that starts the thread first, then its replies in order. */
  comments: ReviewCommentRecord[];
}

/**
 * Review threads, indexed once per request: a comment that answers no other starts one, and
 * every reply (or reply to a reply) joins its starter's. Comments of pending reviews are
 * visible to their author only, so never here.
 */
class ThreadIndex {
  readonly byPull = new Map<Pull, Thread[]>();
  readonly byNodeId = new Map<string, Thread>();

  constructor(state: State) {
    const byStarter = new Map<number, Thread>();
    const sorted = [...state.reviewComments.values()].sort((a, b) => a.id - b.id);
    for (const comment of sorted) {
      const review = comment.reviewId === null ? undefined : state.reviews.get(comment.reviewId);
      if (review?.state === 'PENDING' || !isPull(comment.pull)) continue;
      let starter = comment;
      for (let parent = state.reviewComments.get(starter.inReplyToId ?? -1); parent;) {
        starter = parent;
        parent = state.reviewComments.get(starter.inReplyToId ?? -1);
      }
      let thread = byStarter.get(starter.id);
      if (!thread) {
        thread = { id: nodeId('PRRT_', starter.id), pull: comment.pull, comments: [] };
        byStarter.set(starter.id, thread);
        this.byNodeId.set(thread.id, thread);
        const list = this.byPull.get(comment.pull) ?? [];
        list.push(thread);
        this.byPull.set(comment.pull, list);
      }
      thread.comments.push(comment);
    }
  }
}

/** REST's reaction names as GraphQL's ReactionContent enum spells them. */
const REACTION_ENUM: Record<ReactionContent, string> = {
  '+1': 'THUMBS_UP',
  '-1': 'THUMBS_DOWN',
  laugh: 'LAUGH',
  confused: 'CONFUSED',
  heart: 'HEART',
  hooray: 'HOORAY',
  rocket: 'ROCKET',
  eyes: 'EYES',
};

export interface ResolverContext {
  state: State;
  token: TokenRecord;
  searchCap: number;
  rateLimit: () => Record<string, unknown>;
}

/** The root value: Query's fields the collector uses. */
export function rootValue(ctx: ResolverContext): Record<string, unknown> {
  let index: ReviewIndex | undefined;
  const reviews = (): ReviewIndex => (index ??= new ReviewIndex(ctx.state));
  let threadIndex: ThreadIndex | undefined;
  const threads = (): ThreadIndex => (threadIndex ??= new ThreadIndex(ctx.state));
  const views = new Views(ctx, reviews, threads);
  const node = (id: string): Record<string, unknown> => {
    const pull = views.pullByNodeId(id);
    if (pull) return views.pull(pull);
    const group = reviews().byNodeId.get(id);
    if (group && views.visible(group.pull)) return views.review(group);
    const thread = threads().byNodeId.get(id);
    if (thread && views.visible(thread.pull)) return views.thread(thread);
    const comment = views.commentByNodeId(id);
    if (comment) return views.comment(comment);
    throw new GitHubGraphqlError(
      'NOT_FOUND',
      `Could not resolve to a node with the global id of '${id}'`,
    );
  };
  return {
    rateLimit: () => ctx.rateLimit(),
    node: ({ id }: { id: string }) => node(id),
    // An id that finds nothing is a null entry and an error, the others still answer.
    nodes: ({ ids }: { ids: string[] }) => {
      if (ids.length > MAX_NODE_IDS) {
        throw new GitHubGraphqlError(
          'ARGUMENT_LIMIT',
          `You may not provide more than ${MAX_NODE_IDS} IDs per request.`,
        );
      }
      return ids.map((id) => {
        try {
          return node(id);
        } catch (error: unknown) {
          if (error instanceof GitHubGraphqlError) return error;
          throw error;
        }
      });
    },
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = ctx.state.repo(owner, name);
      if (!repo || !views.visible(repo)) {
        throw new GitHubGraphqlError(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${owner}/${name}'.`,
        );
      }
      return views.repository(repo);
    },
    search: (args: ConnectionArgs & { query: string; type: string }) => {
      if (args.type !== 'ISSUE') throw new UnsupportedError(`search type ${args.type}`);
      let query;
      try {
        query = parseSearch(args.query);
      } catch (error: unknown) {
        if (error instanceof SearchSyntaxError) throw new UnsupportedError(error.message);
        throw error;
      }
      const [owner = '', name = ''] = query.repo.split('/');
      const repo = ctx.state.repo(owner, name);
      const matches: Pull[] = [];
      if (repo && views.visible(repo)) {
        for (const issue of repo.issues.values()) {
          if (!isPull(issue)) continue;
          if (!within(issue.createdAt, query.created) || !within(issue.updatedAt, query.updated)) {
            continue;
          }
          const author = issue.user.login.toLowerCase();
          if (query.author !== undefined && author !== query.author.toLowerCase()) continue;
          // GitHub leaves the author's own pull requests out of reviewed-by:.
          if (
            query.reviewedBy !== undefined &&
            (author === query.reviewedBy.toLowerCase() ||
              !reviews().reviewedBy(issue, query.reviewedBy))
          ) {
            continue;
          }
          matches.push(issue);
        }
      }
      const key = query.sort.startsWith('updated') ? 'updatedAt' : 'createdAt';
      matches.sort((a, b) => a[key].localeCompare(b[key]) || a.number - b.number);
      if (query.sort.endsWith('-desc')) matches.reverse();
      const reachable = matches.slice(0, ctx.searchCap).map((pull) => views.pull(pull));
      return { ...connection(reachable, args), issueCount: matches.length };
    },
  };
}

class Views {
  private pullsByNodeId: Map<string, Pull> | undefined;

  constructor(
    private readonly ctx: ResolverContext,
    private readonly reviews: () => ReviewIndex,
    private readonly threads: () => ThreadIndex,
  ) {}

  repository(repo: RepoRecord): Record<string, unknown> {
    return {
      __typename: 'Repository',
      id: repo.nodeId,
      name: repo.name,
      nameWithOwner: repo.fullName,
      isPrivate: repo.private,
      pullRequest: ({ number }: { number: number }) => {
        const issue = repo.issues.get(number);
        if (!issue || !isPull(issue)) {
          throw new GitHubGraphqlError(
            'NOT_FOUND',
            `Could not resolve to a PullRequest with the number of ${number}.`,
          );
        }
        return this.pull(issue);
      },
    };
  }

  commentByNodeId(id: string): ReviewCommentRecord | undefined {
    for (const comment of this.ctx.state.reviewComments.values()) {
      if (comment.nodeId !== id) continue;
      const review =
        comment.reviewId === null ? undefined : this.ctx.state.reviews.get(comment.reviewId);
      if (review?.state === 'PENDING' || !isPull(comment.pull) || !this.visible(comment.pull)) {
        return undefined;
      }
      return comment;
    }
    return undefined;
  }

  thread(thread: Thread): Record<string, unknown> {
    const [starter] = thread.comments;
    if (!starter) throw new Error('a thread has the comment that starts it');
    const resolved = this.ctx.state.resolvedThreads.has(starter.id);
    return {
      __typename: 'PullRequestReviewThread',
      id: thread.id,
      isResolved: resolved,
      isCollapsed: resolved,
      // The emulator marks a comment outdated by `line: null`: a later push moved its line away.
      isOutdated: starter.line === null,
      path: starter.path,
      line: starter.line,
      originalLine: starter.originalLine,
      startLine: starter.startLine,
      originalStartLine: starter.originalStartLine,
      diffSide: starter.side,
      startDiffSide: starter.startSide,
      subjectType: 'LINE',
      pullRequest: () => this.pull(thread.pull),
      comments: (args: ConnectionArgs) =>
        connection(
          thread.comments.map((c) => this.comment(c)),
          args,
        ),
    };
  }

  reaction(reaction: ReactionRecord): Record<string, unknown> {
    return {
      __typename: 'Reaction',
      id: reaction.nodeId,
      databaseId: reaction.id,
      content: REACTION_ENUM[reaction.content],
      createdAt: reaction.createdAt,
      user: this.user(reaction.user),
    };
  }

  /** Public repositories, or private ones the token may read. */
  visible(target: { private: boolean } | Pull): boolean {
    const repo = 'repo' in target ? target.repo : target;
    if (!repo.private) return true;
    return ['pull-requests', 'contents', 'issues'].some((s) => this.ctx.token.permissions.has(s));
  }

  pullByNodeId(id: string): Pull | undefined {
    if (!this.pullsByNodeId) {
      this.pullsByNodeId = new Map();
      for (const repo of this.ctx.state.repos.values()) {
        for (const issue of repo.issues.values()) {
          if (isPull(issue)) this.pullsByNodeId.set(issue.pull.nodeId, issue);
        }
      }
    }
    const pull = this.pullsByNodeId.get(id);
    return pull && this.visible(pull) ? pull : undefined;
  }

  user(user: UserRecord): Record<string, unknown> {
    return {
      __typename: user.type === 'Bot' ? 'Bot' : 'User',
      id: user.nodeId,
      login: user.login,
      databaseId: user.id,
    };
  }

  pull(pull: Pull): Record<string, unknown> {
    return {
      __typename: 'PullRequest',
      id: pull.pull.nodeId,
      databaseId: pull.pull.id,
      fullDatabaseId: String(pull.pull.id),
      number: pull.number,
      title: pull.title,
      state: pull.state === 'open' ? 'OPEN' : 'CLOSED',
      isDraft: pull.pull.draft,
      createdAt: pull.createdAt,
      updatedAt: pull.updatedAt,
      baseRefOid: pull.pull.baseSha,
      author: this.user(pull.user),
      reviewThreads: (args: ConnectionArgs) =>
        connection(
          (this.threads().byPull.get(pull) ?? []).map((t) => this.thread(t)),
          args,
        ),
      reviews: (args: ConnectionArgs & { author?: string | null; states?: string[] | null }) => {
        const author = args.author?.toLowerCase();
        const groups = (this.reviews().byPull.get(pull) ?? []).filter(
          (g) =>
            (author === undefined || g.user.login.toLowerCase() === author) &&
            (args.states == null || args.states.includes(g.state)),
        );
        return connection(
          groups.map((g) => this.review(g)),
          args,
        );
      },
    };
  }

  review(group: ReviewGroup): Record<string, unknown> {
    return {
      __typename: 'PullRequestReview',
      id: group.id,
      databaseId: group.databaseId,
      fullDatabaseId: String(group.databaseId),
      state: group.state,
      submittedAt: group.submittedAt,
      author: this.user(group.user),
      comments: (args: ConnectionArgs) =>
        connection(
          group.comments.map((c) => this.comment(c)),
          args,
        ),
    };
  }

  comment(comment: ReviewCommentRecord): Record<string, unknown> {
    const replyTo =
      comment.inReplyToId === undefined
        ? undefined
        : this.ctx.state.reviewComments.get(comment.inReplyToId);
    return {
      __typename: 'PullRequestReviewComment',
      id: comment.nodeId,
      databaseId: comment.id,
      fullDatabaseId: String(comment.id),
      author: this.user(comment.user),
      body: comment.body,
      path: comment.path,
      diffHunk: comment.diffHunk,
      line: comment.line,
      originalLine: comment.originalLine,
      startLine: comment.startLine,
      originalStartLine: comment.originalStartLine,
      outdated: comment.line === null,
      viewerDidAuthor: comment.user.id === this.ctx.token.user.id,
      reactions: (args: ConnectionArgs & { content?: string | null }) =>
        connection(
          comment.reactions
            .filter((r) => args.content == null || REACTION_ENUM[r.content] === args.content)
            .map((r) => this.reaction(r)),
          args,
        ),
      commit: { __typename: 'Commit', oid: comment.commitId },
      originalCommit: { __typename: 'Commit', oid: comment.originalCommitId },
      replyTo: replyTo ? () => this.comment(replyTo) : null,
      createdAt: comment.createdAt,
      updatedAt: comment.updatedAt,
    };
  }
}
