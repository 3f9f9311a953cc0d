import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { GitHubEmulator } from '../emulator/index.js';
import { issueCommentEvent } from '../harness/events.js';
import { MOTO_ENV, MotoServer } from '../harness/moto.js';
import { runAction, type RunActionResult } from '../harness/run-action.js';

const REPO = 'acme/widgets';
const TOKEN = 'ghs_workflowtoken000000000000000000000';
const MARKER = '<!-- tech-lead-bot:status reviewer=alice -->';
const OLD_PATCH = '@@ -1,2 +1,3 @@\n let x = 1;\n+let y = 2;\n let z = 3;';

let gh: GitHubEmulator;
let moto: MotoServer;
let prNumber: number;
let issueNumber: number;

beforeAll(async () => {
  moto = await MotoServer.start();
  await moto.createBucket('adapters');
  gh = await GitHubEmulator.start();
  gh.addRepo(REPO);
  gh.addUser('alice');
  gh.addUser('bob');
  gh.addUser('carol');
  gh.addUser('mallory');
  gh.addUser('renovate[bot]', { type: 'Bot' });
  gh.setPermission(REPO, 'alice', 'admin');
  gh.setPermission(REPO, 'bob', 'write');
  gh.setPermission(REPO, 'carol', 'maintain');
  gh.setPermission(REPO, 'mallory', 'read');
  gh.addToken(TOKEN, { issues: 'write', 'pull-requests': 'write', contents: 'read' });
  gh.addToken('ghs_readonly', { contents: 'read', 'pull-requests': 'read', issues: 'read' });
  issueNumber = gh.addIssue(REPO, { title: 'A bug', user: 'bob' }).number;
  prNumber = gh.addPullRequest(REPO, {
    title: 'Add widgets',
    user: 'carol',
    files: [
      {
        filename: 'src/widget.ts',
        status: 'modified',
        patch: '@@ -1,2 +1,3 @@\n const a = 1;\n+const b = 2;\n export { a };',
      },
    ],
  }).number;
  // A little review history, so that an accepted command goes on to build a dataset.
  const reviewed = gh.addPullRequest(REPO, {
    user: 'carol',
    files: [{ filename: 'src/old.ts', status: 'modified', patch: OLD_PATCH }],
  });
  for (const body of ['Name this after what it holds.', 'Why a loop here?', 'Missing a test.']) {
    gh.addReviewComment(REPO, reviewed.number, {
      user: 'alice',
      body,
      path: 'src/old.ts',
      diff_hunk: OLD_PATCH,
      line: 2,
      side: 'RIGHT',
    });
  }
});

afterAll(async () => {
  await gh.stop();
  await moto.stop();
});

afterEach(() => {
  // Every request our code sent, and every answer the emulator gave, matched GitHub's OpenAPI description.
  expect(gh.schemaViolations).toEqual([]);
});

interface Trigger {
  body: string;
  author?: string;
  onIssue?: number;
  isPullRequest?: boolean;
  token?: string;
  inputs?: Record<string, string>;
  action?: 'created' | 'edited';
}

async function trigger(options: Trigger): Promise<RunActionResult & { commentId: number }> {
  const number = options.onIssue ?? prNumber;
  const author = options.author ?? 'bob';
  const comment = gh.addIssueComment(REPO, number, { user: author, body: options.body });
  const payload = issueCommentEvent({
    repository: REPO,
    issueNumber: number,
    isPullRequest: options.isPullRequest ?? number === prNumber,
    action: options.action,
    comment: {
      id: comment.id,
      body: options.body,
      user: { login: author, type: author.endsWith('[bot]') ? 'Bot' : 'User' },
    },
  });
  gh.resetLog();
  const result = await runAction({
    eventName: 'issue_comment',
    payload,
    repository: REPO,
    apiUrl: gh.url,
    graphqlUrl: gh.graphqlUrl,
    token: options.token ?? TOKEN,
    inputs: {
      's3-uri': 's3://adapters/tlb',
      's3-endpoint': moto.endpoint,
      'min-history-comments': '2',
      ...options.inputs,
    },
    env: MOTO_ENV,
  });
  return { ...result, commentId: comment.id };
}

function botComments(number = prNumber): { id: number; body: string }[] {
  return gh
    .issueComments(REPO, number)
    .filter((comment) => comment.user.type === 'Bot')
    .map((comment) => ({ id: comment.id, body: comment.body ?? '' }));
}

