import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import type { GitHubEmulator } from './index.js';
import { asList, asObject, call, seededEmulator, READ_ONLY_TOKEN, REPO } from './fixtures.js';

const REVIEWS = `/repos/${REPO}/pulls/7/reviews`;

describe('GitHub emulator: pull request reviews', () => {
  let gh: GitHubEmulator;

  beforeEach(async () => {
    gh = await seededEmulator();
  });

  afterEach(async () => {
    expect(gh.schemaViolations).toEqual([]);
    await gh.stop();
  });

  describe('a comment outside the diff', () => {
    it.each([
      ['a line between hunks', { path: 'src/server.ts', line: 20 }],
      [
        'an old line past the hunk on the LEFT side',
        { path: 'src/renamed.ts', line: 4, side: 'LEFT' },
      ],
      ['a file the pull request does not touch', { path: 'README.md', line: 1 }],
      ['a file without a patch', { path: 'logo.png', line: 1 }],
      ['the old name of a renamed file', { path: 'src/old-name.ts', line: 3 }],
    ])('fails the whole review: %s', async (_what, bad) => {
      const reply = await call(gh, 'POST', REVIEWS, {
        body: {
          event: 'COMMENT',
          body: 'Two notes.',
          comments: [
            { path: 'src/server.ts', line: 12, side: 'RIGHT', body: 'Fine here.' },
            { ...bad, body: 'Not here.' },
          ],
        },
      });
      expect(reply.status).toBe(422);
      expect(reply.body).toEqual({
        message: 'Unprocessable Entity',
        errors: ['Pull request review thread line must be part of the diff'],
        documentation_url:
          'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
        status: '422',
      });
      expect(gh.reviews(REPO, 7)).toEqual([]);
      expect(gh.reviewComments(REPO, 7)).toEqual([]);
    });

    it('rejects a legacy position that lands on a hunk header', async () => {
      const reply = await call(gh, 'POST', REVIEWS, {
        body: { event: 'COMMENT', comments: [{ path: 'src/server.ts', position: 7, body: 'x' }] },
      });
      expect(reply.status).toBe(422);
      expect(asObject(reply.body).errors).toEqual([
        "Pull request review thread diff hunk can't be blank",
      ]);
    });

    it('rejects a multi-line range that spans two hunks', async () => {
      const reply = await call(gh, 'POST', REVIEWS, {
        body: {
          event: 'COMMENT',
          comments: [{ path: 'src/server.ts', start_line: 12, line: 42, body: 'x' }],
        },
      });
      expect(reply.status).toBe(422);
      expect(gh.reviewComments(REPO, 7)).toEqual([]);
    });
  });

  it('stores a review whose comments sit on commentable lines of both sides', async () => {
    const head = asObject(asObject((await call(gh, 'GET', `/repos/${REPO}/pulls/7`)).body).head);
    const reply = await call(gh, 'POST', REVIEWS, {
      body: {
        event: 'COMMENT',
        body: 'Looks close.',
        comments: [
          { path: 'src/server.ts', line: 12, side: 'RIGHT', body: 'added line' },
          { path: 'src/server.ts', line: 13, body: 'context line, side defaults to RIGHT' },
          { path: 'src/server.ts', line: 11, side: 'LEFT', body: 'deleted line' },
          { path: 'src/renamed.ts', line: 3, side: 'RIGHT', body: 'renamed file' },
          { path: 'src/server.ts', start_line: 11, line: 13, side: 'RIGHT', body: 'a range' },
          { path: 'src/server.ts', position: 9, body: 'legacy position on flush()' },
        ],
      },
    });
    expect(reply.status).toBe(200);
    const review = asObject(reply.body);
    expect(review).toMatchObject({
      state: 'COMMENTED',
      body: 'Looks close.',
      commit_id: head.sha,
      user: { login: 'github-actions[bot]', type: 'Bot' },
    });
    expect(typeof review.submitted_at).toBe('string');

    const stored = gh.reviewComments(REPO, 7);
    expect(stored.map((c) => [c.path, c.line, c.side, c.start_line, c.position])).toEqual([
      ['src/server.ts', 12, 'RIGHT', null, 4],
      ['src/server.ts', 13, 'RIGHT', null, 5],
      ['src/server.ts', 11, 'LEFT', null, 2],
      ['src/renamed.ts', 3, 'RIGHT', null, 3],
      ['src/server.ts', 13, 'RIGHT', 11, 5],
      ['src/server.ts', 41, 'LEFT', null, 9],
    ]);
    expect(stored.every((c) => c.pull_request_review_id === review.id)).toBe(true);
    expect(stored.every((c) => c.commit_id === head.sha)).toBe(true);
    expect(stored[2]?.diff_hunk).toBe(
      '@@ -10,4 +10,5 @@ export function start() {\n const a = 1;\n-const b = 2;',
    );
    expect(stored[3]?.diff_hunk).toBe('@@ -1,3 +1,4 @@\n one\n two\n+three');

    const listed = await call(gh, 'GET', `/repos/${REPO}/pulls/7/comments`);
    expect(asList(listed.body).map((c) => c.id)).toEqual(stored.map((c) => c.id));
    const reviews = await call(gh, 'GET', REVIEWS);
    expect(asList(reviews.body).map((r) => r.id)).toEqual([review.id]);
  });

  it('leaves a review without an event pending and unsubmitted', async () => {
    const reply = await call(gh, 'POST', REVIEWS, { body: { body: 'draft' } });
    expect(reply.status).toBe(200);
    expect(asObject(reply.body).state).toBe('PENDING');
    expect(asObject(reply.body)).not.toHaveProperty('submitted_at');
  });

  it('refuses a token without pull-requests: write', async () => {
    const reply = await call(gh, 'POST', REVIEWS, {
      token: READ_ONLY_TOKEN,
      body: { event: 'COMMENT', body: 'hi', comments: [] },
    });
    expect(reply.status).toBe(403);
    expect(asObject(reply.body).message).toBe('Resource not accessible by integration');
    expect(reply.headers.get('x-accepted-github-permissions')).toBe('pull_requests=write');
    expect(gh.reviews(REPO, 7)).toEqual([]);
  });

  it('does not let the author approve their own pull request', async () => {
    gh.addToken('ghp_bob', { 'pull-requests': 'write' }, { login: 'bob' });
    const reply = await call(gh, 'POST', REVIEWS, { token: 'ghp_bob', body: { event: 'APPROVE' } });
    expect(reply.status).toBe(422);
    expect(asObject(reply.body).errors).toEqual(['Review Can not approve your own pull request']);
  });

  it('lists review comments across the repository, sorted and filtered', async () => {
    gh.addPullRequest(REPO, { number: 9, user: 'carol', files: [] });
    const seed = (pr: number, body: string, updated: string): number =>
      gh.addReviewComment(REPO, pr, {
        user: 'alice',
        body,
        path: 'src/server.ts',
        diff_hunk: '@@ -10,4 +10,5 @@',
        line: 12,
        created_at: '2024-01-01T00:00:00Z',
        updated_at: updated,
      }).id;
    const a = seed(7, 'a', '2024-03-01T00:00:00Z');
    const b = seed(9, 'b', '2024-02-01T00:00:00Z');
    const c = seed(7, 'c', '2024-04-01T00:00:00Z');
    const ids = async (query: string): Promise<unknown[]> =>
      asList((await call(gh, 'GET', `/repos/${REPO}/pulls/comments${query}`)).body).map(
        (x) => x.id,
      );
    expect(await ids('')).toEqual([a, b, c]);
    expect(await ids('?sort=updated&direction=desc')).toEqual([c, a, b]);
    expect(await ids('?sort=updated&since=2024-02-15T00:00:00Z')).toEqual([a, c]);
  });

  it('keeps an outdated seeded comment with a null line and position', async () => {
    gh.addReviewComment(REPO, 7, {
      user: 'alice',
      body: 'old remark',
      path: 'src/server.ts',
      diff_hunk: '@@ -1,2 +1,2 @@\n-a\n+b',
      line: null,
      original_line: 2,
    });
    const reply = await call(gh, 'GET', `/repos/${REPO}/pulls/7/comments`);
    expect(asList(reply.body)[0]).toMatchObject({ line: null, position: null, original_line: 2 });
  });
});

