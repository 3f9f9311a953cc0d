import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { GitHubEmulator } from './index.js';
import { asList, asObject, call, links, seededEmulator, REPO } from './fixtures.js';

describe('GitHub emulator: HTTP behaviour', () => {
  let gh: GitHubEmulator;

  beforeAll(async () => {
    gh = await seededEmulator();
    for (let i = 1; i <= 75; i++) gh.addIssueComment(REPO, 7, { user: 'alice', body: `note ${i}` });
    gh.addPullRequest(REPO, {
      number: 8,
      user: 'bob',
      files: Array.from({ length: 3005 }, (_, i) => ({
        filename: `gen/file-${i}.ts`,
        status: 'added' as const,
        patch: '@@ -0,0 +1 @@\n+x',
      })),
    });
  });

  afterAll(async () => {
    expect(gh.schemaViolations).toEqual([]);
    await gh.stop();
  });

  describe('pagination', () => {
    const path = `/repos/${REPO}/issues/7/comments`;

    it('serves 30 per page by default with next and last links on the first page', async () => {
      const reply = await call(gh, 'GET', path);
      expect(asList(reply.body).map((c) => c.body)).toEqual(
        Array.from({ length: 30 }, (_, i) => `note ${i + 1}`),
      );
      expect(reply.headers.get('link')).toBe(
        `<${gh.url}${path}?page=2>; rel="next", <${gh.url}${path}?page=3>; rel="last"`,
      );
    });

    it('links prev, next, last and first from a middle page, keeping other query params', async () => {
      const reply = await call(gh, 'GET', `${path}?per_page=10&page=4&since=2000-01-01T00:00:00Z`);
      expect(asList(reply.body).map((c) => c.body)).toEqual(
        Array.from({ length: 10 }, (_, i) => `note ${i + 31}`),
      );
      const rel = links(reply.headers);
      expect(Object.keys(rel)).toEqual(['prev', 'next', 'last', 'first']);
      const next = new URL(rel.next ?? '');
      expect(next.origin).toBe(gh.url);
      expect(Object.fromEntries(next.searchParams)).toEqual({
        per_page: '10',
        page: '5',
        since: '2000-01-01T00:00:00Z',
      });
      expect(new URL(rel.last ?? '').searchParams.get('page')).toBe('8');
      expect(new URL(rel.prev ?? '').searchParams.get('page')).toBe('3');
      expect(new URL(rel.first ?? '').searchParams.get('page')).toBe('1');
    });

    it('has only prev and first on the last page', async () => {
      const reply = await call(gh, 'GET', `${path}?page=3`);
      expect(asList(reply.body)).toHaveLength(15);
      expect(Object.keys(links(reply.headers))).toEqual(['prev', 'first']);
    });

    it('caps per_page at 100', async () => {
      const reply = await call(gh, 'GET', `/repos/${REPO}/pulls/8/files?per_page=500`);
      expect(asList(reply.body)).toHaveLength(100);
      expect(new URL(links(reply.headers).last ?? '').searchParams.get('page')).toBe('30');
    });

    it('lists at most 3000 files of a pull request', async () => {
      const last = await call(gh, 'GET', `/repos/${REPO}/pulls/8/files?per_page=100&page=30`);
      expect(asList(last.body).at(-1)?.filename).toBe('gen/file-2999.ts');
      const beyond = await call(gh, 'GET', `/repos/${REPO}/pulls/8/files?per_page=100&page=31`);
      expect(beyond.body).toEqual([]);
    });

    it('filters issue comments by since', async () => {
      const reply = await call(gh, 'GET', `${path}?since=2999-01-01T00:00:00Z`);
      expect(reply.body).toEqual([]);
    });
  });

  describe('conditional requests and the rate limit', () => {
    it('answers a matching If-None-Match with an empty 304 that costs nothing', async () => {
      const path = `/repos/${REPO}/pulls/7`;
      const first = await call(gh, 'GET', path);
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
      expect(new Date(first.headers.get('last-modified') ?? '').getTime()).not.toBeNaN();
      const before = gh.rateLimitRemaining();

      const again = await call(gh, 'GET', path, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.body).toBeUndefined();
      expect(again.headers.get('etag')).toBe(etag);
      expect(gh.rateLimitRemaining()).toBe(before);
      expect(gh.requests.at(-1)).toMatchObject({ status: 304, spentRateLimit: false });

      const stale = await call(gh, 'GET', path, { headers: { 'if-none-match': 'W/"other"' } });
      expect(stale.status).toBe(200);
      expect(gh.rateLimitRemaining()).toBe(before - 1);
      expect(gh.requests.at(-1)).toMatchObject({ status: 200, spentRateLimit: true });
    });

    it('changes the ETag when the resource changes', async () => {
      const path = `/repos/${REPO}/issues/7/comments?page=3`;
      const etag = (await call(gh, 'GET', path)).headers.get('etag') ?? '';
      gh.addIssueComment(REPO, 7, { user: 'alice', body: 'one more' });
      const after = await call(gh, 'GET', path, { headers: { 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
    });

    it('reports the core budget on every response', async () => {
      const reply = await call(gh, 'GET', `/repos/${REPO}`);
      const limit = Number(reply.headers.get('x-ratelimit-limit'));
      const remaining = Number(reply.headers.get('x-ratelimit-remaining'));
      const used = Number(reply.headers.get('x-ratelimit-used'));
      const reset = Number(reply.headers.get('x-ratelimit-reset'));
      expect(limit).toBe(1000);
      expect(remaining).toBe(gh.rateLimitRemaining());
      expect(used + remaining).toBe(limit);
      expect(used).toBeGreaterThan(0);
      expect(reset - Date.now() / 1000).toBeGreaterThan(3500);
      expect(reply.headers.get('x-ratelimit-resource')).toBe('core');
      const missing = await call(gh, 'GET', `/repos/${REPO}/pulls/999`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('x-ratelimit-remaining')).toBe(String(remaining - 1));
    });

    it('does not spend the budget on GET /rate_limit', async () => {
      const before = gh.rateLimitRemaining();
      const reply = await call(gh, 'GET', '/rate_limit');
      expect(asObject(reply.body).rate).toMatchObject({ limit: 1000, remaining: before });
      expect(gh.rateLimitRemaining()).toBe(before);
    });

    it('refuses with the primary-limit 403 once the budget is spent', async () => {
      const small = await seededEmulator({ rateLimit: 2 });
      try {
        expect((await call(small, 'GET', `/repos/${REPO}`)).status).toBe(200);
        expect((await call(small, 'GET', `/repos/${REPO}`)).status).toBe(200);
        const refused = await call(small, 'GET', `/repos/${REPO}`);
        expect(refused.status).toBe(403);
        expect(asObject(refused.body).message).toMatch(/^API rate limit exceeded for /);
        expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
        expect(refused.headers.get('x-ratelimit-used')).toBe('2');
        expect(small.requests.at(-1)?.spentRateLimit).toBe(false);
      } finally {
        await small.stop();
      }
    });
  });

  describe('authentication', () => {
    it.each([
      ['no token', null],
      ['an unknown token', 'ghs_nobody'],
    ])('answers %s with 401 Bad credentials', async (_what, token) => {
      const reply = await call(gh, 'GET', `/repos/${REPO}`, { token });
      expect(reply.status).toBe(401);
      expect(asObject(reply.body).message).toBe('Bad credentials');
    });

    it('accepts the "token" scheme as well as "Bearer"', async () => {
      const reply = await fetch(`${gh.url}/user`, {
        headers: { authorization: 'token ghs_write' },
      });
      expect(reply.status).toBe(200);
      expect(asObject(await reply.json()).login).toBe('github-actions[bot]');
    });
  });

  describe('unknown paths', () => {
    it('answers a path GitHub does not have with 404 and records it as a violation', async () => {
      const other = await seededEmulator();
      try {
        const reply = await call(other, 'GET', '/repos/acme/widgets/no-such-thing/at/all');
        expect(reply.status).toBe(404);
        expect(asObject(reply.body).message).toBe('Not Found');
        expect(other.schemaViolations).toEqual([
          "GET /repos/acme/widgets/no-such-thing/at/all request: no such operation in GitHub's OpenAPI description",
        ]);
        other.resetLog();
        expect([other.requests, other.schemaViolations]).toEqual([[], []]);
      } finally {
        await other.stop();
      }
    });

    it('answers POST /graphql with GraphQL (see graphql.test.ts)', async () => {
      const reply = await fetch(gh.graphqlUrl, {
        method: 'POST',
        headers: { authorization: 'Bearer ghs_write' },
        body: JSON.stringify({ query: '{ rateLimit { cost } }' }),
      });
      expect([reply.status, await reply.json()]).toEqual([
        200,
        { data: { rateLimit: { cost: 1 } } },
      ]);
    });

    it('answers a real but unimplemented operation with 404 and names it', async () => {
      const reply = await call(gh, 'GET', `/repos/${REPO}/branches`);
      expect(reply.status).toBe(404);
      expect(reply.headers.get('x-emulator-unimplemented')).toBe('repos/list-branches');
    });
  });

  describe('faults', () => {
    const path = `/repos/${REPO}/pulls/7`;

    it.each([500, 502, 503])(
      'fails with %i for the given number of times, then recovers',
      async (status) => {
        gh.injectFault({ path, status, times: 2 });
        expect((await call(gh, 'GET', path)).status).toBe(status);
        expect((await call(gh, 'GET', path)).status).toBe(status);
        expect((await call(gh, 'GET', path)).status).toBe(200);
      },
    );

    it('signals a secondary rate limit with 403, its message and retry-after', async () => {
      gh.injectFault({
        method: 'POST',
        path: /\/issues\/\d+\/comments$/,
        status: 403,
        retryAfter: 7,
      });
      const get = await call(gh, 'GET', `/repos/${REPO}/issues/7/comments`);
      expect(get.status).toBe(200);
      const reply = await call(gh, 'POST', `/repos/${REPO}/issues/7/comments`, {
        body: { body: 'hello' },
      });
      expect(reply.status).toBe(403);
      expect(asObject(reply.body).message).toMatch(/^You have exceeded a secondary rate limit/);
      expect(reply.headers.get('retry-after')).toBe('7');
      expect(Number(reply.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
      expect(gh.issueComments(REPO, 7).map((c) => c.body)).not.toContain('hello');
    });

    it('answers 429 with retry-after', async () => {
      gh.injectFault({ path, status: 429, retryAfter: 3 });
      const reply = await call(gh, 'GET', path);
      expect(reply.status).toBe(429);
      expect(reply.headers.get('retry-after')).toBe('3');
    });

    it('delays a response and then answers normally', async () => {
      gh.injectFault({ path, delayMs: 300 });
      const started = Date.now();
      const slow = await call(gh, 'GET', path);
      expect(slow.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      const quick = Date.now();
      await call(gh, 'GET', path);
      expect(Date.now() - quick).toBeLessThan(290);
    });
  });
});
