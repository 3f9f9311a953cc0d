/**
 * Pull request reviews. Creating one is all-or-nothing, as on GitHub: one comment on a line
 * outside the diff fails the whole review with 422 and nothing is stored.
 */
import { diffHunkThrough, findLine, lineAtPosition, parsePatch, type DiffLine } from '../patch.js';
import {
  nodeId,
  timestamp,
  type IssueRecord,
  type PullFields,
  type ReviewCommentRecord,
  type ReviewRecord,
} from '../state.js';
import type { ReviewState, Side } from '../types.js';
import {
  bodyObject,
  optionalInteger,
  optionalString,
  paginate,
  records,
  requireWrite,
  unprocessable,
  type Route,
} from '../router.js';
import { pullFrom } from './pulls.js';

const NOT_IN_DIFF = 'Pull request review thread line must be part of the diff';
// What GitHub says when a legacy `position` (or no location at all) finds no diff line.
const NO_HUNK = "Pull request review thread diff hunk can't be blank";
const START_NOT_IN_HUNK =
  'Pull request review thread start line must be part of the same hunk as the line';
const START_AFTER_END = 'Pull request review thread start line must precede the end line';
const BAD_SIDE = 'Pull request review thread side is not included in the list';

const EVENT_STATES: Record<string, ReviewState> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

interface Anchor {
  path: string;
  body: string;
  diffHunk: string;
  target: DiffLine;
  line: number;
  side: Side;
  startLine: number | null;
  startSide: Side | null;
}

function isSide(value: string): value is Side {
  return value === 'LEFT' || value === 'RIGHT';
}

function lineOn(target: DiffLine, side: Side): number {
  const line = side === 'LEFT' ? target.oldLine : target.newLine;
  if (line === null) throw new Error('a commentable line has a number on its side');
  return line;
}

/** Places one draft comment on the diff, or says in GitHub's words why it cannot be placed. */
function anchor(
  pull: IssueRecord & { pull: PullFields },
  draft: Record<string, unknown>,
): Anchor | string {
  const path = optionalString(draft, 'path') ?? '';
  const file = pull.pull.files.find((f) => f.filename === path);
  const hunks = file?.patch !== undefined && !file.binary ? parsePatch(file.patch) : [];
  const line = optionalInteger(draft, 'line');
  const position = optionalInteger(draft, 'position');
  const requestedSide = optionalString(draft, 'side') ?? 'RIGHT';
  if (!isSide(requestedSide)) return BAD_SIDE;
  let side: Side = requestedSide;
  let target: DiffLine | undefined;
  if (line !== undefined) {
    target = findLine(hunks, line, side);
    if (!target) return NOT_IN_DIFF;
  } else if (position !== undefined) {
    target = lineAtPosition(hunks, position);
    if (!target) return NO_HUNK;
    side = target.kind === 'del' ? 'LEFT' : 'RIGHT';
  } else {
    return NO_HUNK;
  }
  const startLine = optionalInteger(draft, 'start_line');
  let startSide: Side | null = null;
  if (startLine !== undefined) {
    const requested = optionalString(draft, 'start_side') ?? side;
    if (!isSide(requested)) return BAD_SIDE;
    startSide = requested;
    const start = findLine(hunks, startLine, startSide);
    if (!start) return NOT_IN_DIFF;
    if (start.hunk !== target.hunk) return START_NOT_IN_HUNK;
    if (start.position >= target.position) return START_AFTER_END;
  }
  return {
    path,
    body: optionalString(draft, 'body') ?? '',
    diffHunk: diffHunkThrough(hunks, target),
    target,
    line: lineOn(target, side),
    side,
    startLine: startLine ?? null,
    startSide,
  };
}

export const reviewRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    handler: (ctx) => {
      const reviews = ctx.state.reviewsOn(pullFrom(ctx));
      return paginate(ctx, reviews, (r) => ctx.render.review(r));
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    handler: (ctx) => {
      const pull = pullFrom(ctx);
      requireWrite(ctx, ['pull-requests']);
      const input = bodyObject(ctx);
      const user = ctx.token.user;
      const event = optionalString(input, 'event');
      const body = optionalString(input, 'body') ?? '';
      const drafts = records(input.comments);
      const commitId = optionalString(input, 'commit_id') ?? pull.pull.headSha;
      // Any head the pull request had is accepted, but the emulator keeps only the latest diff
      // and checks every comment against it: stricter than GitHub for older commits.
      if (commitId !== pull.pull.headSha && !pull.pull.previousHeads.includes(commitId)) {
        throw unprocessable([`Commit ${commitId} is not part of the pull request`]);
      }
      if (pull.user === user && event === 'APPROVE') {
        throw unprocessable(['Review Can not approve your own pull request']);
      }
      if (pull.user === user && event === 'REQUEST_CHANGES') {
        throw unprocessable(['Review Can not request changes on your own pull request']);
      }
      if (
        event === undefined &&
        ctx.state.reviewsOn(pull).some((r) => r.user === user && r.state === 'PENDING')
      ) {
        throw unprocessable(['User can only have one pending review per pull request']);
      }
      const placed = drafts.map((draft) => anchor(pull, draft));
      const failures = placed.filter((p): p is string => typeof p === 'string');
      if (failures.length > 0) throw unprocessable([...new Set(failures)]);
      const anchors = placed.filter((p): p is Anchor => typeof p !== 'string');
      if (event === 'REQUEST_CHANGES' && body === '') {
        throw unprocessable(['Review Body is required for requesting changes']);
      }

      const now = timestamp();
      const id = ctx.state.nextId();
      const review: ReviewRecord = {
        id,
        nodeId: nodeId('017:PullRequestReview', id),
        pull,
        user,
        state: event === undefined ? 'PENDING' : (EVENT_STATES[event] ?? 'COMMENTED'),
        body,
        commitId,
        submittedAt: event === undefined ? null : now,
      };
      ctx.state.reviews.set(id, review);
      for (const a of anchors) {
        const commentId = ctx.state.nextId();
        const comment: ReviewCommentRecord = {
          id: commentId,
          nodeId: nodeId('024:PullRequestReviewComment', commentId),
          pull,
          reviewId: id,
          user,
          body: a.body,
          path: a.path,
          diffHunk: a.diffHunk,
          position: a.target.position,
          originalPosition: a.target.position,
          line: a.line,
          originalLine: a.line,
          side: a.side,
          startLine: a.startLine,
          originalStartLine: a.startLine,
          startSide: a.startSide,
          commitId,
          originalCommitId: commitId,
          createdAt: now,
          updatedAt: now,
          reactions: [],
        };
        ctx.state.reviewComments.set(commentId, comment);
      }
      pull.updatedAt = now;
      return { status: 200, body: ctx.render.review(review) };
    },
  },
];
