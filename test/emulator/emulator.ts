/**
 * A stateful GitHub REST API on loopback for tests, benchmarks and the demo. Seed it, point a
 * client at `url`, then assert on its state, its request log and its schema violations.
 */
import { createServer, type Server } from 'node:http';
import { Faults } from './faults.js';
import { GraphqlEndpoint } from './graphql.js';
import { loadSpec } from './openapi.js';
import { findLine, parsePatch } from './patch.js';
import { RateBudget } from './rate-limit.js';
import { Renderer } from './render.js';
import { Router } from './router.js';
import { issueRoutes } from './routes/issues.js';
import { pullRoutes } from './routes/pulls.js';
import { reactionRoutes } from './routes/reactions.js';
import { compareRoutes } from './routes/compare.js';
import { repoRoutes } from './routes/repos.js';
import { reviewCommentRoutes } from './routes/review-comments.js';
import { reviewRoutes } from './routes/reviews.js';
import { createRequestHandler } from './server.js';
import {
  fakeSha,
  nodeId,
  normalizeScope,
  State,
  timestamp,
  type IssueRecord,
  type RepoRecord,
  type ReviewCommentRecord,
} from './state.js';
import type {
  FaultSpec,
  Issue,
  IssueComment,
  FileSeed,
  IssueCommentSeed,
  IssueSeed,
  Permission,
  PullRequest,
  PullRequestSeed,
  Reaction,
  ReactionContent,
  Repo,
  RequestLogEntry,
  Review,
  ReviewComment,
  ReviewCommentSeed,
  ReviewSeed,
  User,
} from './types.js';

/** What a workflow's GITHUB_TOKEN gets per hour and repository. */
const DEFAULT_RATE_LIMIT = 1000;

export class GitHubEmulator {
  readonly url: string;
  readonly graphqlUrl: string;
  /** Every request, in arrival order. */
  readonly requests: RequestLogEntry[] = [];
  /** Requests and responses that broke GitHub's OpenAPI description, human-readable. */
  readonly schemaViolations: string[] = [];

  private readonly state = new State();
  /** POST /graphql: its rate-limit points, search cap and injected GraphQL errors. */
  readonly graphql = new GraphqlEndpoint(this.state);
  private readonly faults = new Faults();
  private readonly render: Renderer;
  private readonly budget: RateBudget;

  private constructor(
    private readonly server: Server,
    url: string,
    rateLimit: number,
  ) {
    this.url = url;
    this.graphqlUrl = `${url}/graphql`;
    this.render = new Renderer(this.state, url);
    this.budget = new RateBudget(rateLimit);
  }

  static async start(options: { rateLimit?: number } = {}): Promise<GitHubEmulator> {
    const { spec } = loadSpec();
    const router = new Router();
    router.add([
      ...repoRoutes,
      ...compareRoutes,
      ...pullRoutes,
      ...issueRoutes,
      ...reactionRoutes,
      ...reviewCommentRoutes,
      ...reviewRoutes,
    ]);
    // A route whose template or method the spec lacks could never be reached: say so at once.
    for (const route of router.all()) {
      if (!spec.find(route.method, route.path)) {
        throw new Error(
          `Route ${route.method} ${route.path} is not in GitHub's OpenAPI description.`,
        );
      }
    }
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
    const emulator = new GitHubEmulator(
      server,
      `http://127.0.0.1:${address.port}`,
      options.rateLimit ?? DEFAULT_RATE_LIMIT,
    );
    const handler = createRequestHandler({
      spec,
      state: emulator.state,
      router,
      budget: emulator.budget,
      faults: emulator.faults,
      render: emulator.render,
      origin: emulator.url,
      startedAt: Date.now(),
      requests: emulator.requests,
      schemaViolations: emulator.schemaViolations,
      graphql: emulator.graphql,
    });
    server.on('request', (req, res) => void handler(req, res));
    return emulator;
  }

  async stop(): Promise<void> {
    // Keep-alive connections from fetch would otherwise hold close() open.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  addUser(login: string, opts: { type?: 'User' | 'Bot'; name?: string } = {}): User {
    return this.render.user(this.state.addUser(login, opts));
  }

  addRepo(fullName: string, opts: { private?: boolean } = {}): Repo {
    return this.render.repo(this.state.addRepo(fullName, opts));
  }

  setPermission(fullName: string, login: string, permission: Permission): void {
    const repo = this.state.requireRepo(fullName);
    const user = this.state.addUser(login);
    repo.permissions.set(user.login.toLowerCase(), permission);
  }

