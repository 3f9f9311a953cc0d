/** The emulator's world: users, repositories, pull requests, issues and everything said on them. */
import { createHash } from 'node:crypto';
import type {
  FileSeed,
  Permission,
  ReactionContent,
  ReviewState,
  Side,
  AuthorAssociation,
} from './types.js';

export interface UserRecord {
  login: string;
  id: number;
  nodeId: string;
  type: 'User' | 'Bot';
  name: string | null;
  createdAt: string;
}

export interface RepoRecord {
  id: number;
  nodeId: string;
  owner: UserRecord;
  name: string;
  fullName: string;
  private: boolean;
  fork: boolean;
  createdAt: string;
  permissions: Map<string, Permission>;
  /** Issues and pull requests share one number sequence, as on GitHub. */
  issues: Map<number, IssueRecord>;
  nextNumber: number;
}

export interface PullFields {
  id: number;
  nodeId: string;
  headSha: string;
  /** Heads before the latest push: reviews may still name them as their commit. */
  previousHeads: string[];
  baseSha: string;
  headRepo: RepoRecord;
  headRef: string;
  baseRef: string;
  draft: boolean;
  files: FileSeed[];
  /** Each head's diff against the base, the current one too: compare shows an older head's. */
  filesAt: Map<string, FileSeed[]>;
}

export interface IssueRecord {
  repo: RepoRecord;
  number: number;
  id: number;
  nodeId: string;
  title: string;
  body: string | null;
  user: UserRecord;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull?: PullFields;
}

export interface ReactionRecord {
  id: number;
  nodeId: string;
  user: UserRecord;
  content: ReactionContent;
  createdAt: string;
}

export interface IssueCommentRecord {
  id: number;
  nodeId: string;
  issue: IssueRecord;
  user: UserRecord;
  body: string;
  createdAt: string;
  updatedAt: string;
  reactions: ReactionRecord[];
}

export interface ReviewRecord {
  id: number;
  nodeId: string;
  pull: IssueRecord;
  user: UserRecord;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: string | null;
}

export interface ReviewCommentRecord {
  id: number;
  nodeId: string;
  pull: IssueRecord;
  reviewId: number | null;
  inReplyToId?: number;
  user: UserRecord;
  body: string;
  path: string;
  diffHunk: string;
  position: number | null;
  originalPosition: number | null;
  line: number | null;
  originalLine: number | null;
  side: Side;
  startLine: number | null;
  originalStartLine: number | null;
  startSide: Side | null;
  commitId: string;
  originalCommitId: string;
  createdAt: string;
  updatedAt: string;
  reactions: ReactionRecord[];
}

export interface TokenRecord {
  permissions: Map<string, 'read' | 'write'>;
  user: UserRecord;
}

/** The id GitHub gives the github-actions[bot] user, so logs and fixtures look familiar. */
const GITHUB_ACTIONS_BOT_ID = 41898282;

export function timestamp(ms: number = Date.now()): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function fakeSha(...parts: (string | number)[]): string {
  return createHash('sha1').update(parts.join('\0')).digest('hex');
}

export function nodeId(prefix: string, id: number): string {
  return Buffer.from(`${prefix}${id}`).toString('base64').replace(/=+$/, '');
}

/** Scope names as workflow YAML writes them (`pull-requests`); GitHub's headers use underscores. */
export function normalizeScope(scope: string): string {
  return scope.replace(/_/g, '-');
}

