import type { Octokit } from '../github/octokit.js';
import { callGitHub, gitHubFailure, hasStatus } from '../github/errors.js';
import { findRow, parsePatch, type Side } from '../diff/hunks.js';
import type { PullFileEntry } from './select-files.js';

export interface InlineComment {
  path: string;
  line: number;
  side: Side;
  body: string;
}

export interface PullRef {
  owner: string;
  repo: string;
  pullNumber: number;
}

export interface Posted {
  url: string;
  inline: InlineComment[];
  /** Comments GitHub would not place on a line: they are in the review body instead. */
  inBody: InlineComment[];
  postRequests: number;
}

const PERMISSION = 'pull-requests: write';

/**
 * Posts ONE review with every comment at its line. When GitHub refuses the whole review (422,
 * a line not in the diff, e.g. because the branch moved), the pull request is read again: the
 * comments that no longer sit on a line of its diff move into the review body and the rest are
 * posted on the new head; as a last resort every comment goes into the body. None is lost.
 */
export async function postReview(
  octokit: Octokit,
  ref: PullRef,
  commitId: string,
  comments: InlineComment[],
  renderBody: (inBody: InlineComment[]) => string,
  currentPull: () => Promise<{ headSha: string; files: PullFileEntry[] }>,
): Promise<Posted> {
  let postRequests = 0;
  let commit = commitId;
  const attempt = async (inline: InlineComment[], inBody: InlineComment[]): Promise<Posted> => {
    postRequests++;
    const { data } = await octokit.rest.pulls.createReview({
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pullNumber,
      commit_id: commit,
      event: 'COMMENT',
      body: renderBody(inBody),
      comments: inline.map((c) => ({ path: c.path, line: c.line, side: c.side, body: c.body })),
    });
    return { url: data.html_url, inline, inBody, postRequests };
  };
  const post = (inline: InlineComment[], inBody: InlineComment[]): Promise<Posted> =>
    callGitHub('post the review', PERMISSION, () => attempt(inline, inBody));

  try {
    return await attempt(comments, []);
  } catch (error: unknown) {
    if (!hasStatus(error, 422) || comments.length === 0) {
      throw gitHubFailure(error, 'post the review', PERMISSION);
    }
  }
  // Usually the branch moved while the model was thinking: place what still fits its new head.
  const current = await currentPull();
  commit = current.headSha;
  const files = current.files;
  const placeable = comments.filter((c) => onDiff(files, c));
  const misplaced = comments.filter((c) => !placeable.includes(c));
  if (misplaced.length > 0) {
    try {
      return await attempt(placeable, misplaced);
    } catch (error: unknown) {
      if (!hasStatus(error, 422)) throw gitHubFailure(error, 'post the review', PERMISSION);
    }
  }
  return post([], comments);
}

function onDiff(files: PullFileEntry[], comment: InlineComment): boolean {
  const patch = files.find((f) => f.filename === comment.path)?.patch;
  if (!patch) return false;
  return parsePatch(patch).some(
    (hunk) => findRow(hunk, { line: comment.line, side: comment.side }) !== undefined,
  );
}
