import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { GitHubEmulator } from '../emulator/index.js';
import { issueCommentEvent } from '../harness/events.js';
import { MOTO_ENV, MotoServer } from '../harness/moto.js';
import { runAction, type RunActionResult } from '../harness/run-action.js';
import { markComment } from '../../src/feedback/marker.js';
import { sanitizeComment } from '../../src/review/sanitize.js';
import { ObjectStore } from '../../src/store/object-store.js';
import type { Manifest } from '../../src/store/reviewer-store.js';

/**
 * The prepare step after the command is accepted: adapter lookup in S3 (moto's server),
 * history collection from the GitHub emulator, the dataset, the lock and the outputs.
 */
const REPO = 'acme/widgets';
const TOKEN = 'ghs_prepare000000000000000000000000000';
const BASE = 'meta-llama/Llama-3.1-8B-Instruct';

let gh: GitHubEmulator;
let moto: MotoServer;
let objects: ObjectStore;
let openPr: number;

function patchFor(n: number): string {
  return [
    `@@ -1,3 +1,5 @@ export function f${n}() {`,
    ' const a = load();',
    `+const b${n} = transform(a);`,
    `+const key = "sk_live_${'Z'.repeat(24)}";`,
    ' return a;',
    ' }',
    '@@ -30,2 +32,3 @@',
    '   done();',
    `+  audit(${n});`,
    ' }',
    // Left alone, and as long as the commented hunk: the negatives of its two comments (a
    // negative of another length would let a model decide by length, so there must be these).
    ...[50, 70].flatMap((at) => [
      `@@ -${at},4 +${at + 2},5 @@`,
      ' const rows = read();',
      `+const count${n}x${at} = rows.length;`,
      ' if (rows) {',
      '   show(rows);',
      ' }',
    ]),
  ].join('\n');
}

/** `count` pull requests by carol, each with one review by `reviewer` carrying two comments. */
function seedHistory(reviewer: string, count: number, firstDay = 1): void {
  for (let i = 0; i < count; i++) {
    const day = String(firstDay + i).padStart(2, '0');
    const pr = gh.addPullRequest(REPO, {
      user: 'carol',
      title: `Change ${reviewer} ${i}`,
      created_at: `2026-03-${day}T08:00:00Z`,
      files: [{ filename: `src/f${i}.ts`, status: 'modified', patch: patchFor(i) }],
    });
    const review = gh.addReview(REPO, pr.number, {
      user: reviewer,
      state: 'COMMENTED',
      submitted_at: `2026-03-${day}T10:00:00Z`,
    });
    for (const [line, body] of [
      [2, `Why transform here, ${reviewer}? (${i})`],
      [3, 'Never commit keys.'],
    ] as const) {
      gh.addReviewComment(REPO, pr.number, {
        user: reviewer,
        body,
        path: `src/f${i}.ts`,
        diff_hunk: patchFor(i)
          .split('\n')
          .slice(0, line + 2)
          .join('\n'),
        line,
        side: 'RIGHT',
        review_id: review.id,
        created_at: `2026-03-${day}T10:00:00Z`,
      });
    }
  }
}

beforeAll(async () => {
  Object.assign(process.env, MOTO_ENV);
  moto = await MotoServer.start();
  await moto.createBucket('adapters');
  objects = new ObjectStore({
    bucket: 'adapters',
    prefix: 'tlb',
    endpoint: moto.endpoint,
    sse: 'AES256',
  });
  gh = await GitHubEmulator.start();
  gh.addRepo(REPO);
  for (const login of ['alice', 'bob', 'dana', 'erin', 'frank', 'gina', 'hank', 'ivy', 'judy']) {
    gh.addUser(login);
    gh.setPermission(REPO, login, 'write');
  }
  gh.addUser('carol');
  gh.addToken(TOKEN, { issues: 'write', 'pull-requests': 'write', contents: 'read' });
  seedHistory('alice', 10);
  seedHistory('dana', 3, 12);
  seedHistory('erin', 10, 15);
  openPr = gh.addPullRequest(REPO, {
    user: 'carol',
    title: 'Open change',
    files: [
      {
        filename: 'src/open.ts',
        status: 'added',
        patch: '@@ -0,0 +1,2 @@\n+export const x = 1;\n+export const y = 2;',
      },
    ],
  }).number;
});

