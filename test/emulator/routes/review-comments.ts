/** Review comments: a pull request's, and every pull request's in a repository. */
import type { ReviewCommentRecord } from '../state.js';
import { paginate, repoFrom, requireRead, type Route, type RouteContext } from '../router.js';
import { pullFrom } from './pulls.js';

/**
 * Without `sort` GitHub lists in creation (id) order and ignores `direction`; with it, the
 * direction defaults to ascending.
 */
function ordered(ctx: RouteContext, comments: ReviewCommentRecord[]): ReviewCommentRecord[] {
  const since = ctx.query.since;
  const kept = comments.filter(
    (c) => since === undefined || Date.parse(c.updatedAt) >= Date.parse(since),
  );
  const sort = ctx.query.sort;
  if (sort === undefined) return kept;
  const key = (c: ReviewCommentRecord): string => (sort === 'updated' ? c.updatedAt : c.createdAt);
  kept.sort((a, b) => key(a).localeCompare(key(b)) || a.id - b.id);
  return ctx.query.direction === 'desc' ? kept.reverse() : kept;
}

export const reviewCommentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/comments',
    handler: (ctx) => {
      const repo = repoFrom(ctx);
      requireRead(ctx, repo, ['pull-requests']);
      const all = [...ctx.state.reviewComments.values()].filter((c) => c.pull.repo === repo);
      return paginate(ctx, ordered(ctx, all), (c) => ctx.render.reviewComment(c));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/comments',
    handler: (ctx) => {
      const comments = ctx.state.reviewCommentsOn(pullFrom(ctx));
      return paginate(ctx, ordered(ctx, comments), (c) => ctx.render.reviewComment(c));
    },
  },
];
