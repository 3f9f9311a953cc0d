import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GitHubEmulator } from './index.js';
import { seedHistory, TEST_SCALE, type SeededHistory } from './seed-history.js';

const TOKEN = 'ghs_graphql';
let gh: GitHubEmulator;
let seeded: SeededHistory;

beforeAll(async () => {
  gh = await GitHubEmulator.start();
  gh.addToken(TOKEN, { 'pull-requests': 'read' });
  seeded = seedHistory(gh, { scale: TEST_SCALE });
});

afterAll(async () => {
  await gh.stop();
});

beforeEach(() => {
  gh.resetLog();
});

async function query(text: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  const reply = await fetch(gh.graphqlUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: text, variables }),
  });
  expect(reply.status).toBe(200);
  return reply.json();
}

const SEARCH = `query($q: String!, $after: String) {
  search(query: $q, type: ISSUE, first: 100, after: $after) {
    issueCount
    pageInfo { hasNextPage endCursor }
    nodes { ... on PullRequest { number createdAt author { login } } }
  }
}`;

interface SearchPage {
  data: {
    search: {
      issueCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: { number: number; createdAt: string; author: { login: string } }[];
    };
  };
}

async function search(q: string, after?: string): Promise<SearchPage['data']['search']> {
  const answer = (await query(SEARCH, { q, after })) as SearchPage;
  return answer.data.search;
}

describe('validation against GitHub’s schema', () => {
  it('refuses a field GitHub does not have, as GitHub does, and records it', async () => {
    const answer = await query(
      '{ rateLimit { cost } node(id: "x") { ... on PullRequestReviewComment { side } } }',
    );

    const refusal = expect.stringContaining(
      'Cannot query field "side" on type "PullRequestReviewComment"',
    );
    expect(answer).toEqual({ errors: [expect.objectContaining({ message: refusal })] });
    expect(gh.schemaViolations).toEqual([
      expect.stringContaining('POST /graphql graphql: query refused'),
    ]);
    gh.resetLog();
  });

  it('requires first or last on every connection, at most 100', async () => {
    const missing = await query(
      '{ search(query: "repo:acme/monorepo is:pr", type: ISSUE) { issueCount } }',
    );
    const excessive = await query(
      '{ search(query: "repo:acme/monorepo is:pr", type: ISSUE, first: 101) { issueCount } }',
    );

    expect(JSON.stringify(missing)).toContain('MISSING_PAGINATION_BOUNDARIES');
    expect(JSON.stringify(excessive)).toContain('EXCESSIVE_PAGINATION');
    expect(gh.schemaViolations).toHaveLength(2);
    gh.resetLog();
  });
});

describe('rate limit', () => {
  it('charges a point per 100 nested connection requests, and logs it', async () => {
    const answer = await query(`{
      search(query: "repo:acme/monorepo is:pr", type: ISSUE, first: 100) {
        nodes { ... on PullRequest { reviews(first: 10) { nodes { comments(first: 30) { totalCount } } } } }
      }
      rateLimit { cost nodeCount }
    }`);

    // 1 search + 100 reviews + 1,000 comments connections: 11 points; 100 + 1,000 + 30,000 nodes.
    expect(answer).toMatchObject({ data: { rateLimit: { cost: 11, nodeCount: 31_100 } } });
    expect(gh.requests.map((r) => [r.path, r.spentRateLimit, r.graphqlCost])).toEqual([
      ['/graphql', true, 11],
    ]);
    expect(gh.schemaViolations).toEqual([]);
  });

  it('answers RATE_LIMITED once the points are spent', async () => {
    gh.graphql.setPointsRemaining(0);
    const answer = await query('{ rateLimit { remaining } }');
    gh.graphql.setPointsRemaining(gh.graphql.pointsLimit);

    expect(answer).toMatchObject({ errors: [{ type: 'RATE_LIMITED' }] });
  });
});

describe('search', () => {
  const base = `repo:acme/monorepo is:pr sort:created-desc`;

  it('finds the pull requests a user reviewed, leaving out their own', async () => {
    const found = await search(`${base} reviewed-by:${seeded.reviewer.toUpperCase()}`);
    const numbers = found.nodes.map((n) => n.number);
    const own = new Set(seeded.ownPulls);

    expect(numbers).toEqual(
      [...seeded.pulls.filter((n) => !own.has(n)), ...seeded.approvedOnly].sort((a, b) => b - a),
    );
    expect(found.issueCount).toBe(numbers.length);
    expect(found.nodes.every((n) => n.author.login !== seeded.reviewer)).toBe(true);
    expect(gh.schemaViolations).toEqual([]);
  });

  it('filters by creation time, to the second', async () => {
    const all = await search(`${base} author:${seeded.reviewer}`);
    const middle = all.nodes[Math.floor(all.nodes.length / 2)];
    if (!middle) throw new Error('the seed has no pull requests by the reviewer');
    const at = middle.createdAt.replace('Z', '+00:00');

    const upTo = await search(`${base} author:${seeded.reviewer} created:<=${at}`);
    const before = await search(`${base} author:${seeded.reviewer} created:<${at}`);

    expect(upTo.nodes[0]?.number).toBe(middle.number);
    expect(before.nodes[0]?.number).toBeLessThan(middle.number);
    expect(upTo.issueCount).toBe(before.issueCount + 1);
  });

  it('reaches at most the search cap, while issueCount tells the whole count', async () => {
    gh.graphql.searchCap = 150;
    try {
      const first = await search(base);
      const second = await search(base, first.pageInfo.endCursor ?? undefined);

      expect(first.issueCount).toBe(TEST_SCALE.pulls);
      expect(second.nodes).toHaveLength(50);
      expect(second.pageInfo.hasNextPage).toBe(false);
    } finally {
      gh.graphql.searchCap = 1000;
    }
  });

  it('reports a qualifier the emulator does not model instead of ignoring it', async () => {
    const answer = await query(SEARCH, { q: `${base} label:bug` });

    expect(answer).toMatchObject({ data: null });
    expect(gh.schemaViolations).toEqual([
      expect.stringContaining("emulator does not implement: unsupported search term 'label:bug'"),
    ]);
    gh.resetLog();
  });
});

describe('node', () => {
  it('answers NOT_FOUND for an unknown id, like GitHub', async () => {
    const answer = await query('{ node(id: "nope") { id } }');

    expect(answer).toMatchObject({
      data: { node: null },
      errors: [{ type: 'NOT_FOUND', path: ['node'] }],
    });
    expect(gh.schemaViolations).toEqual([]);
  });
});