afterAll(async () => {
  await gh.stop();
  await moto.stop();
});

afterEach(() => {
  expect(gh.schemaViolations).toEqual([]);
});

async function command(
  body: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<RunActionResult & { commentId: number; status: string }> {
  const comment = gh.addIssueComment(REPO, openPr, { user: 'bob', body });
  gh.resetLog();
  const run = await runAction({
    eventName: 'issue_comment',
    payload: issueCommentEvent({
      repository: REPO,
      issueNumber: openPr,
      isPullRequest: true,
      comment: { id: comment.id, body, user: { login: 'bob' } },
    }),
    repository: REPO,
    apiUrl: gh.url,
    graphqlUrl: gh.graphqlUrl,
    token: TOKEN,
    inputs: {
      's3-uri': 's3://adapters/tlb',
      's3-endpoint': moto.endpoint,
      'min-history-comments': '5',
      ...inputs,
    },
    env: { ...MOTO_ENV, ...env },
  });
  const reviewer = /@tech-lead-bot (\S+)/.exec(body)?.[1] ?? '';
  const status =
    gh
      .issueComments(REPO, openPr)
      .find((c) => c.body?.startsWith(`<!-- tech-lead-bot:status reviewer=${reviewer} -->`))
      ?.body ?? '';
  return { ...run, commentId: comment.id, status };
}

async function manifestOf(reviewer: string): Promise<Manifest | undefined> {
  const stored = await objects.get(`acme/widgets/${reviewer}/manifest.json`);
  return stored ? (JSON.parse(stored.body) as Manifest) : undefined;
}

async function writeManifest(reviewer: string, manifest: Partial<Manifest>): Promise<void> {
  await objects.put(
    `acme/widgets/${reviewer}/manifest.json`,
    JSON.stringify({
      schemaVersion: 1,
      owner: 'acme',
      repo: 'widgets',
      reviewer,
      previous: [],
      updatedAt: '',
      ...manifest,
    }),
  );
}

function adapter(reviewer: string, overrides: Record<string, unknown> = {}) {
  return {
    id: '00000000000000aa',
    name: `tlb/acme/widgets/${reviewer}/00000000000000aa`,
    baseModel: BASE,
    datasetDigest: 'd0',
    createdAt: '2026-03-01T00:00:00Z',
    comments: 20,
    ...overrides,
  };
}

describe('a reviewer without an adapter', () => {
  it('gets a clean dataset in S3, the training lock and the outputs of the train job', async () => {
    const run = await command('@tech-lead-bot alice');

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      next: 'train',
      'needs-training': 'true',
      reviewer: 'alice',
    });
    const uri = run.outputs['dataset-uri'] ?? '';
    expect(uri).toMatch(/^s3:\/\/adapters\/tlb\/acme\/widgets\/alice\/datasets\/[0-9a-f]{16}\/$/);
    expect(run.outputs['adapter-name']).toMatch(/^tlb\/acme\/widgets\/alice\/[0-9a-f]{16}$/);

    const folder = uri.replace('s3://adapters/tlb/', '');
    const train = (await objects.get(`${folder}train.jsonl`))?.body ?? '';
    const evalSet = (await objects.get(`${folder}eval.jsonl`))?.body ?? '';
    const examples = [...train.split('\n'), ...evalSet.split('\n')].filter(Boolean).map(
      (l) =>
        JSON.parse(l) as {
          messages: { role: string; content: string }[];
          meta: { kind: string };
        },
    );
    expect(examples.filter((e) => e.meta.kind === 'positive')).toHaveLength(20);
    expect(examples.filter((e) => e.meta.kind === 'negative').length).toBeGreaterThan(0);
    expect(evalSet).not.toBe('');
    // Secrets in hunks were redacted before anything was stored.
    expect(train + evalSet).not.toContain('sk_live_');
    const meta = JSON.parse((await objects.get(`${folder}meta.json`))?.body ?? '{}') as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({
      reviewer: 'alice',
      baseModel: BASE,
      adapterName: run.outputs['adapter-name'],
    });

    expect((await manifestOf('alice'))?.pending).toMatchObject({
      datasetUri: uri,
      adapterName: run.outputs['adapter-name'],
    });
    expect(await objects.get('acme/widgets/alice/training.lock')).toBeDefined();
    expect(run.status).toContain('Found 20 review comments by `alice` on 10 pull requests');
    expect(run.status).toMatch(/Built \d+ training and \d+ evaluation examples/);
    expect(run.status).toMatch(/redacted [1-9]\d* secrets/);
    expect(run.status).toContain('Next: train `alice`');
    expect(gh.reactions(REPO, run.commentId).map((r) => r.content)).toEqual(['eyes']);
  });

  it('says so when another run is training the same reviewer', async () => {
    await objects.put(
      'acme/widgets/erin/training.lock',
      JSON.stringify({
        runUrl: 'https://github.com/acme/widgets/actions/runs/99',
        acquiredAt: new Date().toISOString(),
      }),
    );
    const run = await command('@tech-lead-bot erin');

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ next: 'stop', 'needs-training': 'false' });
    expect(run.status).toContain(
      'already being trained by [another run](https://github.com/acme/widgets/actions/runs/99)',
    );
  });

  it('stops with the number found when the history is too short', async () => {
    const run = await command('@tech-lead-bot dana', { 'min-history-comments': '10' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ next: 'stop', 'needs-training': 'false' });
    expect(run.status).toContain(
      '❌ Only 6 usable review comments by `dana` in this repository (of 6 found; at least 10',
    );
    expect(run.log).toContain('::warning title=Not enough review history::Only 6 usable');
    expect(gh.reactions(REPO, run.commentId).map((r) => r.content)).toEqual(['eyes', 'confused']);
    // The lock is given back for the next attempt.
    expect(await objects.get('acme/widgets/dana/training.lock')).toBeUndefined();
  }, 60_000);
});

