import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { GitHubEmulator, type FileSeed } from '../emulator/index.js';
import { FakeModelServer, firstAddedLabel, type Responder } from '../harness/fake-model-server.js';
import { MOTO_ENV, MotoServer } from '../harness/moto.js';
import { runAction, type RunActionResult } from '../harness/run-action.js';
import { ObjectStore } from '../../src/store/object-store.js';

/**
 * The review step's own logic against the GitHub emulator and moto, with a stand-in model
 * server (test/harness/fake-model-server.ts) told exactly what to answer: good comments,
 * garbage, lines outside the hunk, errors. The real vLLM server is the end-to-end test's.
 */
const REPO = 'acme/widgets';
const TOKEN = 'ghs_review0000000000000000000000000000';
const ADAPTER = 'tlb/acme/widgets/alice/00000000000000aa';

let gh: GitHubEmulator;
let moto: MotoServer;
let model: FakeModelServer;

function file(name: string, start: number): FileSeed {
  return {
    filename: name,
    status: 'modified',
    patch: `@@ -${start},3 +${start},4 @@ function f() {\n   const a = 1;\n-  const b = 2;\n+  const b = 3;\n+  const c = @someone <b>4</b>;\n   return a;`,
  };
}

const commentOnFirstAdded: Responder = (request) => {
  const label = firstAddedLabel(request);
  return label ? `${label}: Why this value? ping @octocat <img src=x>` : 'NO COMMENT';
};

beforeAll(async () => {
  moto = await MotoServer.start();
  await moto.createBucket('adapters');
  const objects = new ObjectStore({
    bucket: 'adapters',
    prefix: 'tlb',
    endpoint: moto.endpoint,
    sse: 'AES256',
  });
  Object.assign(process.env, MOTO_ENV);
  await objects.put(
    'acme/widgets/alice/manifest.json',
    JSON.stringify({
      schemaVersion: 1,
      owner: 'acme',
      repo: 'widgets',
      reviewer: 'alice',
      previous: [],
      updatedAt: '2026-03-01T00:00:00Z',
      current: {
        id: '00000000000000aa',
        name: ADAPTER,
        baseModel: 'meta-llama/Llama-3.1-8B-Instruct',
        datasetDigest: 'd',
        createdAt: '2026-03-01T00:00:00Z',
        comments: 120,
        metrics: { bleu4: 0.21, f1: 0.64 },
      },
    }),
  );
  model = await FakeModelServer.start(commentOnFirstAdded);
  gh = await GitHubEmulator.start();
  gh.addRepo(REPO);
  for (const login of ['alice', 'bob', 'carol', 'octocat']) gh.addUser(login);
  gh.addToken(TOKEN, { issues: 'write', 'pull-requests': 'write', contents: 'read' });
});

afterAll(async () => {
  await gh.stop();
  await moto.stop();
  await model.stop();
});

afterEach(() => {
  expect(gh.schemaViolations).toEqual([]);
  model.respondWith(commentOnFirstAdded);
});

async function reviewPull(
  files: FileSeed[],
  inputs: Record<string, string> = {},
): Promise<RunActionResult & { pr: number; trigger: number }> {
  const pr = gh.addPullRequest(REPO, { user: 'carol', files }).number;
  const trigger = gh.addIssueComment(REPO, pr, { user: 'bob', body: '@tech-lead-bot alice' }).id;
  model.requests.length = 0;
  const run = await reviewStep(pr, { 'comment-id': String(trigger), ...inputs });
  return { ...run, pr, trigger };
}

/** The review step on a pull request, started as the example workflow's review job starts it. */
async function reviewStep(
  pr: number,
  inputs: Record<string, string> = {},
): Promise<RunActionResult> {
  gh.resetLog();
  return runAction({
    eventName: 'issue_comment',
    payload: {},
    repository: REPO,
    apiUrl: gh.url,
    graphqlUrl: gh.graphqlUrl,
    token: TOKEN,
    inputs: {
      step: 'review',
      reviewer: 'alice',
      'pull-number': String(pr),
      's3-uri': 's3://adapters/tlb',
      's3-endpoint': moto.endpoint,
      'model-server-url': model.url,
      ...inputs,
    },
    env: MOTO_ENV,
  });
}

function statusOf(pr: number): string {
  return (
    gh.issueComments(REPO, pr).find((c) => c.body?.includes('tech-lead-bot:status reviewer=alice'))
      ?.body ?? ''
  );
}

