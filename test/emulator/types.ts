/**
 * Shapes the emulator hands out: seed options, and GitHub's JSON objects with GitHub's field names,
 * as the REST API returns them (only the fields the emulator renders are typed).
 */

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export type FileStatus =
  'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface FileSeed {
  filename: string;
  status: FileStatus;
  patch?: string;
  previous_filename?: string;
  additions?: number;
  deletions?: number;
  binary?: boolean;
}

export type ReactionContent =
  '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';

export const REACTION_CONTENTS: readonly ReactionContent[] = [
  '+1',
  '-1',
  'laugh',
  'confused',
  'heart',
  'hooray',
  'rocket',
  'eyes',
];

export type Side = 'LEFT' | 'RIGHT';
export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING' | 'DISMISSED';
export type AuthorAssociation = 'OWNER' | 'COLLABORATOR' | 'CONTRIBUTOR' | 'NONE';

export interface PullRequestSeed {
  number?: number;
  title?: string;
  body?: string;
  user: string;
  head_sha?: string;
  base_sha?: string;
  state?: 'open' | 'closed';
  draft?: boolean;
  /** Full name of the fork the head branch lives in; the base repository when absent. */
  head_repo?: string;
  created_at?: string;
  files?: FileSeed[];
}

export interface IssueSeed {
  number?: number;
  title?: string;
  user: string;
}

export interface IssueCommentSeed {
  user: string;
  body: string;
  created_at?: string;
}

export interface ReviewCommentSeed {
  user: string;
  body: string;
  path: string;
  diff_hunk: string;
  line?: number | null;
  original_line?: number | null;
  side?: Side;
  start_line?: number | null;
  commit_id?: string;
  original_commit_id?: string;
  in_reply_to_id?: number;
  created_at?: string;
  updated_at?: string;
  review_id?: number;
}

export interface ReviewSeed {
  user: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED';
  body?: string;
  commit_id?: string;
  submitted_at?: string;
}

export interface RequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  status: number;
  operationId?: string;
  spentRateLimit: boolean;
  /** Points a POST /graphql query cost against the GraphQL rate limit. */
  graphqlCost?: number;
  requestBody?: unknown;
  /** Epoch milliseconds when the request arrived. */
  at: number;
}

export interface FaultSpec {
  method?: string;
  path: string | RegExp;
  status?: number;
  times?: number;
  retryAfter?: number;
  delayMs?: number;
  message?: string;
}

export interface Link {
  href: string;
}

export interface User {
  login: string;
  id: number;
  node_id: string;
  avatar_url: string;
  gravatar_id: string;
  url: string;
  html_url: string;
  followers_url: string;
  following_url: string;
  gists_url: string;
  starred_url: string;
  subscriptions_url: string;
  organizations_url: string;
  repos_url: string;
  events_url: string;
  received_events_url: string;
  type: 'User' | 'Bot';
  user_view_type: 'public';
  site_admin: boolean;
}

export interface PublicUser extends User {
  name: string | null;
  company: string | null;
  blog: string;
  location: string | null;
  email: string | null;
  hireable: boolean | null;
  bio: string | null;
  twitter_username: string | null;
  public_repos: number;
  public_gists: number;
  followers: number;
  following: number;
  created_at: string;
  updated_at: string;
}

export interface Collaborator extends User {
  role_name: string;
  permissions: { pull: boolean; triage: boolean; push: boolean; maintain: boolean; admin: boolean };
}

export interface CollaboratorPermission {
  permission: 'admin' | 'write' | 'read' | 'none';
  role_name: string;
  user: Collaborator;
}

export interface Repo {
  id: number;
  node_id: string;
  name: string;
  full_name: string;
  owner: User;
  private: boolean;
  visibility: 'public' | 'private';
  html_url: string;
  description: string | null;
  fork: boolean;
  url: string;
  archive_url: string;
  assignees_url: string;
  blobs_url: string;
  branches_url: string;
  collaborators_url: string;
  comments_url: string;
  commits_url: string;
  compare_url: string;
  contents_url: string;
  contributors_url: string;
  deployments_url: string;
  downloads_url: string;
  events_url: string;
  forks_url: string;
  git_commits_url: string;
  git_refs_url: string;
  git_tags_url: string;
  git_url: string;
  issue_comment_url: string;
  issue_events_url: string;
  issues_url: string;
  keys_url: string;
  labels_url: string;
  languages_url: string;
  merges_url: string;
  milestones_url: string;
  notifications_url: string;
  pulls_url: string;
  releases_url: string;
  ssh_url: string;
  stargazers_url: string;
  statuses_url: string;
  subscribers_url: string;
  subscription_url: string;
  tags_url: string;
  teams_url: string;
  trees_url: string;
  clone_url: string;
  mirror_url: string | null;
  hooks_url: string;
  svn_url: string;
  homepage: string | null;
  language: string | null;
  forks_count: number;
  forks: number;
  stargazers_count: number;
  watchers_count: number;
  watchers: number;
  size: number;
  default_branch: string;
  open_issues_count: number;
  open_issues: number;
  is_template: boolean;
  topics: string[];
  has_issues: boolean;
  has_projects: boolean;
  has_wiki: boolean;
  has_pages: boolean;
  has_downloads: boolean;
  has_discussions: boolean;
  archived: boolean;
  disabled: boolean;
  pushed_at: string;
  created_at: string;
  updated_at: string;
  allow_forking: boolean;
  web_commit_signoff_required: boolean;
  license: null;
}