describe('a reviewer with an adapter', () => {
  beforeAll(async () => {
    await writeManifest('frank', { current: adapter('frank') });
    seedHistory('frank', 3, 20);
  });

  it('reuses it and reports how many comments came since', async () => {
    const run = await command('@tech-lead-bot frank', { 'stale-after-comments': '100' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      next: 'review',
      'needs-training': 'false',
      'adapter-name': 'tlb/acme/widgets/frank/00000000000000aa',
    });
    expect(run.outputs['dataset-uri']).toBeUndefined();
    expect(run.status).toContain("Using `frank`'s adapter `00000000000000aa`");
    expect(run.status).not.toContain('--force-reload');
  });

  it('suggests --force-reload when many comments came since', async () => {
    const run = await command('@tech-lead-bot frank', { 'stale-after-comments': '3' });

    expect(run.outputs.next).toBe('review');
    expect(run.status).toContain(
      '6 new review comments by `frank` since then: comment `@tech-lead-bot frank --force-reload`',
    );
  });

  it('costs no rate limit to check again when nothing is new', async () => {
    await command('@tech-lead-bot frank');
    const run = await command('@tech-lead-bot frank');
    const refresh = gh.requests.filter((r) => r.path === `/repos/${REPO}/pulls/comments`);
    expect(refresh.length).toBeGreaterThan(0);
    expect(refresh.every((r) => r.status === 304 && !r.spentRateLimit)).toBe(true);
    expect(run.outputs.next).toBe('review');
  });

  it('trains a new one on --force-reload', async () => {
    const run = await command('@tech-lead-bot frank --force-reload', {
      'min-history-comments': '2',
    });
    expect(run.outputs).toMatchObject({ next: 'train', 'force-reload': 'true' });
    expect((await manifestOf('frank'))?.current?.id).toBe('00000000000000aa');
    await objects.delete('acme/widgets/frank/training.lock');
  });

  it.each([
    ['30', false],
    ['20', true],
  ])(
    'shows how its comments were received, with stale-after-feedback %s suggesting --force-reload: %p',
    async (threshold, suggests) => {
      const counts = { approved: 12, 'turned-down': 3, addressed: 5, ignored: 20 };
      await writeManifest('ivy', {
        current: adapter('ivy', { acceptance: { counts, checkedAt: '2026-03-20T06:00:00.000Z' } }),
      });
      const run = await command('@tech-lead-bot ivy', { 'stale-after-feedback': threshold });

      expect(run.outputs.next).toBe('review');
      expect(run.status).toContain(
        "ℹ️ Feedback on this adapter's earlier comments (as of 2026-03-20): 12 approved · 3 turned down · 5 addressed · 20 ignored.",
      );
      expect(
        run.status.includes(
          '20 of its comments were approved, turned down or addressed: comment `@tech-lead-bot ivy --force-reload`',
        ),
      ).toBe(suggests);
    },
  );

  it("collects the feedback on the bot's comments: acceptance now, feedback examples on --force-reload", async () => {
    seedHistory('judy', 3, 27);
    // The bot reviewed a pull request in judy's voice; judy turned one comment down and approved
    // the other, and carol's 👎 on the approved one does not count (she is not judy).
    const reviewedHead = 'a'.repeat(40);
    const reviewed = gh.addPullRequest(REPO, {
      user: 'carol',
      head_sha: reviewedHead,
      files: [{ filename: 'src/reviewed.ts', status: 'modified', patch: patchFor(9) }],
    }).number;
    // A comment nobody answered says nothing, so its pull request's diff is never fetched.
    const ignoredHead = 'b'.repeat(40);
    const ignoredPr = gh.addPullRequest(REPO, {
      user: 'carol',
      head_sha: ignoredHead,
      files: [{ filename: 'src/ignored.ts', status: 'modified', patch: patchFor(8) }],
    }).number;
    // One comment on each of the first two hunks (a hunk makes one example).
    const botComment = (
      line: number,
      rows: [number, number],
      text: string,
      pr = reviewed,
    ): number =>
      gh.addReviewComment(REPO, pr, {
        user: 'github-actions[bot]',
        body: markComment(
          sanitizeComment(text, (t) => t),
          {
            reviewer: 'judy',
            adapterId: '00000000000000aa',
          },
        ),
        path: pr === reviewed ? 'src/reviewed.ts' : 'src/ignored.ts',
        line,
        diff_hunk: patchFor(pr === reviewed ? 9 : 8)
          .split('\n')
          .slice(...rows)
          .join('\n'),
      }).id;
    gh.addReviewCommentReaction(REPO, botComment(2, [0, 4], 'Name the transform.'), 'judy', '-1');
    const approved = botComment(33, [7, 10], 'Is this audit needed?');
    gh.addReviewCommentReaction(REPO, approved, 'judy', '+1');
    gh.addReviewCommentReaction(REPO, approved, 'carol', '-1');
    botComment(2, [0, 4], 'Why transform here?', ignoredPr);
    const review = {
      pullNumber: reviewed,
      adapterId: '00000000000000aa',
      reviewId: 1,
      url: '',
      postedAt: '2026-03-26T00:00:00Z',
      comments: 2,
    };
    const ignoredReview = { ...review, pullNumber: ignoredPr, reviewId: 2, comments: 1 };
    await writeManifest('judy', { current: adapter('judy'), reviews: [review, ignoredReview] });

    const reused = await command('@tech-lead-bot judy');
    expect(reused.outputs.next).toBe('review');
    expect(reused.status).toContain("Feedback on this adapter's earlier comments (as of ");
    expect(reused.status).toContain('1 approved · 1 turned down · 0 addressed · 1 ignored.');
    expect((await manifestOf('judy'))?.current?.acceptance?.counts).toEqual({
      approved: 1,
      'turned-down': 1,
      addressed: 0,
      ignored: 1,
    });

    gh.resetLog();
    const retrained = await command('@tech-lead-bot judy --force-reload', {
      'min-history-comments': '2',
    });
    expect(retrained.outputs.next).toBe('train');
    const folder = (retrained.outputs['dataset-uri'] ?? '').replace('s3://adapters/tlb/', '');
    const train = ((await objects.get(`${folder}train.jsonl`))?.body ?? '')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { meta: { kind: string; pr: number } });
    const fromFeedback = train.filter((e) => e.meta.kind.startsWith('feedback-'));
    expect(fromFeedback.map((e) => [e.meta.kind, e.meta.pr]).sort()).toEqual([
      ['feedback-negative', reviewed],
      ['feedback-positive', reviewed],
    ]);
    // The diff of the pull request with feedback came from GitHub; the ignored one's did not.
    const compared = gh.requests.filter((r) => r.path.includes('/compare/')).map((r) => r.path);
    expect(compared.filter((path) => path.endsWith(`...${reviewedHead}`))).toHaveLength(1);
    expect(compared.filter((path) => path.includes(ignoredHead))).toEqual([]);
    await objects.delete('acme/widgets/judy/training.lock');
  });

  it('trains a new one when the base model changed', async () => {
    await writeManifest('gina', {
      current: adapter('gina', { baseModel: 'meta-llama/Llama-3.2-3B-Instruct' }),
    });
    seedHistory('gina', 3, 24);
    const run = await command('@tech-lead-bot gina', { 'min-history-comments': '2' });
    expect(run.outputs.next).toBe('train');
  });
});

