import type { Octokit } from './octokit.js';
import { callGitHub } from './errors.js';
import type { IssueRef } from './repo.js';

const PERMISSION = 'pull-requests: write';

/** The hidden first line that finds a reviewer's status comment again on the next run or step. */
export function statusMarker(reviewer: string): string {
  return `<!-- tech-lead-bot:status reviewer=${reviewer.toLowerCase()} -->`;
}

/**
 * The one comment per pull request and reviewer that every step edits, so that progress and
 * errors collect in one place instead of piling up new comments.
 */
export class StatusComment {
  private constructor(
    private readonly octokit: Octokit,
    private readonly ref: IssueRef,
    private readonly marker: string,
    private id: number | undefined,
  ) {}

  /** Finds the existing status comment for this reviewer (written by a bot), if any. */
  static async find(octokit: Octokit, ref: IssueRef, reviewer: string): Promise<StatusComment> {
    const marker = statusMarker(reviewer);
    const comments = await callGitHub('read the pull request comments', undefined, () =>
      octokit.paginate(octokit.rest.issues.listComments, {
        owner: ref.owner,
        repo: ref.repo,
        issue_number: ref.issueNumber,
        per_page: 100,
      }),
    );
    const existing = comments.find(
      (comment) => comment.user?.type === 'Bot' && comment.body?.startsWith(marker) === true,
    );
    return new StatusComment(octokit, ref, marker, existing?.id);
  }

  /** Resumes a status comment whose id an earlier step passed on. */
  static fromId(octokit: Octokit, ref: IssueRef, reviewer: string, id: number): StatusComment {
    return new StatusComment(octokit, ref, statusMarker(reviewer), id);
  }

  get commentId(): number | undefined {
    return this.id;
  }

  /** Replaces the comment's text (after the marker), creating the comment the first time. */
  async update(text: string): Promise<number> {
    const body = `${this.marker}\n${text}`;
    const { owner, repo } = this.ref;
    const existingId = this.id;
    if (existingId !== undefined) {
      await callGitHub('update the status comment', PERMISSION, () =>
        this.octokit.rest.issues.updateComment({ owner, repo, comment_id: existingId, body }),
      );
      return existingId;
    }
    const { data } = await callGitHub('post the status comment', PERMISSION, () =>
      this.octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: this.ref.issueNumber,
        body,
      }),
    );
    this.id = data.id;
    return data.id;
  }
}