describe('GitHub emulator: issue comments and reactions', () => {
  let gh: GitHubEmulator;

  beforeEach(async () => {
    gh = await seededEmulator();
    gh.addIssue(REPO, { number: 20, user: 'carol', title: 'A plain issue' });
    gh.addToken('ghs_pulls_only', { 'pull-requests': 'write' });
    gh.addToken('ghs_nothing', { contents: 'read' });
  });

  afterEach(async () => {
    expect(gh.schemaViolations).toEqual([]);
    await gh.stop();
  });

  it.each([
    ['issues: write', READ_ONLY_TOKEN, 7, 201],
    ['pull-requests: write', 'ghs_pulls_only', 7, 201],
    ['no write scope', 'ghs_nothing', 7, 403],
    ['pull-requests: write on a plain issue', 'ghs_pulls_only', 20, 403],
  ])('comments with %s (token %s, #%i) → %i', async (_what, token, issue, status) => {
    const reply = await call(gh, 'POST', `/repos/${REPO}/issues/${issue}/comments`, {
      token,
      body: { body: 'On it.' },
    });
    expect(reply.status).toBe(status);
    expect(gh.issueComments(REPO, issue)).toHaveLength(status === 201 ? 1 : 0);
  });

  it('creates, edits and reads back a comment', async () => {
    const created = await call(gh, 'POST', `/repos/${REPO}/issues/7/comments`, {
      body: { body: 'Working on it…' },
    });
    expect(created.status).toBe(201);
    const comment = asObject(created.body);
    expect(created.headers.get('location')).toBe(comment.url);
    expect(comment).toMatchObject({
      body: 'Working on it…',
      user: { login: 'github-actions[bot]' },
      author_association: 'NONE',
      html_url: expect.stringMatching(/\/pull\/7#issuecomment-\d+$/),
    });
    const edited = await call(gh, 'PATCH', `/repos/${REPO}/issues/comments/${String(comment.id)}`, {
      body: { body: 'Done.' },
    });
    expect(edited.status).toBe(200);
    const fetched = await call(gh, 'GET', `/repos/${REPO}/issues/comments/${String(comment.id)}`);
    expect(asObject(fetched.body).body).toBe('Done.');
    expect(gh.issueComments(REPO, 7).map((c) => c.body)).toEqual(['Done.']);
  });

  it('reacts once per user and content, lists and deletes reactions', async () => {
    const { id } = gh.addIssueComment(REPO, 7, { user: 'alice', body: '@tech-lead-bot alice' });
    const path = `/repos/${REPO}/issues/comments/${id}/reactions`;
    const first = await call(gh, 'POST', path, { body: { content: 'eyes' } });
    const second = await call(gh, 'POST', path, { body: { content: 'eyes' } });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(asObject(second.body).id).toBe(asObject(first.body).id);
    await call(gh, 'POST', path, { body: { content: 'rocket' } });
    expect(gh.reactions(REPO, id).map((r) => r.content)).toEqual(['eyes', 'rocket']);

    const eyes = await call(gh, 'GET', `${path}?content=eyes`);
    expect(asList(eyes.body).map((r) => r.content)).toEqual(['eyes']);
    const comment = await call(gh, 'GET', `/repos/${REPO}/issues/comments/${id}`);
    expect(asObject(comment.body).reactions).toMatchObject({ total_count: 2, eyes: 1, rocket: 1 });

    const deleted = await call(gh, 'DELETE', `${path}/${String(asObject(first.body).id)}`);
    expect(deleted.status).toBe(204);
    expect(gh.reactions(REPO, id).map((r) => r.content)).toEqual(['rocket']);
  });
});
