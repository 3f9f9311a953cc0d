import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { getSettings } from '../../src/settings.js';
import { repoRoot } from '../harness/run-action.js';

const manifest = parse(readFileSync(`${repoRoot}/action.yml`, 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

/** Sets INPUT_* as the runner would: action.yml defaults, then the given overrides. */
function setInputs(overrides: Record<string, string> = {}): void {
  const inputs: Record<string, string> = { 'github-token': 'ghs_test' };
  for (const [name, spec] of Object.entries(manifest.inputs)) {
    if (spec.default !== undefined && !spec.default.includes('${{')) inputs[name] = spec.default;
  }
  for (const [name, value] of Object.entries({ ...inputs, ...overrides })) {
    process.env[`INPUT_${name.toUpperCase()}`] = value;
  }
}

describe('getSettings', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env = Object.fromEntries(
      Object.entries(saved).filter(([name]) => !name.startsWith('INPUT_')),
    );
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads the defaults of action.yml', () => {
    setInputs();
    const settings = getSettings();
    expect(settings).toMatchObject({
      step: 'prepare',
      handle: 'tech-lead-bot',
      allowedReviewers: [],
      s3: undefined,
      baseModel: 'meta-llama/Llama-3.1-8B-Instruct',
      history: {
        maxComments: 2000,
        minComments: 20,
        staleAfterComments: 50,
        staleAfterFeedback: 20,
        retainDatasets: false,
      },
      feedbackFrom: 'reviewer',
      review: { maxComments: 10, minConfidence: undefined, concurrency: 16, tone: 'reviewer' },
    });
  });

  it("counts writers' feedback when asked to", () => {
    setInputs({ 'feedback-from': 'writers' });
    expect(getSettings().feedbackFrom).toBe('writers');
  });

  it('reads an explicit min-confidence, 0 included', () => {
    setInputs({ 'min-confidence': '0' });
    expect(getSettings().review.minConfidence).toBe(0);
  });

  it('reads an S3 location and reviewers', () => {
    setInputs({
      's3-uri': 's3://my-bucket/teams/bots/',
      'allowed-reviewers': 'alice, @bob\ncarol',
      'aws-region': 'eu-west-1',
      's3-endpoint': 'http://127.0.0.1:9000/',
    });
    expect(getSettings()).toMatchObject({
      allowedReviewers: ['alice', 'bob', 'carol'],
      s3: {
        bucket: 'my-bucket',
        prefix: 'teams/bots',
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:9000',
        sse: 'AES256',
      },
    });
  });

  it.each([
    [{ step: 'train' }, "Invalid step 'train'. Expected one of: prepare, review."],
    [{ 's3-uri': 'foo' }, "Invalid s3-uri 'foo'. Expected s3://bucket/prefix."],
    [{ 's3-uri': 's3://bkt/x', 's3-sse': 'aws:kms' }, /needs s3-kms-key-id/],
    [
      { 'feedback-from': 'everyone' },
      "Invalid feedback-from 'everyone'. Expected one of: reviewer, writers.",
    ],
    [{ 'max-comments': 'ten' }, "Invalid max-comments 'ten'. Expected a number >= 0."],
    [{ concurrency: '2.5' }, /Expected a whole number/],
    [{ 'stale-after-feedback': '0' }, "Invalid stale-after-feedback '0'. Expected a number >= 1."],
    [{ 'min-confidence': '2' }, /between 0 and 1/],
    [
      { 'allowed-reviewers': 'alice, not a login' },
      /Invalid allowed-reviewers entry 'not a login'/,
    ],
    [{ 'model-server-url': 'ftp://x' }, /Expected an http\(s\) URL/],
    [{ 'retain-datasets': 'maybe' }, /retain-datasets/],
    [{ handle: 'no spaces allowed' }, /Invalid handle/],
    // action.yml is the one place of the defaults: no second one hides an emptied input.
    [{ handle: '' }, 'Input required and not supplied: handle'],
    [{ 'base-model': '' }, 'Input required and not supplied: base-model'],
  ])('rejects %j', (overrides, message) => {
    setInputs(overrides);
    expect(() => getSettings()).toThrow(message);
  });

  it('writes without server-side encryption with s3-sse none (MinIO without KMS)', () => {
    setInputs({ 's3-uri': 's3://bkt/x', 's3-sse': 'none' });
    expect(getSettings().s3?.sse).toBe('none');
  });

  it('requires a token', () => {
    setInputs({ 'github-token': '' });
    expect(() => getSettings()).toThrow('Input required and not supplied: github-token');
  });
});
