/** Repositories, users, collaborator permissions and the rate-limit status. */
import { notFound, repoFrom, type Route } from '../router.js';
import type { CollaboratorPermission } from '../types.js';

export const repoRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}',
    handler: (ctx) => ({ status: 200, body: ctx.render.fullRepo(repoFrom(ctx)) }),
  },
  {
    method: 'GET',
    path: '/users/{username}',
    handler: (ctx) => {
      const user = ctx.state.user(ctx.params.username ?? '');
      if (!user) throw notFound();
      return { status: 200, body: ctx.render.publicUser(user) };
    },
  },
  {
    // GitHub refuses this to a workflow's GITHUB_TOKEN (403); the emulator answers with the
    // token's user so that personal-token callers and `make demo` can ask who they are.
    method: 'GET',
    path: '/user',
    handler: (ctx) => ({ status: 200, body: ctx.render.publicUser(ctx.token.user) }),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}/permission',
    handler: (ctx) => {
      const repo = repoFrom(ctx);
      const user = ctx.state.user(ctx.params.username ?? '');
      if (!user) throw notFound();
      let role = ctx.state.permission(repo, user);
      // A non-collaborator can still read a public repository, and GitHub reports that as read;
      // on a private one they have no access at all.
      if (role === 'none' && !repo.private) role = 'read';
      // `permission` is the legacy base role: maintain reads as write and triage as read.
      const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      const body: CollaboratorPermission = {
        permission,
        role_name: role,
        user: ctx.render.collaborator(user, role),
      };
      return { status: 200, body };
    },
  },
  {
    method: 'GET',
    path: '/rate_limit',
    handler: (ctx) => {
      const { limit, remaining, reset, used } = ctx.budget.snapshot();
      const core = { limit, remaining, reset, used };
      const idle = (limit: number) => ({ limit, remaining: limit, reset: core.reset, used: 0 });
      return {
        status: 200,
        body: {
          resources: { core, search: idle(30), graphql: idle(5000), code_search: idle(10) },
          rate: core,
        },
      };
    },
  },
];
