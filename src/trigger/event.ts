import type { context as actionContext } from '@actions/github';
import type { IssueRef } from '../github/repo.js';

/** What the bot needs to know of an `issue_comment` event. */
export interface CommentEvent {
  action: string;
  ref: IssueRef;
  isPullRequest: boolean;
  comment: { id: number; body: string; author: string; authorIsBot: boolean };
  runUrl: string;
}

/** Reads an `issue_comment` event, or says why this event is not one the bot handles. */
export function readCommentEvent(context: typeof actionContext): CommentEvent | { skip: string } {
  if (context.eventName !== 'issue_comment') {
    return {
      skip: `Event '${context.eventName}' is not a comment; tech-lead-bot answers issue_comment events.`,
    };
  }
  const { payload } = context;
  const comment = payload.comment;
  const issue = payload.issue;
  const user: unknown = comment?.user;
  if (
    !comment ||
    !issue ||
    typeof comment.id !== 'number' ||
    typeof issue.number !== 'number' ||
    !isUser(user)
  ) {
    return { skip: 'The event has no comment to read.' };
  }
  const body: unknown = comment.body;
  const { owner, repo } = context.repo;
  return {
    action: payload.action ?? '',
    ref: { owner, repo, issueNumber: issue.number },
    isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
    comment: {
      id: comment.id,
      body: typeof body === 'string' ? body : '',
      author: user.login,
      authorIsBot: user.type === 'Bot' || user.login.endsWith('[bot]'),
    },
    runUrl: `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`,
  };
}

function isUser(value: unknown): value is { login: string; type?: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'login' in value &&
    typeof value.login === 'string'
  );
}
