import type { Octokit } from './octokit.js';
import { callGitHub } from './errors.js';
import type { IssueRef } from './repo.js';
import { statusMarker } from './status-document.js';

const PERMISSION = 'pull-requests: write';

/**
 * The one comment per pull request and reviewer that every step edits, so that progress and
 * errors collect in one place instead of piling up new comments.
 */
export class StatusComment {
  private constructor(
    private readonly octokit: Octokit,
    private readonly ref: IssueRef,
    private id: number | undefined,
    /** The body as this step found it; undefined until read (or when there is none yet). */
    private found: string | undefined,
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
    return new StatusComment(octokit, ref, existing?.id, existing?.body);
  }

  /** Resumes a status comment whose id an earlier step passed on, with the text it has now. */
  static async fromId(octokit: Octokit, ref: IssueRef, id: number): Promise<StatusComment> {
    const { data } = await callGitHub('read the status comment', 'pull-requests: read', () =>
      octokit.rest.issues.getComment({ owner: ref.owner, repo: ref.repo, comment_id: id }),
    );
    return new StatusComment(octokit, ref, id, data.body);
  }

  /** The comment's body when this step found it, for the step to add to. */
  get foundBody(): string | undefined {
    return this.found;
  }

  get commentId(): number | undefined {
    return this.id;
  }

  /** Replaces the comment's body, creating the comment the first time. */
  async update(body: string): Promise<number> {
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