describe('the review step', () => {
  it('posts one review with a sanitized comment per hunk, at lines of the diff, through the adapter', async () => {
    const run = await reviewPull([
      file('src/a.ts', 10),
      file('src/b.ts', 40),
      file('src/c.ts', 70),
    ]);

    expect(run.exitCode).toBe(0);
    const reviews = gh.reviews(REPO, run.pr);
    expect(reviews).toHaveLength(1);
    const comments = gh.reviewComments(REPO, run.pr);
    expect(comments.map((c) => [c.path, c.line, c.side])).toEqual([
      ['src/a.ts', 11, 'RIGHT'],
      ['src/b.ts', 41, 'RIGHT'],
      ['src/c.ts', 71, 'RIGHT'],
    ]);
    for (const c of comments) {
      expect(c.body).toBe('Why this value? ping `@octocat` &lt;img src=x&gt;');
    }
    expect(new Set(model.requests.map((r) => r.model))).toEqual(new Set([ADAPTER]));
    expect(reviews[0]?.body).toContain('Adapter `00000000000000aa`');
    expect(reviews[0]?.body).toContain('bleu4 0.210');
    expect(
      gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reviews')),
    ).toHaveLength(1);
    expect(run.outputs['review-url']).toBe(reviews[0]?.html_url);
    expect(statusOf(run.pr)).toContain(
      `[Review posted](${reviews[0]?.html_url}): 3 comments on 3 hunks`,
    );
    expect(gh.reactions(REPO, run.trigger).map((r) => r.content)).toEqual(['rocket']);
  });

  it('keeps the review short: max-comments and min-confidence', async () => {
    const files = Array.from({ length: 6 }, (_, i) => file(`src/f${i}.ts`, 10 + i * 20));
    const run = await reviewPull(files, { 'max-comments': '2' });
    expect(gh.reviewComments(REPO, run.pr)).toHaveLength(2);

    const none = await reviewPull(files, { 'min-confidence': '0.99' });
    expect(none.exitCode).toBe(0);
    expect(gh.reviewComments(REPO, none.pr)).toHaveLength(0);
  });

  it('drops garbage answers and lines outside the hunk, and respects NO COMMENT', async () => {
    model.respondWith(
      (request, index) =>
        [
          'line 999: far away',
          'Sure! Here is my review of the code.',
          'NO COMMENT',
          `${firstAddedLabel(request)}: ok`,
        ][index % 4] ?? '',
    );
    const run = await reviewPull([
      file('a.ts', 1),
      file('b.ts', 20),
      file('c.ts', 40),
      file('d.ts', 60),
    ]);

    expect(run.exitCode).toBe(0);
    expect(gh.reviewComments(REPO, run.pr)).toHaveLength(1);
    expect(gh.reviews(REPO, run.pr)[0]?.body).toContain('2 unreadable answers dropped');
  });

  it('recovers from model server errors', async () => {
    model.respondWith((request, index) =>
      index < 2 ? { status: 500 } : commentOnFirstAdded(request, index),
    );
    const run = await reviewPull([file('a.ts', 1)]);

    expect(run.exitCode).toBe(0);
    expect(gh.reviewComments(REPO, run.pr)).toHaveLength(1);
    expect(model.requests).toHaveLength(3);
  });

  it('fails clearly, on the PR too, when the model server is down', async () => {
    const run = await reviewPull([file('a.ts', 1)], {
      'model-server-url': 'http://127.0.0.1:9/v1',
      'request-timeout-seconds': '5',
    });

    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(
      '::error::The model server at http://127.0.0.1:9/v1 did not answer for any hunk',
    );
    expect(statusOf(run.pr)).toContain(
      '❌ The model server at http://127.0.0.1:9/v1 did not answer',
    );
    expect(gh.reviews(REPO, run.pr)).toHaveLength(0);
    expect(gh.reactions(REPO, run.trigger).map((r) => r.content)).toEqual(['confused']);
  }, 120_000);

  it('says there is nothing to review when every file is skipped', async () => {
    const run = await reviewPull([
      { filename: 'package-lock.json', status: 'modified', patch: '@@ -1 +1 @@\n-a\n+b' },
      { filename: 'logo.png', status: 'modified' },
      { filename: 'old.ts', status: 'removed', patch: '@@ -1 +0,0 @@\n-x' },
      { filename: 'vendor/lib.js', status: 'added', patch: '@@ -0,0 +1 @@\n+x' },
    ]);

    expect(run.exitCode).toBe(0);
    expect(gh.reviews(REPO, run.pr)).toHaveLength(0);
    expect(model.requests).toHaveLength(0);
    expect(statusOf(run.pr)).toContain(
      'Nothing to review: all 4 files were skipped (1 lockfile, 1 binary or too large for a diff, 1 deleted, 1 vendored)',
    );
  });

  it('does not repeat a comment already on the PR at the same place', async () => {
    const first = await reviewPull([file('a.ts', 1)]);
    expect(gh.reviewComments(REPO, first.pr)).toHaveLength(1);
    // Second run on the same pull request.
    const again = await reviewStep(first.pr);
    expect(again.exitCode).toBe(0);
    expect(gh.reviewComments(REPO, first.pr)).toHaveLength(1);
  });

  it('reviews a pull request of 3,000 files', async () => {
    const files = Array.from({ length: 3000 }, (_, i) => file(`src/m${i}.ts`, 1));
    const run = await reviewPull(files, { 'max-comments': '5' });

    expect(run.exitCode).toBe(0);
    expect(model.requests).toHaveLength(3000);
    expect(gh.reviewComments(REPO, run.pr)).toHaveLength(5);
    expect(gh.requests.filter((r) => r.path.endsWith('/files'))).toHaveLength(30);
  }, 120_000);

  it('reviews with the base model and a few past comments when the reviewer has no adapter', async () => {
    const old = gh.addPullRequest(REPO, { user: 'carol', files: [file('src/old.ts', 5)] });
    for (const body of ['Name this better.', 'Why three?']) {
      gh.addReviewComment(REPO, old.number, {
        user: 'bob',
        body,
        path: 'src/old.ts',
        diff_hunk: file('src/old.ts', 5).patch ?? '',
        line: 6,
        side: 'RIGHT',
      });
    }
    const pr = gh.addPullRequest(REPO, { user: 'carol', files: [file('src/new.ts', 1)] }).number;
    model.requests.length = 0;
    const run = await reviewStep(pr, { reviewer: 'bob' });

    expect(run.exitCode).toBe(0);
    expect(model.requests[0]?.model).toBe('meta-llama/Llama-3.1-8B-Instruct');
    // system, two example turns (user + assistant each), then the hunk.
    expect(model.requests[0]?.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
    ]);
    expect(gh.reviews(REPO, pr)[0]?.body).toContain('`bob` has no trained adapter yet');
  });
});

