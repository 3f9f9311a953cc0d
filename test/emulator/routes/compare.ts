/**
 * Comparing two commits: the emulator knows the commits of its pull requests only (their base
 * and every head pushed), so it compares a pull request's base with one of its heads, which is
 * how a pull request's diff as of an older head is read.
 */
import { isPull } from '../state.js';
import { notFound, repoFrom, requireRead, type Route } from '../router.js';

const MAX_FILES = 300;

export const compareRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/compare/{basehead}',
    handler: (ctx) => {
      const repo = repoFrom(ctx);
      requireRead(ctx, repo, ['contents', 'pull-requests']);
      const [base = '', head = ''] = (ctx.params.basehead ?? '').split('...');
      for (const issue of repo.issues.values()) {
        if (!isPull(issue) || issue.pull.baseSha !== base) continue;
        const files = issue.pull.filesAt.get(head);
        if (!files) continue;
        // GitHub pages a comparison's commits, not its files: at most 300 of those, in one answer.
        const shown = files.slice(0, MAX_FILES).map((file) => ctx.render.file(issue, file, head));
        return { status: 200, body: ctx.render.comparison(issue, head, shown) };
      }
      throw notFound();
    },
  },
];
