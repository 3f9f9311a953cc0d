import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface WebhookExamples {
  name: string;
  examples: Record<string, unknown>[];
}

export interface CommentEventOptions {
  /** "owner/name" */
  repository: string;
  issueNumber: number;
  isPullRequest: boolean;
  comment: { id: number; body: string; user: { login: string; id?: number; type?: string } };
  action?: 'created' | 'edited' | 'deleted';
}

/**
 * An `issue_comment` payload as GitHub sends it: a real example from
 * @octokit/webhooks-examples, with the repository, issue and comment of the test put in.
 */
export function issueCommentEvent(options: CommentEventOptions): Record<string, unknown> {
  const all = require('@octokit/webhooks-examples/api.github.com/index.json') as WebhookExamples[];
  const example = all
    .find((entry) => entry.name === 'issue_comment')
    ?.examples.find((payload) => payload.action === 'created');
  if (!example) throw new Error('No issue_comment.created example in @octokit/webhooks-examples');
  const payload = structuredClone(example) as {
    action: string;
    issue: Record<string, unknown>;
    comment: Record<string, unknown>;
    repository: Record<string, unknown> & { owner: Record<string, unknown> };
  };
  const [owner = '', name = ''] = options.repository.split('/');
  const issueUrl = `https://api.github.com/repos/${options.repository}/issues/${options.issueNumber}`;

  payload.action = options.action ?? 'created';
  payload.repository.name = name;
  payload.repository.full_name = options.repository;
  payload.repository.owner.login = owner;
  payload.issue.number = options.issueNumber;
  payload.issue.url = issueUrl;
  payload.issue.html_url = `https://github.com/${options.repository}/${options.isPullRequest ? 'pull' : 'issues'}/${options.issueNumber}`;
  if (options.isPullRequest) {
    payload.issue.pull_request = {
      url: `https://api.github.com/repos/${options.repository}/pulls/${options.issueNumber}`,
      html_url: `https://github.com/${options.repository}/pull/${options.issueNumber}`,
      diff_url: `https://github.com/${options.repository}/pull/${options.issueNumber}.diff`,
      patch_url: `https://github.com/${options.repository}/pull/${options.issueNumber}.patch`,
      merged_at: null,
    };
  } else {
    delete payload.issue.pull_request;
  }
  payload.comment.id = options.comment.id;
  payload.comment.body = options.comment.body;
  payload.comment.issue_url = issueUrl;
  payload.comment.user = {
    ...(payload.comment.user as Record<string, unknown>),
    login: options.comment.user.login,
    id: options.comment.user.id ?? 1,
    type: options.comment.user.type ?? 'User',
  };
  return payload;
}
