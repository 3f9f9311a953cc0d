import type { Octokit } from '../github/octokit.js';
import { callGitHub, gitHubFailure, hasStatus } from '../github/errors.js';
import { anchorOf, parsePatch, type Side } from '../diff/hunks.js';
import { markComment, type Marker } from '../feedback/marker.js';
import type { PullFileEntry } from './select-files.js';

export interface InlineComment {
  path: string;
  line: number;
  side: Side;
  body: string;
  /** The commented line's text on the reviewed commit. */
  lineText: string;
  /** Appended to the body when the comment lands on a line (a body comment has no thread). */
  marker?: Marker;
}

export interface PullRef {
  owner: string;
  repo: string;
  pullNumber: number;
}

export interface Posted {
  /** The review's id and page. */
  id: number;
  url: string;
  inline: InlineComment[];
  /** Comments GitHub would not place on a line: they are in the review body instead. */
  inBody: InlineComment[];
  postRequests: number;
}

const PERMISSION = 'pull-requests: write';

/**
 * Posts ONE review with every comment at its line. When GitHub refuses the whole review (422,
 * a line not in the diff, e.g. because the branch moved), the pull request is read again and
 * each comment is placed on the new head only where its line's text still is (moved with it
 * when it shifted); the others go into the review body. As a last resort every comment goes
 * into the body. None is lost. `renderBody` learns which commit the review is on.
 */
export async function postReview(
  octokit: Octokit,
  ref: PullRef,
  commitId: string,
  comments: InlineComment[],
  renderBody: (inBody: InlineComment[], commit: string) => string,
  currentPull: () => Promise<{ headSha: string; files: PullFileEntry[] }>,
): Promise<Posted> {
  let postRequests = 0;
  const attempt = async (
    commit: string,
    inline: InlineComment[],
    inBody: InlineComment[],
  ): Promise<Posted> => {
    postRequests++;
    const { data } = await octokit.rest.pulls.createReview({
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pullNumber,
      commit_id: commit,
      event: 'COMMENT',
      body: renderBody(inBody, commit),
      comments: inline.map((c) => ({
        path: c.path,
        line: c.line,
        side: c.side,
        body: c.marker ? markComment(c.body, c.marker) : c.body,
      })),
    });
    return { id: data.id, url: data.html_url, inline, inBody, postRequests };
  };

  try {
    return await attempt(commitId, comments, []);
  } catch (error: unknown) {
    if (!hasStatus(error, 422) || comments.length === 0) {
      throw gitHubFailure(error, 'post the review', PERMISSION);
    }
  }
  // Usually the branch moved while the model was thinking: place what is still there.
  const current = await currentPull();
  const placed: InlineComment[] = [];
  const misplaced: InlineComment[] = [];
  for (const comment of comments) {
    const line = lineOnHead(current.files, comment);
    if (line === undefined) misplaced.push(comment);
    else placed.push({ ...comment, line });
  }
  if (placed.length > 0) {
    try {
      return await attempt(current.headSha, placed, misplaced);
    } catch (error: unknown) {
      if (!hasStatus(error, 422)) throw gitHubFailure(error, 'post the review', PERMISSION);
    }
  }
  return callGitHub('post the review', PERMISSION, () => attempt(current.headSha, [], comments));
}

/**
 * The line of the new head's diff that shows the commented text on the same side: the same
 * line number when the text is still there, else the one place it moved to. Undefined when
 * the text is gone or ambiguous: a comment never lands on other code.
 */
function lineOnHead(files: PullFileEntry[], comment: InlineComment): number | undefined {
  const patch = files.find((f) => f.filename === comment.path)?.patch;
  if (!patch) return undefined;
  const lines = parsePatch(patch)
    .flatMap((hunk) => hunk.rows)
    .filter((row) => row.text === comment.lineText)
    .map((row) =>
      comment.side === 'LEFT'
        ? row.kind === 'add'
          ? undefined
          : row.oldLine
        : anchorOf(row).side === 'RIGHT'
          ? row.newLine
          : undefined,
    )
    .filter((line): line is number => line !== undefined);
  if (lines.includes(comment.line)) return comment.line;
  return lines.length === 1 ? lines[0] : undefined;
}