function reactionsOn(commentId: number): string[] {
  return gh.reactions(REPO, commentId).map((reaction) => reaction.content);
}

function writes(): string[] {
  return gh.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

describe('an authorised command', () => {
  it('is acknowledged with 👀, one status comment and the outputs the next jobs need', async () => {
    const before = botComments().length;
    const run = await trigger({ body: 'Could you look?\n@tech-lead-bot alice' });

    expect(run.exitCode).toBe(0);
    expect(reactionsOn(run.commentId)).toEqual(['eyes']);
    const added = botComments().slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]?.body.startsWith(MARKER)).toBe(true);
    expect(added[0]?.body).toContain('bob asked for a review in the style of `alice`');
    expect(run.outputs).toMatchObject({
      triggered: 'true',
      reviewer: 'alice',
      'force-reload': 'false',
      'pull-number': String(prNumber),
      'comment-id': String(run.commentId),
      'status-comment-id': String(added[0]?.id),
    });
    expect(run.summary).toContain('alice');
    // The token appears once, in the command that tells the runner to mask it.
    expect(run.log).toContain(`::add-mask::${TOKEN}`);
    expect(run.log.replace(/^::add-mask::.*$/gm, '')).not.toContain(TOKEN);
  });

  it('edits the same status comment on the next command for that reviewer', async () => {
    const first = await trigger({ body: '@tech-lead-bot alice' });
    const count = botComments().length;
    const second = await trigger({ body: '@tech-lead-bot @alice --force-reload', author: 'carol' });

    expect(second.exitCode).toBe(0);
    expect(botComments()).toHaveLength(count);
    expect(second.outputs['status-comment-id']).toBe(first.outputs['status-comment-id']);
    expect(second.outputs['force-reload']).toBe('true');
    const status = botComments().find((c) => String(c.id) === second.outputs['status-comment-id']);
    expect(status?.body).toContain('carol asked for a review in the style of `alice`');
    expect(status?.body).toContain('--force-reload');
  });
});

describe('comments the bot refuses', () => {
  it.each<[string, Trigger, RegExp]>([
    [
      'a commenter without write access',
      { body: '@tech-lead-bot alice', author: 'mallory' },
      /only people with write access/,
    ],
    [
      'a reviewer without write access',
      { body: '@tech-lead-bot mallory' },
      /mallory has no write access/,
    ],
    [
      'a reviewer who is not a user here',
      { body: '@tech-lead-bot nobody-here' },
      /cannot find nobody-here/,
    ],
    [
      'a reviewer outside allowed-reviewers',
      { body: '@tech-lead-bot bob', inputs: { 'allowed-reviewers': 'alice, carol' } },
      /bob is not among the reviewers this repository allows \(alice, carol\)/,
    ],
    [
      'a comment on an issue',
      { body: '@tech-lead-bot alice', onIssue: -1 },
      /I review pull requests only/,
    ],
  ])('answers %s politely and does nothing else', async (_name, options, message) => {
    const on = options.onIssue === -1 ? issueNumber : prNumber;
    const before = botComments(on).length;
    const run = await trigger({ ...options, onIssue: on });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.triggered).toBe('false');
    const replies = botComments(on).slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatch(message);
    expect(replies[0]?.body).not.toContain('tech-lead-bot:status');
    expect(reactionsOn(run.commentId)).toEqual([]);
    expect(writes()).toEqual([`POST /repos/${REPO}/issues/${on}/comments`]);
  });

  it.each([
    ['no reviewer', '@tech-lead-bot', /The reviewer is missing/],
    ['an unknown flag', '@tech-lead-bot alice --force', /Unknown option `--force`/],
    ['an invalid login', '@tech-lead-bot -alice-', /Unknown option|not a valid GitHub login/],
    ['an invalid login', '@tech-lead-bot ali_ce', /`ali_ce` is not a valid GitHub login/],
  ])('answers a command with %s with the usage and 😕', async (_name, body, problem) => {
    const before = botComments().length;
    const run = await trigger({ body });

    expect(run.exitCode).toBe(0);
    const replies = botComments().slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatch(problem);
    expect(replies[0]?.body).toContain('Usage: `@tech-lead-bot <reviewer> [--force-reload]`');
    expect(reactionsOn(run.commentId)).toEqual(['confused']);
  });
});

