import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { GitHubEmulator, type FileSeed } from '../emulator/index.js';
import { FakeModelServer, firstAddedLabel, type Responder } from '../harness/fake-model-server.js';
import { MOTO_ENV, MotoServer } from '../harness/moto.js';
import { repoRoot, type RunActionResult, runReviewStep } from '../harness/run-action.js';
import { readFileSync } from 'node:fs';
import { parseMarker, withoutMarker } from '../../src/feedback/marker.js';
import type { TokenLogprob } from '../../src/review/confidence.js';
import { ObjectStore } from '../../src/store/object-store.js';
import type { Manifest } from '../../src/store/reviewer-store.js';

/**
 * The review step's own logic against the GitHub emulator and moto, with a stand-in model
 * server (test/harness/fake-model-server.ts) told exactly what to answer: good comments,
 * garbage, lines outside the hunk, errors. The real vLLM server is the end-to-end test's.
 */
const REPO = 'acme/widgets';
const TOKEN = 'ghs_review0000000000000000000000000000';
const ADAPTER = 'tlb/acme/widgets/alice/00000000000000aa';
/** The workflow run runAction starts the action in (GITHUB_SERVER_URL, GITHUB_RUN_ID). */
const RUN_URL = 'https://github.com/acme/widgets/actions/runs/4242';

let gh: GitHubEmulator;
let moto: MotoServer;
let model: FakeModelServer;
let objects: ObjectStore;

function file(name: string, start: number): FileSeed {
  return {
    filename: name,
    status: 'modified',
    patch: `@@ -${start},3 +${start},4 @@ function f() {\n   const a = 1;\n-  const b = 2;\n+  const b = 3;\n+  const c = @someone <b>4</b>;\n   return a;`,
  };
}

const promotedGolden = JSON.parse(
  readFileSync(`${repoRoot}/contracts/manifest/promoted.json`, 'utf8'),
) as Manifest;

const commentOnFirstAdded: Responder = (request) => {
  const label = firstAddedLabel(request);
  return label ? `${label}: Why this value? ping @octocat <img src=x>` : 'NO COMMENT';
};

