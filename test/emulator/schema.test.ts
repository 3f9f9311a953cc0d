import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import type { GitHubEmulator } from './index.js';
import { loadSpec } from './openapi.js';
import { asList, asObject, call, seededEmulator, REPO } from './fixtures.js';

describe('GitHub emulator: OpenAPI checks', () => {
  let gh: GitHubEmulator;

  beforeEach(async () => {
    gh = await seededEmulator();
  });

  afterEach(async () => {
    await gh.stop();
  });

  describe('a request that breaks the schema', () => {
    it('gets 422 for an unknown reaction content, and the violation is recorded', async () => {
      const { id } = gh.addIssueComment(REPO, 7, { user: 'alice', body: 'hi' });
      const reply = await call(gh, 'POST', `/repos/${REPO}/issues/comments/${id}/reactions`, {
        body: { content: 'thumbsup' },
      });
      expect(reply.status).toBe(422);
      expect(asObject(reply.body).message).toBe(
        'Invalid request.\n\nFor \'properties/content\', "thumbsup" is not a member of ["+1","-1","laugh","confused","heart","hooray","rocket","eyes"].',
      );
      expect(gh.reactions(REPO, id)).toEqual([]);
      expect(gh.schemaViolations).toHaveLength(1);
      expect(gh.schemaViolations[0]).toContain('POST /repos/acme/widgets/issues/comments/');
      expect(gh.schemaViolations[0]).toContain('(reactions/create-for-issue-comment) request');
    });

    it('gets 422 for a review comment without a path', async () => {
      const reply = await call(gh, 'POST', `/repos/${REPO}/pulls/7/reviews`, {
        body: { event: 'COMMENT', comments: [{ line: 12, body: 'where?' }] },
      });
      expect(reply.status).toBe(422);
      expect(asObject(reply.body).message).toBe('Invalid request.\n\n"path" wasn\'t supplied.');
      expect(gh.schemaViolations).toEqual([
        'POST /repos/acme/widgets/pulls/7/reviews (pulls/create-review) request: "path" wasn\'t supplied.',
      ]);
      expect(gh.reviews(REPO, 7)).toEqual([]);
    });

    it('gets 422 for a line that is not an integer', async () => {
      const reply = await call(gh, 'POST', `/repos/${REPO}/pulls/7/reviews`, {
        body: { event: 'COMMENT', comments: [{ path: 'src/server.ts', line: '12', body: 'x' }] },
      });
      expect(reply.status).toBe(422);
      expect(asObject(reply.body).message).toContain(
        'For \'properties/comments/items/properties/line\', "12" is not an integer.',
      );
    });

    it('gets 422 for a query parameter outside its enum', async () => {
      const reply = await call(gh, 'GET', `/repos/${REPO}/pulls?state=merged`);
      expect(reply.status).toBe(422);
      expect(gh.schemaViolations).toHaveLength(1);
    });

    it('gets 400 for a body that is not JSON', async () => {
      const reply = await fetch(`${gh.url}/repos/${REPO}/issues/7/comments`, {
        method: 'POST',
        headers: { authorization: 'Bearer ghs_write', 'content-type': 'application/json' },
        body: '{"body": ',
      });
      expect(reply.status).toBe(400);
      expect(asObject(await reply.json()).message).toBe('Problems parsing JSON');
      expect(gh.schemaViolations).toHaveLength(1);
    });
  });

  it('flags a response that does not match the schema', () => {
    const { spec } = loadSpec();
    const operation = spec.find('GET', '/repos/{owner}/{repo}/issues/comments/{comment_id}');
    if (!operation) throw new Error('the spec has issues/get-comment');
    const comment = gh.addIssueComment(REPO, 7, { user: 'alice', body: 'hi' });
    expect(spec.responseErrors(operation, 200, comment)).toEqual([]);
    expect(spec.responseErrors(operation, 200, { ...comment, user: { login: 7 } })).not.toEqual([]);
    expect(spec.responseErrors(operation, 201, comment)).toEqual([
      'status 201 is not a documented response',
    ]);
  });

  it('answers every implemented operation in the shape the spec describes', async () => {
    gh.addRepo('acme/secret', { private: true });
    gh.setPermission(REPO, 'mona', 'maintain');
    gh.addIssue(REPO, { number: 20, user: 'carol' });
    gh.addPullRequest(REPO, { number: 21, user: 'dave', head_repo: 'dave/widgets', draft: true });
    gh.addPullRequest(REPO, { number: 22, user: 'erin', state: 'closed' });
    const { id: commentId } = gh.addIssueComment(REPO, 7, { user: 'alice', body: 'hi' });
    gh.addReview(REPO, 7, { user: 'alice', state: 'CHANGES_REQUESTED', body: 'Please split.' });
    const { id: threadId } = gh.addReviewComment(REPO, 7, {
      user: 'alice',
      body: 'Why 3?',
      path: 'src/server.ts',
      diff_hunk: '@@ -10,4 +10,5 @@\n const a = 1;\n-const b = 2;\n+const b = 3;',
      line: 11,
    });
    gh.addReviewComment(REPO, 7, {
      user: 'bob',
      body: 'Because.',
      path: 'src/server.ts',
      diff_hunk: '@@ -10,4 +10,5 @@\n const a = 1;\n-const b = 2;\n+const b = 3;',
      line: 11,
      in_reply_to_id: threadId,
    });
    const r = `/repos/${REPO}`;
    const calls: [string, string, unknown?][] = [
      ['GET', r],
      ['GET', '/repos/acme/secret'],
      ['GET', '/users/alice'],
      ['GET', '/users/github-actions[bot]'],
      ['GET', '/user'],
      ['GET', `${r}/collaborators/mona/permission`],
      ['GET', `${r}/collaborators/acme/permission`],
      ['GET', `${r}/collaborators/carol/permission`],
      ['GET', `${r}/pulls?state=all&sort=updated&direction=desc`],
      ['GET', `${r}/pulls/7`],
      ['GET', `${r}/pulls/21`],
      ['GET', `${r}/pulls/22`],
      ['GET', `${r}/pulls/7/files`],
      ['GET', `${r}/issues/7`],
      ['GET', `${r}/issues/20`],
      ['GET', `${r}/issues/7/comments`],
      ['POST', `${r}/issues/7/comments`, { body: 'Noted.' }],
      ['GET', `${r}/issues/comments/${commentId}`],
      ['PATCH', `${r}/issues/comments/${commentId}`, { body: 'Edited.' }],
      ['POST', `${r}/issues/comments/${commentId}/reactions`, { content: '+1' }],
      ['GET', `${r}/issues/comments/${commentId}/reactions`],
      ['GET', `${r}/pulls/comments?sort=created&direction=asc`],
      ['GET', `${r}/pulls/7/comments`],
      ['GET', `${r}/pulls/7/reviews`],
      [
        'POST',
        `${r}/pulls/7/reviews`,
        {
          event: 'REQUEST_CHANGES',
          body: 'One thing.',
          comments: [{ path: 'src/server.ts', line: 12, body: 'c?' }],
        },
      ],
      ['GET', '/rate_limit'],
      ['GET', `${r}/pulls/404`],
      ['GET', `${r}/issues/comments/999999`],
    ];
    for (const [method, path, body] of calls) {
      const reply = await call(gh, method, path, { body });
      expect([method, path, reply.status < 300 || reply.status === 404]).toEqual([
        method,
        path,
        true,
      ]);
    }
    const reactionId = asList(
      (await call(gh, 'GET', `${r}/issues/comments/${commentId}/reactions`)).body,
    )[0]?.id;
    const deleted = await call(
      gh,
      'DELETE',
      `${r}/issues/comments/${commentId}/reactions/${String(reactionId)}`,
    );
    expect(deleted.status).toBe(204);

    const answered = new Set(gh.requests.filter((q) => q.status < 300).map((q) => q.operationId));
    expect([...answered].sort()).toEqual([
      'issues/create-comment',
      'issues/get',
      'issues/get-comment',
      'issues/list-comments',
      'issues/update-comment',
      'pulls/create-review',
      'pulls/get',
      'pulls/list',
      'pulls/list-files',
      'pulls/list-review-comments',
      'pulls/list-review-comments-for-repo',
      'pulls/list-reviews',
      'rate-limit/get',
      'reactions/create-for-issue-comment',
      'reactions/delete-for-issue-comment',
      'reactions/list-for-issue-comment',
      'repos/get',
      'repos/get-collaborator-permission-level',
      'users/get-authenticated',
      'users/get-by-username',
    ]);
    expect(gh.schemaViolations).toEqual([]);
  });

  it.each([
    ['acme', 'admin', 'admin'],
    ['mona', 'write', 'maintain'],
    ['tess', 'read', 'triage'],
    ['alice', 'write', 'write'],
    ['carol', 'read', 'read'],
  ])('reports %s as permission %s, role %s', async (login, permission, role) => {
    gh.setPermission(REPO, 'mona', 'maintain');
    gh.setPermission(REPO, 'tess', 'triage');
    gh.addUser('carol');
    const reply = await call(gh, 'GET', `/repos/${REPO}/collaborators/${login}/permission`);
    expect(reply.body).toMatchObject({ permission, role_name: role, user: { login } });
  });

  it('reports none for a non-collaborator of a private repository, 404 for an unknown user', async () => {
    gh.addRepo('acme/secret', { private: true });
    gh.addUser('carol');
    const none = await call(gh, 'GET', '/repos/acme/secret/collaborators/carol/permission');
    expect(none.body).toMatchObject({ permission: 'none', role_name: 'none' });
    const unknown = await call(gh, 'GET', `/repos/${REPO}/collaborators/nobody/permission`);
    expect(unknown.status).toBe(404);
  });

  it('hides pull requests of a private repository from a token without a pull-requests scope', async () => {
    gh.addRepo('acme/secret', { private: true });
    gh.addPullRequest('acme/secret', { number: 1, user: 'bob' });
    gh.addToken('ghs_contents_only', { contents: 'read' });
    const hidden = await call(gh, 'GET', '/repos/acme/secret/pulls/1', {
      token: 'ghs_contents_only',
    });
    expect(hidden.status).toBe(404);
    expect((await call(gh, 'GET', '/repos/acme/secret/pulls/1')).status).toBe(200);
    expect(
      (await call(gh, 'GET', '/repos/acme/secret', { token: 'ghs_contents_only' })).status,
    ).toBe(200);
  });

  it('marks a pull request seen through the issues API, and not a plain issue', async () => {
    gh.addIssue(REPO, { number: 20, user: 'carol' });
    const pull = asObject((await call(gh, 'GET', `/repos/${REPO}/issues/7`)).body);
    const issue = asObject((await call(gh, 'GET', `/repos/${REPO}/issues/20`)).body);
    expect(pull.pull_request).toMatchObject({ url: `${gh.url}/repos/${REPO}/pulls/7` });
    expect(issue).not.toHaveProperty('pull_request');
    expect((await call(gh, 'GET', `/repos/${REPO}/pulls/20`)).status).toBe(404);
  });

  it('lists open pull requests newest first by default', async () => {
    gh.addPullRequest(REPO, { number: 8, user: 'bob', created_at: '2030-01-01T00:00:00Z' });
    gh.addPullRequest(REPO, { number: 9, user: 'bob', state: 'closed' });
    const list = async (query: string): Promise<unknown[]> =>
      asList((await call(gh, 'GET', `/repos/${REPO}/pulls${query}`)).body).map((p) => p.number);
    expect(await list('')).toEqual([8, 7]);
    expect(await list('?state=all&direction=asc')).toEqual([7, 9, 8]);
    expect(await list('?state=closed')).toEqual([9]);
  });
});
