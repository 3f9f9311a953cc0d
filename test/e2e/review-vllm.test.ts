import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubEmulator } from '../emulator/index.js';
import { MOTO_ENV, MotoServer } from '../harness/moto.js';
import { type RunActionResult, runReviewStep } from '../harness/run-action.js';
import { TINY_MODEL_ID, tinyModelCache, trainerPython, venvPython } from '../harness/trainer.js';
import { TinyVllm } from '../harness/vllm.js';
import { parsePatch, findRow } from '../../src/diff/hunks.js';
import {
  commentProbability,
  TOP_LOGPROBS,
  type TokenLogprob,
} from '../../src/review/confidence.js';

/**
 * End to end with the real parts: the built action started as the runner starts it, the
 * GitHub emulator, moto's S3 server holding the reviewer's adapter, and vLLM's CPU build
 * serving the tiny LLaMA with our resolver plugin, which fetches the adapter from S3 when the
 * review names it. Slow: the first run builds the serving environment (~2 min).
 */
const REPO = 'acme/widgets';
const TOKEN = 'ghs_e2e0000000000000000000000000000000';
const ADAPTER_ID = '0123456789abcdef';
const ADAPTER_NAME = `tlb/acme/widgets/alice/${ADAPTER_ID}`;
const PATCH = [
  '@@ -10,6 +10,9 @@ export function handle(input: Input) {',
  '   const config = loadConfig();',
  '-  const items = [];',
  '+  const items = new Array(3).fill(0);',
  '+  const timeout = 1003;',
  '   if (!config.enabled) {',
  '     return undefined;',
  '   }',
  '+  logger.info("processing", input.id);',
  '   return process(input, config);',
].join('\n');

let gh: GitHubEmulator;
let moto: MotoServer;
let vllm: TinyVllm;
let run: RunActionResult;
let pr: number;
const work = mkdtempSync(join(tmpdir(), 'tlb-e2e-'));

beforeAll(async () => {
  moto = await MotoServer.start();
  await moto.createBucket('adapters');
  const model = tinyModelCache(trainerPython(), join(work, 'models'));

  // The reviewer's adapter, as the train job leaves it: PEFT files in S3 and the manifest.
  const adapterDir = join(work, 'adapter');
  execFileSync(venvPython('training-runner/serving/scripts/ensure-venv.sh'), [
    '-m',
    'tlb_lora_resolver.testing.tiny_adapter',
    model.modelDir,
    adapterDir,
  ]);
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  for (const name of readdirSync(adapterDir)) {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'adapters',
        Key: `tlb/acme/widgets/alice/adapters/${ADAPTER_ID}/${name}`,
        Body: readFileSync(join(adapterDir, name)),
      }),
    );
  }
  const manifest = {
    schemaVersion: 1,
    owner: 'acme',
    repo: 'widgets',
    reviewer: 'alice',
    previous: [],
    updatedAt: '2026-03-01T00:00:00Z',
    current: {
      id: ADAPTER_ID,
      name: ADAPTER_NAME,
      baseModel: TINY_MODEL_ID,
      datasetDigest: 'd',
      createdAt: '2026-03-01T00:00:00Z',
      comments: 40,
    },
  };
  await s3.send(
    new PutObjectCommand({
      Bucket: 'adapters',
      Key: 'tlb/acme/widgets/alice/manifest.json',
      Body: JSON.stringify(manifest),
    }),
  );

  vllm = await TinyVllm.start({
    modelDir: model.modelDir,
    s3Uri: 's3://adapters/tlb',
    s3Endpoint: moto.endpoint,
    env: MOTO_ENV,
    logFile: join(work, 'vllm.log'),
  });

  gh = await GitHubEmulator.start();
  gh.addRepo(REPO);
  gh.addToken(TOKEN, { issues: 'write', 'pull-requests': 'write', contents: 'read' });
  pr = gh.addPullRequest(REPO, {
    user: 'carol',
    files: [
      { filename: 'src/handler.ts', status: 'modified', patch: PATCH },
      {
        filename: 'src/queue.ts',
        status: 'added',
        patch: '@@ -0,0 +1,3 @@\n+export class Queue {\n+  items: string[] = [];\n+}',
      },
    ],
  }).number;
  const trigger = gh.addIssueComment(REPO, pr, { user: 'bob', body: '@tech-lead-bot alice' });
  run = await runReviewStep(gh, {
    repository: REPO,
    token: TOKEN,
    inputs: {
      reviewer: 'alice',
      'pull-number': String(pr),
      'comment-id': String(trigger.id),
      's3-uri': 's3://adapters/tlb',
      's3-endpoint': moto.endpoint,
      'base-model': TINY_MODEL_ID,
      'model-server-url': vllm.baseUrl,
      // A random adapter is never sure of anything: post whatever it manages to anchor.
      'min-confidence': '0',
    },
    env: MOTO_ENV,
    timeoutMs: 300_000,
  });
}, 900_000);