  /** Scopes as a workflow's `permissions:` block names them; `metadata: read` is always implied. */
  addToken(
    token: string,
    permissions: Record<string, 'read' | 'write'>,
    opts: { login?: string } = {},
  ): void {
    const scopes = new Map<string, 'read' | 'write'>([['metadata', 'read']]);
    for (const [scope, level] of Object.entries(permissions))
      scopes.set(normalizeScope(scope), level);
    const user = this.state.addUser(opts.login ?? 'github-actions[bot]');
    this.state.tokens.set(token, { permissions: scopes, user });
  }

  addPullRequest(fullName: string, pr: PullRequestSeed): PullRequest {
    const repo = this.state.requireRepo(fullName);
    const number = this.state.claimNumber(repo, pr.number);
    const createdAt = pr.created_at ?? timestamp();
    const issue = this.newIssue(
      repo,
      number,
      pr.user,
      pr.title ?? `Pull request #${number}`,
      createdAt,
    );
    issue.body = pr.body ?? null;
    issue.state = pr.state ?? 'open';
    issue.closedAt = issue.state === 'closed' ? createdAt : null;
    const id = this.state.nextId();
    const headSha = pr.head_sha ?? fakeSha(fullName, number, 'head');
    issue.pull = {
      id,
      nodeId: nodeId('011:PullRequest', id),
      headSha,
      previousHeads: [],
      baseSha: pr.base_sha ?? fakeSha(fullName, number, 'base'),
      headRepo: pr.head_repo ? this.state.addRepo(pr.head_repo, { fork: true }) : repo,
      headRef: `pr-${number}`,
      baseRef: 'main',
      draft: pr.draft ?? false,
      files: pr.files ?? [],
      filesAt: new Map([[headSha, pr.files ?? []]]),
    };
    return this.render.pull(this.state.requirePull(repo, number));
  }

  /** A push to the pull request's branch: a new head commit with a new diff. */
  pushToPullRequest(
    fullName: string,
    number: number,
    push: { head_sha: string; files: FileSeed[] },
  ): void {
    const { pull } = this.state.requirePull(this.state.requireRepo(fullName), number);
    pull.previousHeads.push(pull.headSha);
    pull.headSha = push.head_sha;
    pull.files = push.files;
    pull.filesAt.set(push.head_sha, push.files);
  }

  addIssue(fullName: string, seed: IssueSeed): Issue {
    const repo = this.state.requireRepo(fullName);
    const number = this.state.claimNumber(repo, seed.number);
    const issue = this.newIssue(
      repo,
      number,
      seed.user,
      seed.title ?? `Issue #${number}`,
      timestamp(),
    );
    return this.render.issue(issue);
  }

  addIssueComment(fullName: string, issueNumber: number, seed: IssueCommentSeed): IssueComment {
    const issue = this.state.requireIssue(this.state.requireRepo(fullName), issueNumber);
    const id = this.state.nextId();
    const createdAt = seed.created_at ?? timestamp();
    const comment = {
      id,
      nodeId: nodeId('012:IssueComment', id),
      issue,
      user: this.state.addUser(seed.user),
      body: seed.body,
      createdAt,
      updatedAt: createdAt,
      reactions: [],
    };
    this.state.issueComments.set(id, comment);
    return this.render.issueComment(comment);
  }

  /**
   * Seeds a comment as GitHub stored it: `diff_hunk` is taken as given, `position` is derived
   * from the file's patch, and `line: null` makes an outdated comment.
   */
  addReviewComment(fullName: string, prNumber: number, seed: ReviewCommentSeed): ReviewComment {
    const pull = this.state.requirePull(this.state.requireRepo(fullName), prNumber);
    const side = seed.side ?? 'RIGHT';
    const file = pull.pull.files.find((f) => f.filename === seed.path);
    const hunks = file?.patch === undefined ? [] : parsePatch(file.patch);
    const positionOf = (line: number | null): number | null =>
      line === null ? null : (findLine(hunks, line, side)?.position ?? null);
    const line = seed.line ?? null;
    const originalLine = seed.original_line === undefined ? line : seed.original_line;
    const commitId = seed.commit_id ?? pull.pull.headSha;
    const createdAt = seed.created_at ?? timestamp();
    const startLine = seed.start_line ?? null;
    const id = this.state.nextId();
    const comment = {
      id,
      nodeId: nodeId('024:PullRequestReviewComment', id),
      pull,
      reviewId: seed.review_id ?? null,
      inReplyToId: seed.in_reply_to_id,
      user: this.state.addUser(seed.user),
      body: seed.body,
      path: seed.path,
      diffHunk: seed.diff_hunk,
      position: positionOf(line),
      originalPosition: positionOf(originalLine),
      line,
      originalLine,
      side,
      startLine,
      originalStartLine: startLine,
      startSide: startLine === null ? null : side,
      commitId,
      originalCommitId: seed.original_commit_id ?? commitId,
      createdAt,
      updatedAt: seed.updated_at ?? createdAt,
      reactions: [],
    };
    this.state.reviewComments.set(id, comment);
    // Anything said on a pull request updates it, as the API routes do: search sorts by it.
    if (comment.updatedAt > pull.updatedAt) pull.updatedAt = comment.updatedAt;
    return this.render.reviewComment(comment);
  }