describe('tone', () => {
  it('is never sent to an adapter, which only knows the prompt it was trained on', async () => {
    const run = await reviewPull([file('src/a.ts', 1)], { tone: 'snarky' });

    expect(run.exitCode).toBe(0);
    expect(model.requests.length).toBeGreaterThan(0);
    for (const request of model.requests) {
      expect(request.model).toBe(ADAPTER);
      const system = request.messages[0]?.content ?? '';
      expect(system).toContain('in your own voice');
      expect(system).not.toContain('snarky');
    }
    expect(run.log).toContain('::notice::tone: snarky applies to the base-model fallback only');
  });

  it('shapes the base-model fallback', async () => {
    const pr = gh.addPullRequest(REPO, { user: 'carol', files: [file('src/tone.ts', 1)] }).number;
    model.requests.length = 0;
    const run = await reviewStep(pr, { reviewer: 'nobody-trained', tone: 'snarky' });

    expect(run.exitCode).toBe(0);
    expect(model.requests.length).toBeGreaterThan(0);
    for (const request of model.requests) {
      expect(request.model).toBe('meta-llama/Llama-3.1-8B-Instruct');
      expect(request.messages[0]?.content).toContain('Be terse and snarky');
    }
  });
});

describe('after a failed training', () => {
  it('reviews with the previous adapter and says that training failed', async () => {
    const run = await reviewPull([file('src/a.ts', 1)], { 'training-result': 'failure' });

    expect(run.exitCode).toBe(0);
    expect(model.requests[0]?.model).toBe(ADAPTER);
    expect(gh.reviews(REPO, run.pr)[0]?.body).toContain(
      '⚠️ Training a new adapter failed (see the train job), so the previous one reviews.',
    );
  });
});

describe('when GitHub refuses the review', () => {
  it('moves the comment that no longer fits the diff into the body and posts the rest', async () => {
    const pr = gh.addPullRequest(REPO, {
      user: 'carol',
      files: [file('src/a.ts', 10), file('src/b.ts', 40)],
    }).number;
    // The branch moves while the model thinks: b.ts's hunk is now elsewhere.
    model.requests.length = 0;
    model.respondWith((request, index) => {
      if (index === 0) {
        gh.pushToPullRequest(REPO, pr, {
          head_sha: 'f'.repeat(40),
          files: [file('src/a.ts', 10), file('src/b.ts', 400)],
        });
      }
      return commentOnFirstAdded(request, index);
    });
    const run = await reviewStep(pr, { concurrency: '1' });

    expect(run.exitCode).toBe(0);
    const posts = gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reviews'));
    expect(posts.map((r) => r.status)).toEqual([422, 200]);
    expect(gh.reviewComments(REPO, pr).map((c) => [c.path, c.line])).toEqual([['src/a.ts', 11]]);
    const body = gh.reviews(REPO, pr)[0]?.body ?? '';
    expect(body).toContain('Comments GitHub would not place on a line of the current diff:');
    expect(body).toContain('- `src/b.ts` line 41: Why this value?');
    expect(body).toContain('The branch moved from');
  });
});
