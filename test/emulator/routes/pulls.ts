/** Pull requests and their files. */
import { isPull, type IssueRecord, type PullFields } from '../state.js';
import {
  notFound,
  numberParam,
  paginate,
  repoFrom,
  requireRead,
  type Route,
  type RouteContext,
} from '../router.js';

/** GitHub lists at most this many files of a pull request, however many it changes. */
const MAX_FILES = 3000;

export function pullFrom(ctx: RouteContext): IssueRecord & { pull: PullFields } {
  const repo = repoFrom(ctx);
  requireRead(ctx, repo, ['pull-requests']);
  const issue = repo.issues.get(numberParam(ctx, 'pull_number'));
  if (!issue || !isPull(issue)) throw notFound();
  return issue;
}

function compareBy(sort: string): (a: IssueRecord, b: IssueRecord) => number {
  if (sort === 'updated') return (a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id - b.id;
  // long-running: oldest first is "longest running"; the activity window is not modelled.
  if (sort === 'long-running')
    return (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id;
  return (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id;
}

export const pullRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls',
    handler: (ctx) => {
      const repo = repoFrom(ctx);
      requireRead(ctx, repo, ['pull-requests']);
      const state = ctx.query.state ?? 'open';
      const sort = ctx.query.sort ?? 'created';
      let pulls = [...repo.issues.values()]
        .filter(isPull)
        .filter((issue) => state === 'all' || issue.state === state)
        .filter((issue) => !ctx.query.base || issue.pull.baseRef === ctx.query.base)
        .filter(
          (issue) =>
            !ctx.query.head ||
            `${issue.pull.headRepo.owner.login}:${issue.pull.headRef}` === ctx.query.head,
        );
      if (sort === 'popularity') {
        const comments = (issue: IssueRecord): number => ctx.state.commentsOn(issue).length;
        pulls = pulls.sort((a, b) => comments(a) - comments(b) || a.id - b.id);
      } else {
        pulls = pulls.sort(compareBy(sort));
      }
      // Default direction: desc for created (or no sort), asc otherwise (GitHub's docs).
      const direction = ctx.query.direction ?? (sort === 'created' ? 'desc' : 'asc');
      if (direction === 'desc') pulls.reverse();
      return paginate(ctx, pulls, (issue) => ctx.render.pullSimple(issue));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    handler: (ctx) => ({ status: 200, body: ctx.render.pull(pullFrom(ctx)) }),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/files',
    handler: (ctx) => {
      const issue = pullFrom(ctx);
      const files = issue.pull.files.slice(0, MAX_FILES);
      return paginate(ctx, files, (file) => ctx.render.file(issue, file));
    },
  },
];