describe('S3 failures', () => {
  it('names a missing bucket on the status comment', async () => {
    const run = await command('@tech-lead-bot hank', { 's3-uri': 's3://no-such-bucket/tlb' });

    expect(run.exitCode).toBe(1);
    expect(run.log).toContain("::error::The bucket 'no-such-bucket' does not exist");
    expect(run.status).toContain("❌ The bucket 'no-such-bucket' does not exist");
  });

  it('says when S3 cannot be reached', async () => {
    const run = await command('@tech-lead-bot hank', { 's3-endpoint': 'http://127.0.0.1:9' });

    expect(run.exitCode).toBe(1);
    expect(run.status).toContain('❌ Could not reach S3 at http://127.0.0.1:9');
  });

  it('names the IAM action the role lacks', async () => {
    const restricted = await MotoServer.start();
    try {
      await restricted.createBucket('locked');
      const keys = await restricted.restrictTo('locked', ['s3:GetObject', 's3:ListBucket']);
      const run = await command(
        '@tech-lead-bot hank',
        { 's3-uri': 's3://locked/tlb', 's3-endpoint': restricted.endpoint },
        keys,
      );

      expect(run.exitCode).toBe(1);
      expect(run.status).toContain(
        '❌ S3 denied s3:PutObject on s3://locked/tlb/acme/widgets/hank/training.lock. Allow s3:PutObject on arn:aws:s3:::locked/tlb/* in the IAM policy',
      );
    } finally {
      await restricted.stop();
    }
  });

  it('asks for the s3-uri input when it is missing', async () => {
    const run = await command('@tech-lead-bot hank', { 's3-uri': '' });

    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('::error::The s3-uri input is missing');
  });
});
