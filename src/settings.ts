import * as core from '@actions/core';
import { isValidLogin } from './trigger/login.js';

export type Step = 'prepare' | 'review';
export type Tone = 'reviewer' | 'snarky';
/** Whose reactions and replies to the bot's comments count: the reviewer's only, or also writers'. */
export type FeedbackFrom = 'reviewer' | 'writers';
/** `none` for S3-compatible stores without KMS or SSE support, such as a plain MinIO. */
export type ServerSideEncryption = 'AES256' | 'aws:kms' | 'none';

export interface S3Settings {
  bucket: string;
  /** Key prefix without leading or trailing slash; may be empty. */
  prefix: string;
  region?: string;
  endpoint?: string;
  sse: ServerSideEncryption;
  kmsKeyId?: string;
}

export interface HistorySettings {
  maxComments: number;
  minComments: number;
  negativeRatio: number;
  staleAfterComments: number;
  /** Feedback on the adapter's comments (all verdicts but 'ignored') that suggests retraining. */
  staleAfterFeedback: number;
  retainDatasets: boolean;
}

export interface ReviewSettings {
  /** Set by the workflow from the prepare step's outputs. */
  reviewer?: string;
  pullNumber?: number;
  commentId?: number;
  statusCommentId?: number;
  /** `needs.train.result` in the example workflow: success, failure, cancelled, skipped or empty. */
  trainingResult?: string;
  requestTimeoutMs: number;
  modelServerUrl?: string;
  modelApiKey?: string;
  maxComments: number;
  /** Absent: the adapter's calibrated threshold, or BASE_MODEL_MIN_CONFIDENCE for the base model. */
  minConfidence?: number;
  concurrency: number;
  excludePaths: string[];
  tone: Tone;
}

export interface Settings {
  step: Step;
  githubToken: string;
  /** The bot's name in comments, without `@`. */
  handle: string;
  /** Logins whose style may be cloned; empty means anyone with write access. */
  allowedReviewers: string[];
  s3?: S3Settings;
  baseModel: string;
  /** Token budget of one hunk in a prompt, for training and review alike. */
  maxHunkTokens: number;
  history: HistorySettings;
  feedbackFrom: FeedbackFrom;
  review: ReviewSettings;
}

export class InputError extends Error {
  override name = 'InputError';
}

/** Reads and validates every input of action.yml into one settings object. */
export function getSettings(): Settings {
  const githubToken = core.getInput('github-token', { required: true });
  core.setSecret(githubToken);
  const modelApiKey = optional(core.getInput('model-api-key'));
  if (modelApiKey) core.setSecret(modelApiKey);

  return {
    step: oneOf('step', ['prepare', 'review'] as const),
    githubToken,
    // action.yml holds the defaults; an input set to '' is an error, not a second default.
    handle: handle(core.getInput('handle', { required: true })),
    allowedReviewers: allowedReviewers(core.getMultilineInput('allowed-reviewers')),
    s3: s3Settings(),
    baseModel: core.getInput('base-model', { required: true }),
    maxHunkTokens: integer('max-hunk-tokens', 64),
    history: {
      maxComments: integer('max-history-comments', 1),
      minComments: integer('min-history-comments', 1),
      negativeRatio: number('negative-ratio', 0, 10),
      staleAfterComments: integer('stale-after-comments', 1),
      staleAfterFeedback: integer('stale-after-feedback', 1),
      retainDatasets: core.getBooleanInput('retain-datasets'),
    },
    feedbackFrom: oneOf('feedback-from', ['reviewer', 'writers'] as const),
    review: {
      reviewer: optionalLogin('reviewer'),
      pullNumber: optionalId('pull-number'),
      commentId: optionalId('comment-id'),
      statusCommentId: optionalId('status-comment-id'),
      trainingResult: optional(core.getInput('training-result')),
      requestTimeoutMs: number('request-timeout-seconds', 1, 3600) * 1000,
      modelServerUrl: url('model-server-url'),
      modelApiKey,
      maxComments: integer('max-comments', 0),
      minConfidence:
        core.getInput('min-confidence') === '' ? undefined : number('min-confidence', 0, 1),
      concurrency: integer('concurrency', 1, 256),
      excludePaths: core.getMultilineInput('exclude-paths'),
      tone: oneOf('tone', ['reviewer', 'snarky'] as const),
    },
  };
}

