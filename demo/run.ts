/**
 * `make demo`: the action run the way the Actions runner runs it, against the GitHub emulator
 * and moto's S3 server, with what happened printed for a person: the command, the reviewer's
 * history and dataset (prepare), training alice's adapter (train), and the review through
 * vLLM with the adapter (review).
 *
 * The model is SmolLM2-135M-Instruct on the CPU: a real instruct model, 60 times smaller than
 * the Llama 3.1 8B the GPU runner trains, standing in for it so that the review shows real
 * sentences. TLB_DEMO_MODEL=tiny runs the tiny random model instead (seconds, noise for words),
 * where only the plumbing is the point (test/e2e/fresh-clone-demo.test.ts).
 */
import { parseMarker, withoutMarker } from '../src/feedback/marker.js';
import { GitHubEmulator } from '../test/emulator/index.js';
import { issueCommentEvent } from '../test/harness/events.js';
import { MOTO_ENV, MotoServer } from '../test/harness/moto.js';
import { runAction, runReviewStep } from '../test/harness/run-action.js';
import {
  SMOLLM2_MODEL_ID,
  TINY_MODEL_ID,
  runTrainer,
  smollm2ModelCache,
  tinyModelCache,
  trainerPython,
  trainJobEnv,
} from '../test/harness/trainer.js';
import { TinyVllm } from '../test/harness/vllm.js';
import { findRow, parsePatch } from '../src/diff/hunks.js';
import { seedDemoRepository } from './seed.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = 'acme/widgets';
const TOKEN = 'ghs_demo0000000000000000000000000000000';
const TINY = process.env.TLB_DEMO_MODEL === 'tiny';
const BASE_MODEL = TINY ? TINY_MODEL_ID : SMOLLM2_MODEL_ID;
const LORA_RANK = TINY ? '8' : '16';

const gh = await GitHubEmulator.start();
const moto = await MotoServer.start();
try {
  await moto.createBucket('tech-lead-bot');
  gh.addRepo(REPO);
  gh.addToken(TOKEN, { issues: 'write', 'pull-requests': 'write', contents: 'read' });
  // SmolLM2 trains on the CPU: 16 pull requests of 4 hunks, half of them commented on.
  const pr = seedDemoRepository(gh, REPO, TINY ? 40 : 16);

  const body = 'Thanks! Before I merge:\n@tech-lead-bot alice';
  const comment = gh.addIssueComment(REPO, pr, { user: 'bob', body });
  section(`bob comments on ${REPO}#${pr}`);
  console.log(indent(body));

  const run = await runAction({
    eventName: 'issue_comment',
    payload: issueCommentEvent({
      repository: REPO,
      issueNumber: pr,
      isPullRequest: true,
      comment: { id: comment.id, body, user: { login: 'bob' } },
    }),
    repository: REPO,
    apiUrl: gh.url,
    graphqlUrl: gh.graphqlUrl,
    token: TOKEN,
    inputs: {
      step: 'prepare',
      's3-uri': 's3://tech-lead-bot/adapters',
      's3-endpoint': moto.endpoint,
      'base-model': BASE_MODEL,
    },
    env: MOTO_ENV,
  });

  section(`prepare step: exit code ${run.exitCode}, ${run.durationMs} ms`);
  console.log(indent(run.log.replace(/^::add-mask::.*\n/gm, '').trim()));
  section('reactions on the comment');
  console.log(
    indent(
      gh
        .reactions(REPO, comment.id)
        .map((r) => r.content)
        .join(' ') || '(none)',
    ),
  );
  section('the status comment on the pull request');
  for (const c of gh.issueComments(REPO, pr).filter((c) => c.user.type === 'Bot')) {
    console.log(indent(c.body ?? ''));
  }
  section('outputs for the next jobs');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`  ${name} = ${value}`);
  if (run.outputs.next === 'train') {
    section(
      TINY
        ? 'train job: training-runner on the CPU with the tiny random model (the real one runs on the GPU runner)'
        : 'train job: training-runner on the CPU with SmolLM2-135M-Instruct, standing in for the 8B model of the GPU runner',
    );
    const python = trainerPython();
    const tiny = TINY ? tinyModelCache(python) : undefined;
    const model = tiny ?? smollm2ModelCache();
    const job = {
      repository: REPO,
      apiUrl: gh.url,
      s3Endpoint: moto.endpoint,
      prepared: run.outputs,
      pullNumber: pr,
      token: TOKEN,
      baseModel: BASE_MODEL,
      modelCache: model.cache,
    };
    const trained = await runTrainer(
      python,
      trainJobEnv(job, {
        INPUT_EPOCHS: TINY ? '2' : '3',
        INPUT_LORA_RANK: LORA_RANK,
        INPUT_LORA_ALPHA: String(2 * Number(LORA_RANK)),
        // SmolLM2's config has its CPU settings; the tiny model needs its sizes and a big step.
        INPUT_RECIPE_OVERRIDES: tiny
          ? `${tiny.overrides}\nbatch_size=8\noptimizer.lr=1e-2\nlr_scheduler.num_warmup_steps=0`
          : '',
        INPUT_MAX_NEW_TOKENS: '32',
        // SmolLM2's cache is checked against the hashes its profile pins. The tiny model is made
        // here by a fixture, so nothing publishes its hashes: this machine reaches no hub and runs
        // no untrusted job, the case HF_HUB_OFFLINE=1 is for.
        ...(TINY ? { HF_HUB_OFFLINE: '1' } : {}),
      }),
    );
    console.log(indent(trained.log.trim().split('\n').slice(-25).join('\n')));
    section(`train job: exit code ${trained.exitCode}; the status comment now`);
    for (const c of gh.issueComments(REPO, pr).filter((c) => c.user.type === 'Bot')) {
      console.log(indent(c.body ?? ''));
    }
    if (trained.exitCode !== 0) process.exitCode = 1;
    await reviewStage(pr, comment.id, run.outputs, model.modelDir);
  }
  section('GitHub API requests');
  const spent = gh.requests.filter((r) => r.spentRateLimit).length;
  console.log(`  ${gh.requests.length} requests, ${spent} of them spent rate limit:`);
  for (const r of gh.requests) console.log(`  ${r.status} ${r.method} ${r.path}`);
  if (run.exitCode !== 0) process.exitCode = 1;
} finally {
  await gh.stop();
  await moto.stop();
}