export class State {
  readonly users = new Map<string, UserRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly issueComments = new Map<number, IssueCommentRecord>();
  readonly reviewComments = new Map<number, ReviewCommentRecord>();
  readonly reviews = new Map<number, ReviewRecord>();
  /** Review threads marked resolved, by the id of the comment that starts them. */
  readonly resolvedThreads = new Set<number>();
  // One id sequence for every kind of object: an id of the wrong kind then never finds anything.
  private lastId = 1000;

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  addUser(login: string, opts: { type?: 'User' | 'Bot'; name?: string } = {}): UserRecord {
    const existing = this.users.get(login.toLowerCase());
    if (existing) return existing;
    const type = opts.type ?? (login.endsWith('[bot]') ? 'Bot' : 'User');
    const id = login === 'github-actions[bot]' ? GITHUB_ACTIONS_BOT_ID : this.nextId();
    const user: UserRecord = {
      login,
      id,
      nodeId: nodeId(type === 'Bot' ? '03:Bot' : '04:User', id),
      type,
      name: opts.name ?? null,
      createdAt: timestamp(),
    };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  user(login: string): UserRecord | undefined {
    return this.users.get(login.toLowerCase());
  }

  addRepo(fullName: string, opts: { private?: boolean; fork?: boolean } = {}): RepoRecord {
    const [ownerLogin, name, extra] = fullName.split('/');
    if (!ownerLogin || !name || extra !== undefined) {
      throw new Error(`Invalid repository '${fullName}'. Expected owner/name.`);
    }
    const existing = this.repo(ownerLogin, name);
    if (existing) return existing;
    const id = this.nextId();
    const repo: RepoRecord = {
      id,
      nodeId: nodeId('010:Repository', id),
      owner: this.addUser(ownerLogin),
      name,
      fullName,
      private: opts.private ?? false,
      fork: opts.fork ?? false,
      createdAt: timestamp(),
      permissions: new Map(),
      issues: new Map(),
      nextNumber: 1,
    };
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  requireRepo(fullName: string): RepoRecord {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`Unknown repository '${fullName}'. Seed it with addRepo first.`);
    return repo;
  }

  /** The role a user holds: the owner is admin; others what was granted, else none. */
  permission(repo: RepoRecord, user: UserRecord): Permission {
    if (repo.owner.id === user.id) return 'admin';
    return repo.permissions.get(user.login.toLowerCase()) ?? 'none';
  }

  authorAssociation(repo: RepoRecord, user: UserRecord): AuthorAssociation {
    if (repo.owner.id === user.id) return 'OWNER';
    if (this.permission(repo, user) !== 'none') return 'COLLABORATOR';
    return 'NONE';
  }

  claimNumber(repo: RepoRecord, number?: number): number {
    const chosen = number ?? repo.nextNumber;
    if (repo.issues.has(chosen)) {
      throw new Error(`${repo.fullName}#${chosen} already exists.`);
    }
    repo.nextNumber = Math.max(repo.nextNumber, chosen + 1);
    return chosen;
  }

  requireIssue(repo: RepoRecord, number: number): IssueRecord {
    const issue = repo.issues.get(number);
    if (!issue) throw new Error(`Unknown issue or pull request ${repo.fullName}#${number}.`);
    return issue;
  }

  requirePull(repo: RepoRecord, number: number): IssueRecord & { pull: PullFields } {
    const issue = this.requireIssue(repo, number);
    if (!isPull(issue))
      throw new Error(`${repo.fullName}#${number} is an issue, not a pull request.`);
    return issue;
  }

  /**
   * `user` reacts with `content` on something with reactions. Reacting twice with the same
   * content is idempotent: GitHub answers with the original (200 instead of 201).
   */
  react(
    reactions: ReactionRecord[],
    user: UserRecord,
    content: ReactionContent,
  ): { reaction: ReactionRecord; created: boolean } {
    const existing = reactions.find((r) => r.user === user && r.content === content);
    if (existing) return { reaction: existing, created: false };
    const id = this.nextId();
    const reaction = {
      id,
      nodeId: nodeId('08:Reaction', id),
      user,
      content,
      createdAt: timestamp(),
    };
    reactions.push(reaction);
    return { reaction, created: true };
  }

  commentsOn(issue: IssueRecord): IssueCommentRecord[] {
    return [...this.issueComments.values()].filter((c) => c.issue === issue);
  }

  reviewCommentsOn(pull: IssueRecord): ReviewCommentRecord[] {
    return [...this.reviewComments.values()].filter((c) => c.pull === pull);
  }

  reviewsOn(pull: IssueRecord): ReviewRecord[] {
    return [...this.reviews.values()].filter((r) => r.pull === pull);
  }
}

export function isPull(issue: IssueRecord): issue is IssueRecord & { pull: PullFields } {
  return issue.pull !== undefined;
}