afterAll(async () => {
  await vllm?.stop();
  await gh?.stop();
  await moto?.stop();
}, 60_000);

describe('a review through vLLM with the reviewer adapter from S3', () => {
  it('posts one review', () => {
    expect(run.log).toContain('model calls');
    expect(run.exitCode).toBe(0);
    expect(gh.reviews(REPO, pr)).toHaveLength(1);
    expect(gh.schemaViolations).toEqual([]);
  });

  it('reviewed with the trained adapter, not the base model fallback', () => {
    const body = gh.reviews(REPO, pr)[0]?.body ?? '';
    expect(body).toContain(`Adapter \`${ADAPTER_ID}\``);
    expect(body).not.toContain('⚠️');
    expect(run.log).not.toContain(`::group::Ask ${TINY_MODEL_ID}`);
  });

  it('asked vLLM for the adapter by name, and the resolver loaded it from S3', async () => {
    expect(run.log).toContain(`::group::Ask ${ADAPTER_NAME}`);
    expect(await vllm.models()).toContain(ADAPTER_NAME);
    expect(readFileSync(join(work, 'vllm.log'), 'utf8')).toContain(ADAPTER_NAME);
  });

  it('puts every comment on a line of the diff', () => {
    const patches = new Map([
      ['src/handler.ts', PATCH],
      ['src/queue.ts', '@@ -0,0 +1,3 @@\n+export class Queue {\n+  items: string[] = [];\n+}'],
    ]);
    // Every hunk got an answer, and the review posted as many comments as it says: counted
    // before looping. (The tiny random adapter rarely anchors a comment; the SmolLM2 learning
    // test's review step, with an adapter that learned something, must post at least one.)
    expect(run.log).toMatch(
      /2 model calls: \d+ comments, \d+ silent, \d+ unreadable, 0 failed \(0 refused the model\)\./,
    );
    const commented = /Hunks: 2 seen, (\d+) commented/.exec(gh.reviews(REPO, pr)[0]?.body ?? '');
    const comments = gh.reviewComments(REPO, pr);
    expect(commented).not.toBeNull();
    expect(comments).toHaveLength(Number(commented?.[1]));
    for (const comment of comments) {
      const hunks = parsePatch(patches.get(comment.path) ?? '');
      const anchor = { line: comment.line ?? -1, side: comment.side ?? 'RIGHT' };
      expect([comment.path, anchor, hunks.some((h) => findRow(h, anchor))]).toEqual([
        comment.path,
        anchor,
        true,
      ]);
    }
  });

  it('gets top_logprobs in the shape contracts/confidence.md reads', async () => {
    const response = await fetch(`${vllm.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: ADAPTER_NAME,
        messages: [{ role: 'user', content: 'Review this hunk.' }],
        max_tokens: 4,
        temperature: 0,
        logprobs: true,
        top_logprobs: TOP_LOGPROBS,
      }),
    });
    const body = (await response.json()) as {
      choices: { logprobs: { content: TokenLogprob[] } }[];
    };
    const tokens = body.choices[0]?.logprobs.content ?? [];
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) {
      expect(typeof token.token).toBe('string');
      expect(token.logprob).toBeLessThanOrEqual(0);
      expect(token.top_logprobs).toHaveLength(TOP_LOGPROBS);
      for (const alternative of token.top_logprobs) {
        expect([typeof alternative.token, typeof alternative.logprob]).toEqual([
          'string',
          'number',
        ]);
      }
    }
    const confidence = commentProbability(tokens);
    expect(confidence).toBeGreaterThanOrEqual(0);
    expect(confidence).toBeLessThanOrEqual(1);
  });
});