  /** A reaction by `login` on a review comment, as if they had clicked it. */
  addReviewCommentReaction(
    fullName: string,
    commentId: number,
    login: string,
    content: ReactionContent,
  ): Reaction {
    const comment = this.reviewCommentRecord(fullName, commentId);
    const { reaction } = this.state.react(comment.reactions, this.state.addUser(login), content);
    return this.render.reaction(reaction);
  }

  /** Marks resolved the review thread that `commentId` starts or replies in. */
  resolveThread(fullName: string, commentId: number): void {
    let comment = this.reviewCommentRecord(fullName, commentId);
    while (comment.inReplyToId !== undefined) {
      const parent = this.state.reviewComments.get(comment.inReplyToId);
      if (!parent) break;
      comment = parent;
    }
    this.state.resolvedThreads.add(comment.id);
  }

  addReview(fullName: string, prNumber: number, seed: ReviewSeed): Review {
    const pull = this.state.requirePull(this.state.requireRepo(fullName), prNumber);
    const id = this.state.nextId();
    const review = {
      id,
      nodeId: nodeId('017:PullRequestReview', id),
      pull,
      user: this.state.addUser(seed.user),
      state: seed.state,
      body: seed.body ?? '',
      commitId: seed.commit_id ?? pull.pull.headSha,
      submittedAt: seed.submitted_at ?? timestamp(),
    };
    this.state.reviews.set(id, review);
    if (review.submittedAt > pull.updatedAt) pull.updatedAt = review.submittedAt;
    return this.render.review(review);
  }

  issueComments(fullName: string, issueNumber: number): IssueComment[] {
    const issue = this.state.requireIssue(this.state.requireRepo(fullName), issueNumber);
    return this.state.commentsOn(issue).map((c) => this.render.issueComment(c));
  }

  reviewComments(fullName: string, prNumber: number): ReviewComment[] {
    const pull = this.state.requirePull(this.state.requireRepo(fullName), prNumber);
    return this.state.reviewCommentsOn(pull).map((c) => this.render.reviewComment(c));
  }

  reviews(fullName: string, prNumber: number): Review[] {
    const pull = this.state.requirePull(this.state.requireRepo(fullName), prNumber);
    return this.state.reviewsOn(pull).map((r) => this.render.review(r));
  }

  /** Reactions on an issue comment. */
  reactions(fullName: string, commentId: number): Reaction[] {
    const repo = this.state.requireRepo(fullName);
    const comment = this.state.issueComments.get(commentId);
    if (!comment || comment.issue.repo !== repo) {
      throw new Error(`No issue comment ${commentId} in ${fullName}.`);
    }
    return comment.reactions.map((r) => this.render.reaction(r));
  }

  private reviewCommentRecord(fullName: string, commentId: number): ReviewCommentRecord {
    const repo = this.state.requireRepo(fullName);
    const comment = this.state.reviewComments.get(commentId);
    if (!comment || comment.pull.repo !== repo) {
      throw new Error(`No review comment ${commentId} in ${fullName}.`);
    }
    return comment;
  }

  /** Each request matching method and path consumes one of the fault's `times` (default 1). */
  injectFault(fault: FaultSpec): void {
    this.faults.add(fault);
  }

  rateLimitRemaining(): number {
    return this.budget.remaining();
  }

  /** Forgets the requests and schema violations seen so far. */
  resetLog(): void {
    this.requests.length = 0;
    this.schemaViolations.length = 0;
  }

  private newIssue(
    repo: RepoRecord,
    number: number,
    login: string,
    title: string,
    createdAt: string,
  ): IssueRecord {
    const id = this.state.nextId();
    const issue: IssueRecord = {
      repo,
      number,
      id,
      nodeId: nodeId('05:Issue', id),
      title,
      body: null,
      user: this.state.addUser(login),
      state: 'open',
      createdAt,
      updatedAt: createdAt,
      closedAt: null,
    };
    repo.issues.set(number, issue);
    return issue;
  }
}