describe('comments that are not for the bot', () => {
  it.each([
    ['no mention at all', 'LGTM, thanks!', 'does not mention @tech-lead-bot'],
    [
      'a quoted command',
      '> @tech-lead-bot alice\n\nWhat does this do?',
      'No line of the comment starts',
    ],
    ['a fenced command', 'Try:\n```\n@tech-lead-bot alice\n```', 'No line of the comment starts'],
    [
      'an inline-code command',
      'Use `@tech-lead-bot alice` to ask.',
      'No line of the comment starts',
    ],
  ])('end quietly on %s', async (_name, body, logLine) => {
    const before = botComments().length;
    const run = await trigger({ body });

    expect(run.exitCode).toBe(0);
    expect(run.log).toContain(logLine);
    expect(botComments()).toHaveLength(before);
    expect(writes()).toEqual([]);
  });

  it('end without a single GitHub request when the bot is not named', async () => {
    const run = await trigger({ body: 'Nice refactor.' });
    expect(run.exitCode).toBe(0);
    expect(run.log.trim().split('\n')).toHaveLength(1);
    expect(gh.requests).toEqual([]);
  });

  it('ignore commands written by bots', async () => {
    const run = await trigger({ body: '@tech-lead-bot alice', author: 'renovate[bot]' });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('bots cannot start a review');
    expect(gh.requests).toEqual([]);
  });

  it('ignore edited comments', async () => {
    const run = await trigger({ body: '@tech-lead-bot alice', action: 'edited' });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('only new comments start a review');
    expect(gh.requests).toEqual([]);
  });
});

describe('GitHub failures', () => {
  it('retries server errors and goes on when GitHub recovers', async () => {
    gh.injectFault({ path: /\/collaborators\/bob\/permission$/, status: 502, times: 2 });
    const run = await trigger({ body: '@tech-lead-bot alice' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.triggered).toBe('true');
    const statuses = gh.requests
      .filter((r) => r.path.endsWith('/collaborators/bob/permission'))
      .map((r) => r.status);
    expect(statuses).toEqual([502, 502, 200]);
  });

  it('fails with a clear message when server errors persist', async () => {
    gh.injectFault({ path: /\/collaborators\/bob\/permission$/, status: 503, times: 4 });
    const run = await trigger({ body: '@tech-lead-bot alice' });

    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(
      "::error::Could not check bob's permission on the repository: GitHub answered 503 even after retrying.",
    );
    // 1 try + 3 retries.
    expect(gh.requests.filter((r) => r.path.endsWith('/permission'))).toHaveLength(4);
  });

  it('waits out a secondary rate limit', async () => {
    gh.injectFault({ method: 'POST', path: /\/reactions$/, status: 403, retryAfter: 1, times: 1 });
    const run = await trigger({ body: '@tech-lead-bot alice' });

    expect(run.exitCode).toBe(0);
    expect(reactionsOn(run.commentId)).toEqual(['eyes']);
    expect(run.log).toContain('secondary rate limit');
  });

  it('fails clearly when the secondary rate limit does not lift, and says so on the PR', async () => {
    // carol has no status comment yet: creating it meets the limit on all three tries.
    gh.injectFault({
      method: 'POST',
      path: new RegExp(`/issues/${prNumber}/comments$`),
      status: 403,
      retryAfter: 1,
      times: 3,
    });
    const run = await trigger({ body: '@tech-lead-bot carol' });

    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(
      "::error::Could not post the status comment: GitHub's secondary rate limit still applied after retrying (403).",
    );
    expect(reactionsOn(run.commentId)).toEqual(['eyes', 'confused']);
    const status = botComments().find((c) => c.body.includes('reviewer=carol'));
    expect(status?.body).toContain(
      "❌ Could not post the status comment: GitHub's secondary rate limit",
    );
  });

  it('names the permission to grant when the token may not write to pull requests', async () => {
    const run = await trigger({ body: '@tech-lead-bot alice', token: 'ghs_readonly' });

    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(
      "::error::Could not add a eyes reaction to the comment: the workflow's token is not allowed to (403 Resource not accessible by integration). Grant `pull-requests: write` in the workflow's `permissions:`.",
    );
  });
});