function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}

function oneOf<T extends string>(name: string, allowed: readonly T[]): T {
  const value = core.getInput(name) || allowed[0];
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) {
    throw new InputError(`Invalid ${name} '${value}'. Expected one of: ${allowed.join(', ')}.`);
  }
  return match;
}

function number(name: string, min: number, max = Number.POSITIVE_INFINITY): number {
  const raw = core.getInput(name, { required: true });
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `between ${min} and ${max}`;
    throw new InputError(`Invalid ${name} '${raw}'. Expected a number ${range}.`);
  }
  return value;
}

function integer(name: string, min: number, max = Number.POSITIVE_INFINITY): number {
  const value = number(name, min, max);
  if (!Number.isInteger(value)) {
    throw new InputError(`Invalid ${name} '${core.getInput(name)}'. Expected a whole number.`);
  }
  return value;
}

function optionalId(name: string): number | undefined {
  const raw = core.getInput(name);
  if (raw === '') return undefined;
  if (!/^[1-9]\d{0,15}$/.test(raw)) {
    throw new InputError(`Invalid ${name} '${raw}'. Expected a positive whole number.`);
  }
  return Number(raw);
}

function optionalLogin(name: string): string | undefined {
  const raw = core.getInput(name).replace(/^@/, '');
  if (raw === '') return undefined;
  if (!isValidLogin(raw))
    throw new InputError(`Invalid ${name} '${raw}'. Expected a GitHub login.`);
  return raw;
}

function handle(value: string): string {
  const name = value.replace(/^@/, '');
  // A bot handle is a login, or an app's slug that may end in "[bot]".
  if (!isValidLogin(name.replace(/\[bot\]$/, ''))) {
    throw new InputError(
      `Invalid handle '${value}'. Expected a GitHub login such as tech-lead-bot.`,
    );
  }
  return name;
}

function allowedReviewers(lines: string[]): string[] {
  const logins = lines
    .flatMap((line) => line.split(','))
    .map((login) => login.trim().replace(/^@/, ''))
    .filter((login) => login !== '');
  for (const login of logins) {
    if (!isValidLogin(login)) {
      throw new InputError(
        `Invalid allowed-reviewers entry '${login}'. Expected GitHub logins separated by commas or newlines.`,
      );
    }
  }
  return logins;
}

function url(name: string): string | undefined {
  const value = optional(core.getInput(name));
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new InputError(`Invalid ${name} '${value}'. Expected an http(s) URL.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InputError(`Invalid ${name} '${value}'. Expected an http(s) URL.`);
  }
  return value.replace(/\/+$/, '');
}

function s3Settings(): S3Settings | undefined {
  const uri = optional(core.getInput('s3-uri'));
  if (uri === undefined) return undefined;
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match?.[1]) {
    throw new InputError(`Invalid s3-uri '${uri}'. Expected s3://bucket/prefix.`);
  }
  const sse = oneOf('s3-sse', ['AES256', 'aws:kms', 'none'] as const);
  const kmsKeyId = optional(core.getInput('s3-kms-key-id'));
  if (sse === 'aws:kms' && kmsKeyId === undefined) {
    throw new InputError(`s3-sse 'aws:kms' needs s3-kms-key-id: the KMS key id or ARN to use.`);
  }
  return {
    bucket: match[1],
    prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, ''),
    region: optional(core.getInput('aws-region')) ?? process.env.AWS_REGION,
    endpoint: url('s3-endpoint'),
    sse,
    kmsKeyId,
  };
}
