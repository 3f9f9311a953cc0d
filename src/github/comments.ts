import type { Octokit } from './octokit.js';
import { callGitHub } from './errors.js';
import type { IssueRef } from './repo.js';

const PERMISSION = 'pull-requests: write';

/** Posts a new comment on the pull request (or issue). */
export async function postComment(octokit: Octokit, ref: IssueRef, body: string): Promise<number> {
  const { data } = await callGitHub('comment on the pull request', PERMISSION, () =>
    octokit.rest.issues.createComment({
      owner: ref.owner,
      repo: ref.repo,
      issue_number: ref.issueNumber,
      body,
    }),
  );
  return data.id;
}

/** Answers a comment: the line it is about, quoted, then the message. */
export async function replyTo(
  octokit: Octokit,
  ref: IssueRef,
  quotedLine: string,
  message: string,
): Promise<number> {
  const quote = quotedLine.trim().slice(0, 200);
  return postComment(octokit, ref, `> ${quote}\n\n${message}`);
}
