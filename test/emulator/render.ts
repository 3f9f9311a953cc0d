/**
 * Records → the JSON GitHub returns. API URLs point at the emulator (as a GitHub Enterprise
 * Server's point at its own host) so a client following them stays on loopback; web URLs keep
 * github.com.
 */
import { countChanges, parsePatch } from './patch.js';
import {
  fakeSha,
  nodeId,
  isPull,
  type IssueCommentRecord,
  type IssueRecord,
  type PullFields,
  type ReactionRecord,
  type RepoRecord,
  type ReviewCommentRecord,
  type ReviewRecord,
  type State,
  type UserRecord,
} from './state.js';
import {
  REACTION_CONTENTS,
  type Collaborator,
  type DiffEntry,
  type FileSeed,
  type FullRepo,
  type Issue,
  type IssueComment,
  type Permission,
  type PublicUser,
  type PullRequest,
  type PullRequestRef,
  type PullRequestSimple,
  type Reaction,
  type ReactionRollup,
  type Repo,
  type Review,
  type ReviewComment,
  type User,
} from './types.js';

const WEB = 'https://github.com';

export class Renderer {
  constructor(
    private readonly state: State,
    private readonly origin: string,
  ) {}

  user(user: UserRecord): User {
    const url = `${this.origin}/users/${encodeURIComponent(user.login)}`;
    const appSlug = user.type === 'Bot' ? user.login.replace(/\[bot\]$/, '') : undefined;
    return {
      login: user.login,
      id: user.id,
      node_id: user.nodeId,
      avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
      gravatar_id: '',
      url,
      html_url: appSlug ? `${WEB}/apps/${appSlug}` : `${WEB}/${user.login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: user.type,
      user_view_type: 'public',
      site_admin: false,
    };
  }

  publicUser(user: UserRecord): PublicUser {
    const repos = [...this.state.repos.values()].filter((r) => r.owner === user && !r.private);
    return {
      ...this.user(user),
      name: user.name,
      company: null,
      blog: '',
      location: null,
      email: null,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: repos.length,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: user.createdAt,
      updated_at: user.createdAt,
    };
  }

  collaborator(user: UserRecord, role: Permission): Collaborator {
    const rank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'].indexOf(role);
    return {
      ...this.user(user),
      role_name: role,
      permissions: {
        pull: rank >= 1,
        triage: rank >= 2,
        push: rank >= 3,
        maintain: rank >= 4,
        admin: rank >= 5,
      },
    };
  }

  repo(repo: RepoRecord): Repo {
    const url = `${this.origin}/repos/${repo.fullName}`;
    const html = `${WEB}/${repo.fullName}`;
    const openIssues = [...repo.issues.values()].filter((i) => i.state === 'open').length;
    return {
      id: repo.id,
      node_id: repo.nodeId,
      name: repo.name,
      full_name: repo.fullName,
      owner: this.user(repo.owner),
      private: repo.private,
      visibility: repo.private ? 'private' : 'public',
      html_url: html,
      description: null,
      fork: repo.fork,
      url,
      archive_url: `${url}/{archive_format}{/ref}`,
      assignees_url: `${url}/assignees{/user}`,
      blobs_url: `${url}/git/blobs{/sha}`,
      branches_url: `${url}/branches{/branch}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      comments_url: `${url}/comments{/number}`,
      commits_url: `${url}/commits{/sha}`,
      compare_url: `${url}/compare/{base}...{head}`,
      contents_url: `${url}/contents/{+path}`,
      contributors_url: `${url}/contributors`,
      deployments_url: `${url}/deployments`,
      downloads_url: `${url}/downloads`,
      events_url: `${url}/events`,
      forks_url: `${url}/forks`,
      git_commits_url: `${url}/git/commits{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_url: `git://github.com/${repo.fullName}.git`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      issue_events_url: `${url}/issues/events{/number}`,
      issues_url: `${url}/issues{/number}`,
      keys_url: `${url}/keys{/key_id}`,
      labels_url: `${url}/labels{/name}`,
      languages_url: `${url}/languages`,
      merges_url: `${url}/merges`,
      milestones_url: `${url}/milestones{/number}`,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      pulls_url: `${url}/pulls{/number}`,
      releases_url: `${url}/releases{/id}`,
      ssh_url: `git@github.com:${repo.fullName}.git`,
      stargazers_url: `${url}/stargazers`,
      statuses_url: `${url}/statuses/{sha}`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      tags_url: `${url}/tags`,
      teams_url: `${url}/teams`,
      trees_url: `${url}/git/trees{/sha}`,
      clone_url: `${html}.git`,
      mirror_url: null,
      hooks_url: `${url}/hooks`,
      svn_url: html,
      homepage: null,
      language: null,
      forks_count: 0,
      forks: 0,
      stargazers_count: 0,
      watchers_count: 0,
      watchers: 0,
      size: 0,
      default_branch: 'main',
      open_issues_count: openIssues,
      open_issues: openIssues,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      pushed_at: repo.createdAt,
      created_at: repo.createdAt,
      updated_at: repo.createdAt,
      allow_forking: true,
      web_commit_signoff_required: false,
      license: null,
    };
  }