export interface FullRepo extends Repo {
  network_count: number;
  subscribers_count: number;
}

export interface Label {
  id: number;
  name: string;
}

export interface ReactionRollup {
  url: string;
  total_count: number;
  '+1': number;
  '-1': number;
  laugh: number;
  confused: number;
  heart: number;
  hooray: number;
  eyes: number;
  rocket: number;
}

export interface PullRequestRef {
  label: string;
  ref: string;
  sha: string;
  user: User;
  repo: Repo;
}

export interface PullRequestSimple {
  url: string;
  id: number;
  node_id: string;
  html_url: string;
  diff_url: string;
  patch_url: string;
  issue_url: string;
  commits_url: string;
  review_comments_url: string;
  review_comment_url: string;
  comments_url: string;
  statuses_url: string;
  number: number;
  state: 'open' | 'closed';
  locked: boolean;
  title: string;
  user: User;
  body: string | null;
  labels: Label[];
  milestone: null;
  active_lock_reason: null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  merged_at: string | null;
  merge_commit_sha: string | null;
  assignee: null;
  assignees: User[];
  requested_reviewers: User[];
  requested_teams: never[];
  head: PullRequestRef;
  base: PullRequestRef;
  _links: Record<
    | 'self'
    | 'html'
    | 'issue'
    | 'comments'
    | 'review_comments'
    | 'review_comment'
    | 'commits'
    | 'statuses',
    Link
  >;
  author_association: AuthorAssociation;
  auto_merge: null;
  draft: boolean;
}

export interface PullRequest extends PullRequestSimple {
  merged: boolean;
  mergeable: boolean | null;
  rebaseable: boolean | null;
  mergeable_state: string;
  merged_by: null;
  comments: number;
  review_comments: number;
  maintainer_can_modify: boolean;
  commits: number;
  additions: number;
  deletions: number;
  changed_files: number;
}

export interface DiffEntry {
  sha: string;
  filename: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  changes: number;
  blob_url: string;
  raw_url: string;
  contents_url: string;
  patch?: string;
  previous_filename?: string;
}

export interface Issue {
  id: number;
  node_id: string;
  url: string;
  repository_url: string;
  labels_url: string;
  comments_url: string;
  events_url: string;
  html_url: string;
  timeline_url: string;
  number: number;
  state: 'open' | 'closed';
  state_reason: null;
  title: string;
  body: string | null;
  user: User;
  labels: Label[];
  assignee: null;
  assignees: User[];
  milestone: null;
  locked: boolean;
  active_lock_reason: null;
  comments: number;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  author_association: AuthorAssociation;
  reactions: ReactionRollup;
  draft?: boolean;
  pull_request?: {
    url: string;
    html_url: string;
    diff_url: string;
    patch_url: string;
    merged_at: string | null;
  };
}

export interface IssueComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: User;
  created_at: string;
  updated_at: string;
  author_association: AuthorAssociation;
  performed_via_github_app: null;
  reactions: ReactionRollup;
}

export interface Reaction {
  id: number;
  node_id: string;
  user: User;
  content: ReactionContent;
  created_at: string;
}

export interface ReviewComment {
  url: string;
  pull_request_review_id: number | null;
  id: number;
  node_id: string;
  diff_hunk: string;
  path: string;
  /** Null once the line is no longer in the diff (an outdated comment), as GitHub returns it. */
  position: number | null;
  original_position: number | null;
  commit_id: string;
  original_commit_id: string;
  in_reply_to_id?: number;
  user: User;
  body: string;
  created_at: string;
  updated_at: string;
  html_url: string;
  pull_request_url: string;
  author_association: AuthorAssociation;
  _links: Record<'self' | 'html' | 'pull_request', Link>;
  start_line: number | null;
  original_start_line: number | null;
  start_side: Side | null;
  line: number | null;
  original_line: number | null;
  side: Side;
  subject_type: 'line';
  reactions: ReactionRollup;
}

export interface Review {
  id: number;
  node_id: string;
  user: User;
  body: string;
  state: ReviewState;
  html_url: string;
  pull_request_url: string;
  author_association: AuthorAssociation;
  _links: Record<'html' | 'pull_request', Link>;
  submitted_at?: string;
  commit_id: string;
}

export interface RateLimit {
  limit: number;
  remaining: number;
  reset: number;
  used: number;
  resource: string;
}
