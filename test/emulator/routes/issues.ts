/** Issues (a pull request is also an issue) and their comments. */
import { isPull, nodeId, timestamp, type IssueCommentRecord, type IssueRecord } from '../state.js';
import {
  bodyObject,
  notFound,
  numberParam,
  optionalString,
  paginate,
  repoFrom,
  requireRead,
  requireWrite,
  type Route,
  type RouteContext,
} from '../router.js';

/** Scopes that let a token act on an issue's conversation: a pull request's also accepts pull-requests. */
export function conversationScopes(issue: IssueRecord): string[] {
  return isPull(issue) ? ['issues', 'pull-requests'] : ['issues'];
}

function issueFrom(ctx: RouteContext): IssueRecord {
  const repo = repoFrom(ctx);
  const issue = repo.issues.get(numberParam(ctx, 'issue_number'));
  if (!issue) throw notFound();
  requireRead(ctx, repo, conversationScopes(issue));
  return issue;
}

export function issueCommentFrom(ctx: RouteContext): IssueCommentRecord {
  const repo = repoFrom(ctx);
  const comment = ctx.state.issueComments.get(numberParam(ctx, 'comment_id'));
  if (!comment || comment.issue.repo !== repo) throw notFound();
  requireRead(ctx, repo, conversationScopes(comment.issue));
  return comment;
}

export const issueRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    handler: (ctx) => ({ status: 200, body: ctx.render.issue(issueFrom(ctx)) }),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    handler: (ctx) => {
      const since = ctx.query.since;
      const comments = ctx.state
        .commentsOn(issueFrom(ctx))
        .filter((c) => since === undefined || Date.parse(c.updatedAt) >= Date.parse(since));
      return paginate(ctx, comments, (c) => ctx.render.issueComment(c));
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    handler: (ctx) => {
      const issue = issueFrom(ctx);
      requireWrite(ctx, conversationScopes(issue));
      const id = ctx.state.nextId();
      const now = timestamp();
      const comment: IssueCommentRecord = {
        id,
        nodeId: nodeId('012:IssueComment', id),
        issue,
        user: ctx.token.user,
        body: optionalString(bodyObject(ctx), 'body') ?? '',
        createdAt: now,
        updatedAt: now,
        reactions: [],
      };
      ctx.state.issueComments.set(id, comment);
      issue.updatedAt = now;
      const rendered = ctx.render.issueComment(comment);
      return { status: 201, body: rendered, headers: { location: rendered.url } };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handler: (ctx) => ({ status: 200, body: ctx.render.issueComment(issueCommentFrom(ctx)) }),
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handler: (ctx) => {
      const comment = issueCommentFrom(ctx);
      requireWrite(ctx, conversationScopes(comment.issue));
      comment.body = optionalString(bodyObject(ctx), 'body') ?? comment.body;
      comment.updatedAt = timestamp();
      return { status: 200, body: ctx.render.issueComment(comment) };
    },
  },
];