beforeAll(async () => {
  moto = await MotoServer.start();
  await moto.createBucket('adapters');
  objects = new ObjectStore({
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
        // The numbers a trainer writes: the golden promoted manifest's (contracts/manifest/),
        // whose calibrated min_confidence is 0.3.
        metrics: promotedGolden.current?.metrics,
        baselines: promotedGolden.current?.baselines,
        acceptance: {
          counts: { approved: 12, 'turned-down': 3, addressed: 5, ignored: 20 },
          checkedAt: '2026-03-20T06:00:00.000Z',
        },
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
  return runReviewStep(gh, {
    repository: REPO,
    token: TOKEN,
    inputs: {
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

function statusOf(pr: number, reviewer = 'alice'): string {
  return (
    gh
      .issueComments(REPO, pr)
      .find((c) => c.body?.includes(`tech-lead-bot:status reviewer=${reviewer}`))?.body ?? ''
  );
}

async function aliceManifest(): Promise<Manifest> {
  return JSON.parse(
    (await objects.get('acme/widgets/alice/manifest.json'))?.body ?? '{}',
  ) as Manifest;
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
    expect(comments.map((c) => [c.path, c.line, c.side]).sort()).toEqual([
      ['src/a.ts', 11, 'RIGHT'],
      ['src/b.ts', 41, 'RIGHT'],
      ['src/c.ts', 71, 'RIGHT'],
    ]);
    for (const c of comments) {
      expect(withoutMarker(c.body)).toBe('Why this value\\? ping `@octocat` \\<img src\\=x\\>');
      expect(parseMarker(c.body)).toEqual({ reviewer: 'alice', adapterId: '00000000000000aa' });
    }
    expect(new Set(model.requests.map((r) => r.model))).toEqual(new Set([ADAPTER]));
    expect(reviews[0]?.body).toContain(
      'Adapter `00000000000000aa`, trained 2026-03-01 on 120 review comments.' +
        ' Held-out review score (comment decision MCC): adapter 0.245 (0.50)' +
        ' · base model + examples 0.073 (0.26) · always comment 0.000 (0.00) · never comment 0.000 (0.00).',
    );
    expect(
      gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reviews')),
    ).toHaveLength(1);
    expect(reviews[0]?.body).toContain(
      "Feedback on this adapter's earlier comments (as of 2026-03-20): 12 approved · 3 turned down · 5 addressed · 20 ignored.",
    );
    expect(run.outputs['review-url']).toBe(reviews[0]?.html_url);
    expect(statusOf(run.pr)).toContain(
      `[Review posted](${reviews[0]?.html_url}): 3 comments on 3 hunks`,
    );
    // Where feedback collection will look: this review, newest first in the manifest.
    const recorded = (await aliceManifest()).reviews ?? [];
    expect(recorded[0]).toEqual({
      pullNumber: run.pr,
      adapterId: '00000000000000aa',
      reviewId: reviews[0]?.id,
      url: reviews[0]?.html_url,
      postedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      comments: 3,
    });
    expect(gh.reactions(REPO, run.trigger).map((r) => r.content)).toEqual(['rocket']);
  });

  it('keeps the review short: max-comments, the surest first', async () => {
    const files = Array.from({ length: 6 }, (_, i) => file(`src/f${i}.ts`, 10 + i * 20));
    model.respondWith((request, index) => ({
      text: `${firstAddedLabel(request)}: comment ${index}`,
      confidence: [0.6, 0.95, 0.7, 0.9, 0.5, 0.8][index] ?? 0.5,
    }));
    const run = await reviewPull(files, { 'max-comments': '2', concurrency: '1' });
    expect(gh.reviewComments(REPO, run.pr).map((c) => withoutMarker(c.body))).toEqual([
      'comment 1',
      'comment 3',
    ]);
    expect(gh.reviews(REPO, run.pr)[0]?.body).toContain(
      '4 more comments were left out by max-comments (2).',
    );
  });

  // The fixture adapter's calibrated min_confidence is 0.3; the default without one is 0.5.
  it.each<[string, Record<string, string>, string, string[]]>([
    ['min-confidence', { 'min-confidence': '0.6' }, 'the min-confidence input', ['0.75', '0.93']],
    [
      "the adapter's calibrated threshold without min-confidence",
      {},
      'calibrated for adapter `00000000000000aa`',
      ['0.41', '0.58', '0.75', '0.93'],
    ],
  ])('posts only comments at least as sure as %s', async (_, inputs, source, posted) => {
    const confidences = [0.93, 0.41, 0.75, 0.25, 0.58];
    model.respondWith((request, index) => ({
      text: `${firstAddedLabel(request)}: sure ${confidences[index]}`,
      confidence: confidences[index] ?? 0,
    }));
    const files = confidences.map((_, i) => file(`src/g${i}.ts`, 10 + i * 20));
    const run = await reviewPull(files, { ...inputs, concurrency: '1' });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain(
      `Comments need a confidence of at least ${inputs['min-confidence'] ?? '0.3'}: ${source}.`,
    );
    expect(
      gh
        .reviewComments(REPO, run.pr)
        .map((c) => withoutMarker(c.body))
        .sort(),
    ).toEqual(posted.map((c) => `sure ${c.replace('.', '\\.')}`));
  });

  it('ranks by the probability of a comment, not by how fluent the answer is', async () => {
    // Fluent but leaning to NO COMMENT (0.75), vs sure of a comment (0.95) but hesitant in its words.
    const answers = [
      { comment: 0.2, noComment: 0.75, wordLogprob: -0.01 },
      { comment: 0.95, noComment: 0.05, wordLogprob: -1.5 },
    ];
    model.respondWith((request, index) => {
      const label = firstAddedLabel(request) ?? '';
      const answer = answers[index] ?? { comment: 0, noComment: 1, wordLogprob: 0 };
      const words = [label.slice('line'.length), ': ', 'this ', 'name ', 'is ', 'fine'];
      const tokens: TokenLogprob[] = [
        {
          token: 'line',
          logprob: Math.log(answer.comment),
          top_logprobs: [{ token: 'NO', logprob: Math.log(answer.noComment) }],
        },
        ...words.map((token) => ({ token, logprob: answer.wordLogprob, top_logprobs: [] })),
      ];
      return { text: `${label}: this name is fine`, tokens };
    });
    const run = await reviewPull([file('src/fluent.ts', 10), file('src/sure.ts', 40)], {
      concurrency: '1',
      'min-confidence': '0.5',
    });
    expect(run.exitCode).toBe(0);
    expect(gh.reviewComments(REPO, run.pr).map((c) => c.path)).toEqual(['src/sure.ts']);
  });

  it('posts no comment on a line with max-comments 0, and says so', async () => {
    const run = await reviewPull([file('src/z.ts', 10), file('src/y.ts', 40)], {
      'max-comments': '0',
    });
    expect(run.exitCode).toBe(0);
    expect(gh.reviewComments(REPO, run.pr)).toHaveLength(0);
    expect(gh.reviews(REPO, run.pr)[0]?.body).toContain(
      'max-comments is 0, so no comment is posted on a line (2 would have been).',
    );
    expect(statusOf(run.pr)).toContain('0 comments on 2 hunks (max-comments is 0)');
    // A review without inline comments gets no feedback: nothing to record.
    const recorded = (await aliceManifest()).reviews ?? [];
    expect(recorded.map((r) => r.pullNumber)).not.toContain(run.pr);
  });

  it('redacts secrets in the prompts it sends and the comments it posts, as training does', async () => {
    // Assembled at run time so that secret scanners do not flag this file.
    const token = ['ghp', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('_');
    model.respondWith((request) => `${firstAddedLabel(request)}: rotate ${token} now`);
    const run = await reviewPull([
      {
        filename: 'src/s.ts',
        status: 'modified',
        patch: `@@ -1,1 +1,2 @@\n const a = 1;\n+const token = '${token}';`,
      },
    ]);

    expect(run.exitCode).toBe(0);
    expect(model.requests.at(-1)?.messages.at(-1)?.content).toContain(
      "line 2: +const token = '[REDACTED:github]';",
    );
    expect(JSON.stringify(model.requests)).not.toContain(token);
    expect(gh.reviewComments(REPO, run.pr).map((c) => withoutMarker(c.body))).toEqual([
      'rotate \\[REDACTED\\:github\\] now',
    ]);
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
      '::error::The model server did not answer for any hunk: Could not reach the model server at http://127.0.0.1:9/v1',
    );
    expect(statusOf(run.pr)).toContain(
      '❌ The model server did not answer for any hunk: Could not reach the model server at http://127.0.0.1:9/v1',
    );
    expect(statusOf(run.pr)).not.toContain('model-api-key');
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

  it('reviews the 3,000 files GitHub lists of a larger pull request, and says so', async () => {
    const files = Array.from({ length: 3010 }, (_, i) => file(`src/m${i}.ts`, 1));
    const run = await reviewPull(files, { 'max-comments': '5' });

    expect(run.exitCode).toBe(0);
    expect(model.requests).toHaveLength(3000);
    expect(statusOf(run.pr)).toContain(
      'This pull request changes 3010 files, but GitHub lists only the first 3,000: the other 10 are not reviewed.',
    );
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
    expect(gh.reviewComments(REPO, pr).map((c) => parseMarker(c.body))).toEqual([
      { reviewer: 'bob', adapterId: 'base' },
    ]);
  });
});

describe('the status comment', () => {
  it('keeps what prepare and the train job wrote, and adds the review under it', async () => {
    const pr = gh.addPullRequest(REPO, { user: 'carol', files: [file('src/a.ts', 10)] }).number;
    const trained = readFileSync(`${repoRoot}/contracts/status-comment/trained.md`, 'utf8');
    const status = gh.addIssueComment(REPO, pr, { user: 'github-actions[bot]', body: trained });

    const run = await reviewStep(pr, { 'status-comment-id': String(status.id) });

    expect(run.exitCode).toBe(0);
    const before = trained.trimEnd().split('\n');
    const after = statusOf(pr).split('\n');
    const posted = `- ✅ [Review posted](${gh.reviews(REPO, pr)[0]?.html_url}): 1 comments on 1 hunks.`;
    // The marker, the heading and five lines of what happened; the plan ("Next: review") is
    // replaced by what the review did; the metrics table stays.
    expect(after.slice(0, 8)).toEqual(before.slice(0, 8));
    expect(after[8]).toBe(posted);
    expect(after.slice(9, -1)).toEqual(before.slice(9, -1));
    expect(after.at(-1)).toBe(`<sub>[Workflow run](${RUN_URL})</sub>`);
  });
});

describe('an adapter the model server refuses', () => {
  const refused = 'tlb/acme/widgets/dave/00000000000000dd';

  beforeAll(async () => {
    gh.addUser('dave');
    await objects.put(
      'acme/widgets/dave/manifest.json',
      JSON.stringify({
        schemaVersion: 1,
        owner: 'acme',
        repo: 'widgets',
        reviewer: 'dave',
        previous: [],
        updatedAt: '2026-03-01T00:00:00Z',
        current: {
          id: '00000000000000dd',
          name: refused,
          baseModel: 'meta-llama/Llama-3.1-8B-Instruct',
          datasetDigest: 'd',
          createdAt: '2026-03-01T00:00:00Z',
          comments: 40,
        },
      }),
    );
    await objects.put(
      'acme/widgets/dave/adapters/00000000000000dd/adapter_config.json',
      JSON.stringify({ base_model_name_or_path: 'meta-llama/Llama-3.1-8B-Instruct', r: 64 }),
    );
  });

  it('is explained, and the base model reviews instead', async () => {
    // What vLLM answers when no resolver can serve the name (our resolver rejected its rank).
    model.respondWith((request, index) =>
      request.model === refused
        ? { status: 404, message: `LoRA adapter ${refused} does not exist` }
        : commentOnFirstAdded(request, index),
    );
    const run = await reviewPull([file('src/a.ts', 1)], { reviewer: 'dave' });

    expect(run.exitCode).toBe(0);
    expect(model.requests.map((r) => r.model)).toEqual([
      refused,
      'meta-llama/Llama-3.1-8B-Instruct',
    ]);
    expect(gh.reviewComments(REPO, run.pr)).toHaveLength(1);
    const problem = `The model server refused the model \`${refused}\` (404: LoRA adapter ${refused} does not exist). The adapter \`00000000000000dd\`: it was trained on meta-llama/Llama-3.1-8B-Instruct, so the server must serve that model; its LoRA rank is 64, so the server's --max-lora-rank must be 64 or more.`;
    expect(statusOf(run.pr, 'dave')).toContain(`- ❌ ${problem}`);
    expect(statusOf(run.pr, 'dave')).toMatch(/- ✅ \[Review posted\]/);
    expect(statusOf(run.pr, 'dave')).toContain(
      'names the check that failed. This review uses the base model instead.',
    );
    expect(gh.reviews(REPO, run.pr)[0]?.body).toContain(
      `${problem} The server's log (lines from tlb_lora_resolver) names the check that failed. This review uses the base model with 0 of \`dave\`'s past comments`,
    );
    expect(run.log).toContain('::warning title=Adapter refused by the model server::');
    expect(run.log).not.toContain('model-api-key');
  });

  it('says so when its files are gone from S3', async () => {
    await objects.delete('acme/widgets/dave/adapters/00000000000000dd/adapter_config.json');
    model.respondWith((request, index) =>
      request.model === refused
        ? { status: 400, message: `LoRA adapter '${refused}' was found but could not be loaded.` }
        : commentOnFirstAdded(request, index),
    );
    const run = await reviewPull([file('src/a.ts', 1)], { reviewer: 'dave' });

    expect(run.exitCode).toBe(0);
    expect(statusOf(run.pr, 'dave')).toContain(
      'its files are missing from s3://adapters/tlb/acme/widgets/dave/adapters/00000000000000dd/',
    );
    expect(gh.reviewComments(REPO, run.pr)).toHaveLength(1);
  });

  it('names the base-model input when the server does not serve the base model either', async () => {
    model.respondWith((request) => ({
      status: 404,
      message: `The model \`${request.model}\` does not exist.`,
    }));
    const pr = gh.addPullRequest(REPO, { user: 'carol', files: [file('src/a.ts', 1)] }).number;
    const run = await reviewStep(pr, { reviewer: 'octocat' });

    expect(run.exitCode).toBe(1);
    expect(statusOf(pr, 'octocat')).toContain(
      '(404: The model `meta-llama/Llama-3.1-8B-Instruct` does not exist.). The base-model input must name the model the server serves',
    );
  });

  it('is told apart from a wrong model-api-key', async () => {
    model.respondWith(() => ({ status: 401, message: 'Unauthorized' }));
    const run = await reviewPull([file('src/a.ts', 1)], { reviewer: 'dave' });

    expect(run.exitCode).toBe(1);
    expect(statusOf(run.pr, 'dave')).toContain(
      `refused the model-api-key (401: Unauthorized). Set model-api-key to the server's --api-key.`,
    );
    expect(model.requests).toHaveLength(1);
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
  it('releases the training lock this workflow run holds, and no other', async () => {
    // The train job never released it: its Python environment could not be built.
    const key = 'acme/widgets/alice/training.lock';
    const ours = { runUrl: RUN_URL, acquiredAt: new Date().toISOString() };
    await objects.put(key, JSON.stringify(ours));
    const first = await reviewPull([file('src/a.ts', 1)], { 'training-result': 'failure' });
    expect(first.exitCode).toBe(0);
    expect(await objects.get(key)).toBeUndefined();

    const another = {
      runUrl: 'https://github.com/acme/widgets/actions/runs/1',
      acquiredAt: ours.acquiredAt,
    };
    await objects.put(key, JSON.stringify(another));
    const second = await reviewPull([file('src/a.ts', 1)], { 'training-result': 'failure' });
    expect(second.exitCode).toBe(0);
    expect(JSON.parse((await objects.get(key))?.body ?? '{}')).toEqual(another);
    await objects.delete(key);
  });

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
  it('re-places comments on the new head only where their line still reads the same', async () => {
    const changed = (name: string, start: number): FileSeed => ({
      ...file(name, start),
      patch: file(name, start).patch?.replace('+  const b = 3;', '+  const b = 30;'),
    });
    const pr = gh.addPullRequest(REPO, {
      user: 'carol',
      files: [file('src/a.ts', 10), file('src/b.ts', 40), file('src/c.ts', 70)],
    }).number;
    // The branch moves while the model thinks: a.ts is as it was, b.ts's hunk moved down, and
    // c.ts's commented line now says something else at the same line number.
    model.requests.length = 0;
    model.respondWith((request, index) => {
      if (index === 0) {
        gh.pushToPullRequest(REPO, pr, {
          head_sha: 'f'.repeat(40),
          files: [file('src/a.ts', 10), file('src/b.ts', 400), changed('src/c.ts', 70)],
        });
      }
      return commentOnFirstAdded(request, index);
    });
    const run = await reviewStep(pr, { concurrency: '1' });

    expect(run.exitCode).toBe(0);
    const posts = gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reviews'));
    expect(posts.map((r) => r.status)).toEqual([422, 200]);
    expect(
      gh
        .reviewComments(REPO, pr)
        .map((c) => [c.path, c.line, c.commit_id])
        .sort(),
    ).toEqual([
      ['src/a.ts', 11, 'f'.repeat(40)],
      ['src/b.ts', 401, 'f'.repeat(40)],
    ]);
    const body = gh.reviews(REPO, pr)[0]?.body ?? '';
    expect(body).toContain('Comments GitHub would not place on a line of the current diff:');
    expect(body).toContain('- `src/c.ts` line 71: Why this value');
    // A comment in the review body has no thread to collect feedback from: no marker.
    expect(body).not.toContain('<!-- tech-lead-bot reviewer=');
    expect(body).toMatch(
      /The branch moved from \w{7} to fffffff during the review: the comments on lines are on fffffff, where their lines still read the same; the ones below are on \w{7}\./,
    );
  });
});
