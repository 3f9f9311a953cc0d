import type { Octokit } from './octokit.js';
import { callGitHub } from './errors.js';
import type { IssueRef } from './repo.js';

export type Reaction = 'eyes' | 'rocket' | 'confused';

export async function reactToComment(
  octokit: Octokit,
  ref: IssueRef,
  commentId: number,
  content: Reaction,
): Promise<void> {
  await callGitHub(`add a ${content} reaction to the comment`, 'pull-requests: write', () =>
    octokit.rest.reactions.createForIssueComment({
      owner: ref.owner,
      repo: ref.repo,
      comment_id: commentId,
      content,
    }),
  );
}