/** The review job: vLLM's CPU build serves the base model, our plugin fetches the adapter from S3. */
async function reviewStage(
  pr: number,
  commentId: number,
  outputs: Record<string, string>,
  modelDir: string,
): Promise<void> {
  section(`review job: vLLM (CPU build) with ${BASE_MODEL} and the LoRA resolver plugin`);
  const work = mkdtempSync(join(tmpdir(), 'tlb-demo-'));
  const vllm = await TinyVllm.start({
    modelDir,
    s3Uri: 's3://tech-lead-bot/adapters',
    s3Endpoint: moto.endpoint,
    env: MOTO_ENV,
    logFile: join(work, 'vllm.log'),
    maxLoraRank: Number(LORA_RANK),
    adapterCacheDir: join(work, 'adapter-cache'),
    ...(TINY ? {} : { chatTemplate: 'chatml_chat_template' }),
  });
  try {
    console.log(`  ready in ${vllm.startupSeconds.toFixed(1)} s at ${vllm.baseUrl}`);
    const review = await runReviewStep(gh, {
      repository: REPO,
      token: TOKEN,
      inputs: {
        reviewer: outputs.reviewer ?? '',
        'pull-number': String(pr),
        'comment-id': String(commentId),
        'status-comment-id': outputs['status-comment-id'] ?? '',
        's3-uri': 's3://tech-lead-bot/adapters',
        's3-endpoint': moto.endpoint,
        'base-model': BASE_MODEL,
        'model-server-url': vllm.baseUrl,
        // The tiny model is never sure of anything; SmolLM2 keeps the default threshold.
        ...(TINY ? { 'min-confidence': '0' } : {}),
      },
      env: MOTO_ENV,
      timeoutMs: 300_000,
    });
    section(`review step: exit code ${review.exitCode}, ${review.durationMs} ms`);
    console.log(indent(review.log.replace(/^::add-mask::.*\n/gm, '').trim()));
    section(
      TINY
        ? "the review on the pull request (the tiny model's words are noise: the real model runs on the GPU)"
        : 'the review on the pull request (SmolLM2-135M on a CPU; the GPU runner trains Llama 3.1 8B)',
    );
    for (const posted of gh.reviews(REPO, pr)) console.log(indent(posted.body ?? ''));
    const listed = await fetch(`${gh.url}/repos/${REPO}/pulls/${pr}/files`, {
      headers: { authorization: `token ${TOKEN}` },
    });
    const files = new Map(
      ((await listed.json()) as { filename: string; patch?: string }[]).map((f) => [
        f.filename,
        f.patch ?? '',
      ]),
    );
    for (const c of gh.reviewComments(REPO, pr)) {
      const hunk = parsePatch(files.get(c.path) ?? '').find((h) =>
        findRow(h, { line: c.line ?? -1, side: c.side ?? 'RIGHT' }),
      );
      const row = hunk && findRow(hunk, { line: c.line ?? -1, side: c.side ?? 'RIGHT' });
      console.log(`\n  ${c.path}:${c.line} (${c.side})`);
      console.log(
        `    ${row ? `${row.kind === 'add' ? '+' : row.kind === 'del' ? '-' : ' '}${row.text}` : '(not in the diff!)'}`,
      );
      console.log(`    💬 ${withoutMarker(c.body)}`);
      const marker = parseMarker(c.body);
      // The hidden marker that ties the comment to the reviewer and adapter (feedback, issue 12).
      if (marker)
        console.log(`    (marked: reviewer ${marker.reviewer}, adapter ${marker.adapterId})`);
      if (!row) process.exitCode = 1;
    }
    section('reactions on the comment at the end');
    console.log(
      indent(
        gh
          .reactions(REPO, commentId)
          .map((r) => r.content)
          .join(' '),
      ),
    );
    if (review.exitCode !== 0) process.exitCode = 1;
  } finally {
    await vllm.stop();
  }
}

function section(title: string): void {
  console.log(`\n== ${title}`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
