/** Reactions on issue comments (the bot's 👀 acknowledgement). */
import { REACTION_CONTENTS, type ReactionContent } from '../types.js';
import {
  bodyObject,
  notFound,
  numberParam,
  optionalString,
  paginate,
  requireWrite,
  type Route,
} from '../router.js';
import { conversationScopes, issueCommentFrom } from './issues.js';

function isReactionContent(value: string | undefined): value is ReactionContent {
  return REACTION_CONTENTS.some((content) => content === value);
}

export const reactionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    handler: (ctx) => {
      const comment = issueCommentFrom(ctx);
      const content = ctx.query.content;
      const reactions = comment.reactions.filter((r) => !content || r.content === content);
      return paginate(ctx, reactions, (r) => ctx.render.reaction(r));
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    handler: (ctx) => {
      const comment = issueCommentFrom(ctx);
      requireWrite(ctx, conversationScopes(comment.issue));
      const content = optionalString(bodyObject(ctx), 'content');
      if (!isReactionContent(content)) {
        throw new Error(`reaction content ${String(content)} got past the schema check`);
      }
      const { reaction, created } = ctx.state.react(comment.reactions, ctx.token.user, content);
      return { status: created ? 201 : 200, body: ctx.render.reaction(reaction) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}',
    handler: (ctx) => {
      const comment = issueCommentFrom(ctx);
      requireWrite(ctx, conversationScopes(comment.issue));
      const id = numberParam(ctx, 'reaction_id');
      const index = comment.reactions.findIndex((r) => r.id === id);
      if (index < 0) throw notFound();
      comment.reactions.splice(index, 1);
      return { status: 204 };
    },
  },
];
