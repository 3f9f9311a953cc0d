/**
 * The reviewer benchmark (issue 10): does the adapter comment where the reviewer would, at the
 * line they would, in their words, and stay silent elsewhere? Per reviewer of the synthetic
 * repository (test/emulator/synthetic-repo.ts: real diffs of this project, two reviewers of known
 * habits and voices), it runs the real pipeline: the built action's prepare step as the runner
 * starts it (GitHub emulator, S3 on moto), then the train job's command (`python -m
 * tech_lead_trainer`, SmolLM2-135M-Instruct on the CPU, TorchTune), which evaluates the adapter
 * and the baselines on the held-out pull requests and decides the gate. The numbers printed are
 * the trainer's own metrics.json (its `metrics` output, there whether or not the gate promoted the
 * adapter), so the benchmark measures exactly what the gate decides on.
 *
 * Sizes fit 30 minutes on 2 cores (measured 2026-11-29: 24.7 minutes in all; terse-tom 32 steps,
 * 336 s of training and 67 s of evaluation; careful-carla 80 steps, 611 s and 404 s): EPOCHS
 * passes of at most MAX_STEPS optimizer steps over each reviewer's dataset, at most
 * MAX_EVAL_EXAMPLES held-out hunks (both kinds kept in their shares), answers of at most
 * MAX_NEW_TOKENS tokens (the reviewers' comments are one short sentence). TLB_BENCH_EPOCHS,
 * TLB_BENCH_MAX_EVAL, TLB_BENCH_MAX_STEPS, TLB_BENCH_OVERRIDES and TLB_BENCH_REVIEWERS change the
 * sizes, to see what more training buys or to take a quick look.
 *
 * TLB_BENCH_PREPARE names another checkout (with its built dist/) whose prepare step builds the
 * datasets instead, e.g. a `git worktree` of an older commit: the same repositories, trainer and
 * evaluation on what that version's dataset builder made, held-out set included. Its lines carry
 * `"prepare": "<that path>"`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubEmulator } from '../test/emulator/index.js';
import { seedSyntheticRepo } from '../test/emulator/synthetic-repo.js';
import { issueCommentEvent } from '../test/harness/events.js';
import { MOTO_ENV, MotoServer } from '../test/harness/moto.js';
import { parseOutputFile, runAction } from '../test/harness/run-action.js';
import {
  SMOLLM2_MODEL_ID,
  runTrainer,
  smollm2ModelCache,
  trainerPython,
  trainJobEnv,
} from '../test/harness/trainer.js';
import type { Measurement, QualityRow } from './run.js';

const TOKEN = 'ghs_benchquality0000000000000000000000';
const BUCKET = 'adapters';
const EPOCHS = process.env.TLB_BENCH_EPOCHS ?? '2';
const MAX_EVAL_EXAMPLES = process.env.TLB_BENCH_MAX_EVAL ?? '40';
const MAX_NEW_TOKENS = '32';
/**
 * A cap on the optimizer steps per epoch (TorchTune's max_steps_per_epoch): careful-carla's ~140
 * training examples would take about 24 minutes for two whole epochs on 2 cores (batch 2, ~10 s a
 * step). `TLB_BENCH_MAX_STEPS=0` lifts it.
 */
const MAX_STEPS = process.env.TLB_BENCH_MAX_STEPS ?? '40';
/** More recipe overrides, one per line (e.g. `tokenizer.max_seq_len=2048`). */
const OVERRIDES = process.env.TLB_BENCH_OVERRIDES;
/** Another checkout whose prepare step builds the datasets (see the header). */
const PREPARE = process.env.TLB_BENCH_PREPARE;
/** Some of the reviewers only (comma-separated), for a quick look. */
const ONLY = process.env.TLB_BENCH_REVIEWERS?.split(',');
const MODELS = ['adapter', 'base-few-shot', 'always-comment', 'never-comment'] as const;
// `score` is what the gate compares (metrics.py SCORE_FORMULA).
const COLUMNS = [
  'examples',
  'precision',
  'recall',
  'f1',
  'mcc',
  'right_line',
  'bleu4',
  'chrf',
  'score',
];

/** The part of the trainer's metrics.json the benchmark reads. */
interface TrainerMetrics {
  gate: { promoted: boolean };
  adapter: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  training: { steps: number; seconds: number };
}