  fullRepo(repo: RepoRecord): FullRepo {
    return { ...this.repo(repo), network_count: 0, subscribers_count: 0 };
  }

  pullSimple(issue: IssueRecord & { pull: PullFields }): PullRequestSimple {
    const { repo, pull } = issue;
    const api = `${this.origin}/repos/${repo.fullName}`;
    const url = `${api}/pulls/${issue.number}`;
    const html = `${WEB}/${repo.fullName}/pull/${issue.number}`;
    const issueUrl = `${api}/issues/${issue.number}`;
    const ref = (r: RepoRecord, branch: string, sha: string): PullRequestRef => ({
      label: `${r.owner.login}:${branch}`,
      ref: branch,
      sha,
      user: this.user(r.owner),
      repo: this.repo(r),
    });
    return {
      url,
      id: pull.id,
      node_id: pull.nodeId,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issueUrl,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${issueUrl}/comments`,
      statuses_url: `${api}/statuses/${pull.headSha}`,
      number: issue.number,
      state: issue.state,
      locked: false,
      title: issue.title,
      user: this.user(issue.user),
      body: issue.body,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      merged_at: null,
      merge_commit_sha: fakeSha(repo.fullName, issue.number, 'merge', pull.headSha),
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: ref(pull.headRepo, pull.headRef, pull.headSha),
      base: ref(repo, pull.baseRef, pull.baseSha),
      _links: {
        self: { href: url },
        html: { href: html },
        issue: { href: issueUrl },
        comments: { href: `${issueUrl}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${api}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${api}/statuses/${pull.headSha}` },
      },
      author_association: this.state.authorAssociation(repo, issue.user),
      auto_merge: null,
      draft: pull.draft,
    };
  }

  pull(issue: IssueRecord & { pull: PullFields }): PullRequest {
    const stats = issue.pull.files.map(fileStats);
    return {
      ...this.pullSimple(issue),
      merged: false,
      mergeable: issue.state === 'open' ? true : null,
      rebaseable: issue.state === 'open' ? true : null,
      mergeable_state: issue.pull.draft ? 'draft' : 'clean',
      merged_by: null,
      comments: this.state.commentsOn(issue).length,
      review_comments: this.state.reviewCommentsOn(issue).length,
      maintainer_can_modify: false,
      commits: 1,
      additions: stats.reduce((sum, s) => sum + s.additions, 0),
      deletions: stats.reduce((sum, s) => sum + s.deletions, 0),
      changed_files: stats.length,
    };
  }

  /** GitHub's comparison of a pull request's base with one of its heads (files paged apart). */
  comparison(
    issue: IssueRecord & { pull: PullFields },
    head: string,
    files: unknown[],
  ): Record<string, unknown> {
    const { repo, pull } = issue;
    const api = `${this.origin}/repos/${repo.fullName}`;
    const basehead = `${pull.baseSha}...${head}`;
    return {
      url: `${api}/compare/${basehead}`,
      html_url: `${WEB}/${repo.fullName}/compare/${basehead}`,
      permalink_url: `${WEB}/${repo.fullName}/compare/${repo.owner.login}:${basehead}`,
      diff_url: `${WEB}/${repo.fullName}/compare/${basehead}.diff`,
      patch_url: `${WEB}/${repo.fullName}/compare/${basehead}.patch`,
      base_commit: this.commit(issue, pull.baseSha, []),
      merge_base_commit: this.commit(issue, pull.baseSha, []),
      status: 'ahead',
      ahead_by: 1,
      behind_by: 0,
      total_commits: 1,
      // One commit stands for the branch: the emulator keeps heads, not their history.
      commits: [this.commit(issue, head, [pull.baseSha])],
      files,
    };
  }

  private commit(
    issue: IssueRecord & { pull: PullFields },
    sha: string,
    parents: string[],
  ): Record<string, unknown> {
    const { repo, user } = issue;
    const api = `${this.origin}/repos/${repo.fullName}`;
    const person = {
      name: user.login,
      email: `${user.login}@users.noreply.github.com`,
      date: issue.createdAt,
    };
    return {
      url: `${api}/commits/${sha}`,
      sha,
      node_id: nodeId('06:Commit', Number.parseInt(sha.slice(0, 8), 16)),
      html_url: `${WEB}/${repo.fullName}/commit/${sha}`,
      comments_url: `${api}/commits/${sha}/comments`,
      commit: {
        url: `${api}/git/commits/${sha}`,
        author: person,
        committer: person,
        message: issue.title,
        comment_count: 0,
        tree: { sha: fakeSha(sha, 'tree'), url: `${api}/git/trees/${fakeSha(sha, 'tree')}` },
      },
      author: this.user(user),
      committer: this.user(user),
      parents: parents.map((parent) => ({
        sha: parent,
        url: `${api}/commits/${parent}`,
        html_url: `${WEB}/${repo.fullName}/commit/${parent}`,
      })),
    };
  }

  /** A file of the pull request's diff, at its head or at an older head `at`. */
  file(issue: IssueRecord & { pull: PullFields }, file: FileSeed, at?: string): DiffEntry {
    const { repo, pull } = issue;
    const path = file.filename.split('/').map(encodeURIComponent).join('/');
    const { additions, deletions } = fileStats(file);
    const head = at ?? pull.headSha;
    const entry: DiffEntry = {
      sha: fakeSha(repo.fullName, head, file.filename),
      filename: file.filename,
      status: file.status,
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `${WEB}/${repo.fullName}/blob/${head}/${path}`,
      raw_url: `${WEB}/${repo.fullName}/raw/${head}/${path}`,
      contents_url: `${this.origin}/repos/${repo.fullName}/contents/${path}?ref=${head}`,
    };
    // GitHub leaves `patch` out for binary files and for diffs too large to show.
    if (file.patch !== undefined && !file.binary) entry.patch = file.patch;
    if (file.previous_filename !== undefined) entry.previous_filename = file.previous_filename;
    return entry;
  }

  issue(issue: IssueRecord): Issue {
    const { repo } = issue;
    const api = `${this.origin}/repos/${repo.fullName}`;
    const url = `${api}/issues/${issue.number}`;
    const html = `${WEB}/${repo.fullName}/${isPull(issue) ? 'pull' : 'issues'}/${issue.number}`;
    const rendered: Issue = {
      id: issue.id,
      node_id: issue.nodeId,
      url,
      repository_url: api,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: html,
      timeline_url: `${url}/timeline`,
      number: issue.number,
      state: issue.state,
      state_reason: null,
      title: issue.title,
      body: issue.body,
      user: this.user(issue.user),
      labels: [],
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: this.state.commentsOn(issue).length,
      closed_at: issue.closedAt,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      author_association: this.state.authorAssociation(repo, issue.user),
      reactions: rollup(`${url}/reactions`, []),
    };
    if (isPull(issue)) {
      rendered.draft = issue.pull.draft;
      rendered.pull_request = {
        url: `${api}/pulls/${issue.number}`,
        html_url: html,
        diff_url: `${html}.diff`,
        patch_url: `${html}.patch`,
        merged_at: null,
      };
    }
    return rendered;
  }

  issueComment(comment: IssueCommentRecord): IssueComment {
    const { issue } = comment;
    const api = `${this.origin}/repos/${issue.repo.fullName}`;
    const url = `${api}/issues/comments/${comment.id}`;
    const kind = isPull(issue) ? 'pull' : 'issues';
    return {
      id: comment.id,
      node_id: comment.nodeId,
      url,
      html_url: `${WEB}/${issue.repo.fullName}/${kind}/${issue.number}#issuecomment-${comment.id}`,
      issue_url: `${api}/issues/${issue.number}`,
      body: comment.body,
      user: this.user(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: this.state.authorAssociation(issue.repo, comment.user),
      performed_via_github_app: null,
      reactions: rollup(`${url}/reactions`, comment.reactions),
    };
  }

  reaction(reaction: ReactionRecord): Reaction {
    return {
      id: reaction.id,
      node_id: reaction.nodeId,
      user: this.user(reaction.user),
      content: reaction.content,
      created_at: reaction.createdAt,
    };
  }

  reviewComment(comment: ReviewCommentRecord): ReviewComment {
    const { pull } = comment;
    const api = `${this.origin}/repos/${pull.repo.fullName}`;
    const url = `${api}/pulls/comments/${comment.id}`;
    const html = `${WEB}/${pull.repo.fullName}/pull/${pull.number}#discussion_r${comment.id}`;
    const pullUrl = `${api}/pulls/${pull.number}`;
    const rendered: ReviewComment = {
      url,
      pull_request_review_id: comment.reviewId,
      id: comment.id,
      node_id: comment.nodeId,
      diff_hunk: comment.diffHunk,
      path: comment.path,
      position: comment.position,
      original_position: comment.originalPosition,
      commit_id: comment.commitId,
      original_commit_id: comment.originalCommitId,
      user: this.user(comment.user),
      body: comment.body,
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: this.state.authorAssociation(pull.repo, comment.user),
      _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
      start_line: comment.startLine,
      original_start_line: comment.originalStartLine,
      start_side: comment.startSide,
      line: comment.line,
      original_line: comment.originalLine,
      side: comment.side,
      subject_type: 'line',
      reactions: rollup(`${url}/reactions`, comment.reactions),
    };
    if (comment.inReplyToId !== undefined) rendered.in_reply_to_id = comment.inReplyToId;
    return rendered;
  }

  review(review: ReviewRecord): Review {
    const { pull } = review;
    const pullUrl = `${this.origin}/repos/${pull.repo.fullName}/pulls/${pull.number}`;
    const html = `${WEB}/${pull.repo.fullName}/pull/${pull.number}#pullrequestreview-${review.id}`;
    const rendered: Review = {
      id: review.id,
      node_id: review.nodeId,
      user: this.user(review.user),
      body: review.body,
      state: review.state,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: this.state.authorAssociation(pull.repo, review.user),
      _links: { html: { href: html }, pull_request: { href: pullUrl } },
      commit_id: review.commitId,
    };
    // A pending review has not been submitted, so GitHub leaves the field out.
    if (review.submittedAt !== null) rendered.submitted_at = review.submittedAt;
    return rendered;
  }
}

function rollup(url: string, reactions: ReactionRecord[]): ReactionRollup {
  const counts = Object.fromEntries(
    REACTION_CONTENTS.map((content) => [
      content,
      reactions.filter((r) => r.content === content).length,
    ]),
  );
  return {
    url,
    total_count: reactions.length,
    '+1': counts['+1'] ?? 0,
    '-1': counts['-1'] ?? 0,
    laugh: counts.laugh ?? 0,
    confused: counts.confused ?? 0,
    heart: counts.heart ?? 0,
    hooray: counts.hooray ?? 0,
    eyes: counts.eyes ?? 0,
    rocket: counts.rocket ?? 0,
  };
}

function fileStats(file: FileSeed): { additions: number; deletions: number } {
  const counted =
    file.patch === undefined
      ? { additions: 0, deletions: 0 }
      : countChanges(parsePatch(file.patch));
  return {
    additions: file.additions ?? counted.additions,
    deletions: file.deletions ?? counted.deletions,
  };
}