export async function* quality(): AsyncGenerator<Measurement | QualityRow> {
  const python = trainerPython();
  const model = smollm2ModelCache();
  const moto = await MotoServer.start();
  const gh = await GitHubEmulator.start({ rateLimit: 100_000 });
  const work = mkdtempSync(join(tmpdir(), 'tlb-bench-quality-'));
  try {
    await moto.createBucket(BUCKET);
    Object.assign(process.env, MOTO_ENV);
    gh.addToken(TOKEN, { issues: 'write', 'pull-requests': 'write', contents: 'read' });
    const synthetic = seedSyntheticRepo(gh);
    const asking = gh.addPullRequest(synthetic.repo, { user: 'dev-01', files: [] }).number;
    for (const reviewer of synthetic.reviewers.keys()) {
      if (ONLY && !ONLY.includes(reviewer)) continue;
      const body = `@tech-lead-bot ${reviewer}`;
      const comment = gh.addIssueComment(synthetic.repo, asking, { user: 'dev-02', body });
      gh.resetLog();
      const prepared = await runAction({
        eventName: 'issue_comment',
        payload: issueCommentEvent({
          repository: synthetic.repo,
          issueNumber: asking,
          isPullRequest: true,
          comment: { id: comment.id, body, user: { login: 'dev-02' } },
        }),
        repository: synthetic.repo,
        apiUrl: gh.url,
        graphqlUrl: gh.graphqlUrl,
        token: TOKEN,
        inputs: {
          's3-uri': `s3://${BUCKET}/tlb`,
          's3-endpoint': moto.endpoint,
          'base-model': SMOLLM2_MODEL_ID,
        },
        env: MOTO_ENV,
        ...(PREPARE ? { actionYml: join(PREPARE, 'action.yml') } : {}),
      });
      const datasetUri = prepared.outputs['dataset-uri'];
      if (prepared.exitCode !== 0 || prepared.outputs.next !== 'train' || !datasetUri) {
        throw new Error(`prepare for ${reviewer} failed:\n${prepared.log.slice(-3000)}`);
      }
      // Counted before training: the trainer's status-comment edits are not collection.
      const requests = gh.requests.length;

      const output = join(work, `${reviewer}.output`);
      writeFileSync(output, '');
      const started = performance.now();
      const job = {
        repository: synthetic.repo,
        apiUrl: gh.url,
        s3Endpoint: moto.endpoint,
        prepared: prepared.outputs,
        pullNumber: asking,
        token: TOKEN,
        baseModel: SMOLLM2_MODEL_ID,
        modelCache: model.cache,
      };
      const trained = await runTrainer(
        python,
        trainJobEnv(job, {
          GITHUB_OUTPUT: output,
          INPUT_EPOCHS: EPOCHS,
          INPUT_MAX_EVAL_EXAMPLES: MAX_EVAL_EXAMPLES,
          INPUT_MAX_NEW_TOKENS: MAX_NEW_TOKENS,
          INPUT_RECIPE_OVERRIDES: [
            ...(MAX_STEPS !== '0' ? [`max_steps_per_epoch=${MAX_STEPS}`] : []),
            ...(OVERRIDES ? [OVERRIDES] : []),
          ].join('\n'),
        }),
      );
      const trainerSeconds = (performance.now() - started) / 1000;
      const metricsLine = parseOutputFile(readFileSync(output, 'utf8')).metrics;
      if (trained.exitCode !== 0 || !metricsLine) {
        throw new Error(`training ${reviewer} failed:\n${trained.log.slice(-4000)}`);
      }
      const metrics = JSON.parse(metricsLine) as TrainerMetrics;
      for (const name of MODELS) {
        const numbers = name === 'adapter' ? metrics.adapter : metrics.baselines[name];
        if (!numbers) throw new Error(`metrics.json of ${reviewer} has no '${name}'`);
        yield {
          metric: 'quality',
          reviewer,
          model: name,
          ...(PREPARE ? { prepare: PREPARE } : {}),
          ...Object.fromEntries(COLUMNS.map((column) => [column, round(numbers[column] ?? NaN)])),
        };
      }
      const value = (metric: string, v: number, unit: string): Measurement => ({
        metric,
        value: round(v),
        unit,
        reviewer,
      });
      yield* [
        value('quality_train_wall_s', metrics.training.seconds, 's'),
        // The rest of the trainer's run: loading the model twice, answering the held-out hunks
        // with the adapter and with the base model's few-shot prompt, and S3.
        value('quality_eval_wall_s', trainerSeconds - metrics.training.seconds, 's'),
        value('quality_train_steps', metrics.training.steps, 'count'),
        value('quality_collection_requests', requests, 'requests'),
        value('quality_gate_promoted', metrics.gate.promoted ? 1 : 0, 'bool'),
      ];
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    await gh.stop();
    await moto.stop();
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
