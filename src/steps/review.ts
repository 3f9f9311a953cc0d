import * as core from '@actions/core';
import type { context as actionContext } from '@actions/github';
import { ActionError, errorMessage } from '../errors.js';
import { callGitHub } from '../github/errors.js';
import type { Octokit } from '../github/octokit.js';
import { reactToComment, type Reaction } from '../github/reactions.js';
import type { IssueRef } from '../github/repo.js';
import { StatusComment } from '../github/status-comment.js';
import { parseStatus } from '../github/status-document.js';
import { BASE_MODEL_ADAPTER } from '../feedback/marker.js';
import { collectHistory } from '../history/collect.js';
import { FEW_SHOT_HISTORY, fewShotTurns } from '../prompt/few-shot.js';
import type { ChatMessage } from '../prompt/prompt.js';
import { BASE_MODEL_MIN_CONFIDENCE } from '../review/confidence.js';
import { reviewHunks, type Candidate, type EngineResult } from '../review/engine.js';
import { openAIModelClient } from '../review/model-client.js';
import { postReview, type InlineComment } from '../review/post-review.js';
import { renderReviewBody, percentile, type ReviewReport } from '../review/review-body.js';
import { sanitizeComment } from '../review/sanitize.js';
import { selectFiles, type PullFileEntry } from '../review/select-files.js';
import type { Settings } from '../settings.js';
import { ObjectStore } from '../store/object-store.js';
import {
  recordReview,
  ReviewerStore,
  type AdapterRecord,
  type ReviewRecord,
} from '../store/reviewer-store.js';
import { Redactor } from '../text/redact.js';
import { Progress } from './progress.js';

/** GitHub lists at most this many files of a pull request, however many it changes. */
const MAX_LISTED_FILES = 3000;

/**
 * The last job: review every hunk of the pull request through the model server in the
 * reviewer's voice and post ONE review with the comments worth reading.
 */
export async function review(
  settings: Settings,
  octokit: Octokit,
  context: typeof actionContext,
): Promise<void> {
  const { reviewer, pullNumber, commentId, statusCommentId } = settings.review;
  if (!reviewer || !pullNumber) {
    throw new ActionError(
      "The review step needs the reviewer and pull-number inputs: pass the prepare step's outputs (see the example workflow).",
    );
  }
  const ref: IssueRef = { ...context.repo, issueNumber: pullNumber };
  const runUrl = `${context.serverUrl}/${ref.owner}/${ref.repo}/actions/runs/${context.runId}`;
  const status = statusCommentId
    ? await StatusComment.fromId(octokit, ref, statusCommentId)
    : await StatusComment.find(octokit, ref, reviewer);
  const react = async (reaction: Reaction): Promise<void> => {
    if (commentId) await reactToComment(octokit, ref, commentId, reaction);
  };
  // What prepare and the train job wrote stays; this step adds its own lines under them.
  const found = parseStatus(status.foundBody ?? '');
  const progress = new Progress(status, reviewer, runUrl, react, found);
  try {
    await runReview(settings, octokit, ref, reviewer, runUrl, progress);
    await react('rocket');
  } catch (error: unknown) {
    await progress.fail(errorMessage(error)).catch((reportError: unknown) => {
      core.warning(
        `Could not report the failure on the pull request: ${errorMessage(reportError)}`,
      );
    });
    throw error;
  }
}

async function runReview(
  settings: Settings,
  octokit: Octokit,
  ref: IssueRef,
  reviewer: string,
  runUrl: string,
  progress: Progress,
): Promise<void> {
  const serverUrl = settings.review.modelServerUrl;
  if (!serverUrl) {
    throw new ActionError(
      'The model-server-url input is missing: set it to the vLLM server, e.g. https://vllm.example.com/v1.',
    );
  }
  const pullRef = { owner: ref.owner, repo: ref.repo, pullNumber: ref.issueNumber };

  core.startGroup('Read the pull request');
  // Prompts, few-shot examples and posted comments go through the redaction training used.
  const redactor = new Redactor();
  // The adapter lookup (S3) and the pull request (GitHub) do not depend on each other.
  const [{ headSha, files, unlisted }, firstChoice] = await Promise.all([
    readPull(octokit, pullRef),
    chooseModel(settings, octokit, ref, reviewer, runUrl, redactor),
  ]).finally(() => core.endGroup());
  let chosenModel = firstChoice;
  const { reviewable, skipped } = selectFiles(files, settings.review.excludePaths);
  await redactor.scan(reviewable.flatMap((f) => f.hunks.flatMap((h) => h.rows.map((r) => r.text))));
  core.info(`${reviewable.length} files to review, ${skipped.length} skipped.`);
  for (const file of skipped) core.info(`  skipped ${file.path}: ${file.reason}`);
  if (unlisted > 0) {
    const note = `This pull request changes ${files.length + unlisted} files, but GitHub lists only the first ${MAX_LISTED_FILES.toLocaleString('en-US')}: the other ${unlisted} are not reviewed.`;
    core.warning(note, { title: 'Files not reviewed' });
    await progress.report({ state: 'note', text: note });
  }
  if (reviewable.length === 0) {
    await progress.report({
      state: 'done',
      text: `Nothing to review: all ${files.length} files were skipped (${summarizeSkips(skipped)}).`,
    });
    return;
  }
  // Comments already on the PR are read while the model works.
  const existing = existingComments(octokit, pullRef);
  existing.catch(() => undefined);

  await progress.report({
    state: 'next',
    text: `Reviewing ${reviewable.reduce((n, f) => n + f.hunks.length, 0)} hunks in ${reviewable.length} files with ${chosenModel.adapter ? `adapter \`${chosenModel.adapter.id}\`` : 'the base model'}…`,
  });

  const client = openAIModelClient({
    baseURL: serverUrl,
    apiKey: settings.review.modelApiKey,
    timeoutMs: settings.review.requestTimeoutMs,
    maxRetries: 3,
  });
  const ask = async (choice: ChosenModel): Promise<EngineResult> => {
    core.startGroup(`Ask ${choice.model}`);
    // An adapter is asked with the one system prompt it was trained on; another tone would be a
    // prompt it never saw. The tone shapes the base-model fallback only.
    const tone = choice.adapter ? 'reviewer' : settings.review.tone;
    if (tone !== settings.review.tone) {
      core.notice(
        `tone: ${settings.review.tone} applies to the base-model fallback only; ${reviewer}'s adapter answers in the voice it learned.`,
      );
    }
    const result = await reviewHunks(reviewable, {
      client,
      model: choice.model,
      reviewer,
      tone,
      maxHunkTokens: settings.maxHunkTokens,
      concurrency: settings.review.concurrency,
      examples: choice.examples,
      redactor,
    }).finally(() => core.endGroup());
    core.info(
      `${result.calls} model calls: ${result.candidates.length} comments, ${result.silent} silent, ${result.unreadable} unreadable, ${result.failed} failed (${result.refused} refused the model).`,
    );
    return result;
  };
  let engine = await ask(chosenModel);
  const refusedAll = engine.calls > 0 && engine.refused === engine.calls;
  if (chosenModel.adapter && refusedAll) {
    // The server is up but cannot serve the adapter: say why, and review with the base model
    // rather than not at all.
    const problem = await adapterProblem(settings, ref, reviewer, chosenModel.adapter, engine);
    core.warning(problem.replace(/`/g, ''), { title: 'Adapter refused by the model server' });
    await progress.report(
      { state: 'failed', text: `${problem} This review uses the base model instead.` },
      { state: 'next', text: 'Reviewing with the base model…' },
    );
    chosenModel = await baseModelFallback(settings, octokit, ref, reviewer, problem, redactor);
    engine = await ask(chosenModel);
  } else if (refusedAll) {
    throw new ActionError(
      `${engine.firstError ?? 'The model server refused the base model'}. The base-model input must name the model the server serves (its --served-model-name, or the model it was started with).`,
    );
  }
  if (engine.failed === engine.calls) {
    throw new ActionError(
      `The model server did not answer for any hunk: ${engine.firstError ?? 'unknown error'}`,
    );
  }
  const { adapter, fallback } = chosenModel;

  const minConfidence = confidenceThreshold(settings.review.minConfidence, adapter);
  core.info(
    `Comments need a confidence of at least ${minConfidence.value}: ${minConfidence.source}.`,
  );
  const { chosen, overLimit } = choose(
    engine.candidates,
    await existing,
    minConfidence.value,
    settings.review.maxComments,
  );
  await redactor.scan(chosen.map((c) => c.body));
  const comments: InlineComment[] = chosen.map((c) => ({
    path: c.path,
    line: c.anchor.line,
    side: c.anchor.side,
    lineText: c.lineText,
    body: sanitizeComment(c.body, (text) => redactor.redact(text)),
    // How the bot's comments in this voice are found again to collect feedback on them.
    marker: { reviewer, adapterId: adapter?.id ?? BASE_MODEL_ADAPTER },
  }));

  const latestHead = (await readHead(octokit, pullRef)).sha;
  const report: ReviewReport = {
    reviewer,
    adapter,
    fallback,
    engine,
    skipped,
    posted: comments.length,
    maxComments: settings.review.maxComments,
    overLimit,
    ...(latestHead !== headSha ? { headMoved: { from: headSha, to: latestHead } } : {}),
  };
  const posted = await postReview(
    octokit,
    pullRef,
    headSha,
    comments,
    (inBody, commit) =>
      renderReviewBody({ ...report, posted: comments.length - inBody.length }, inBody, commit),
    () => readPull(octokit, pullRef),
  );
  core.setOutput('review-url', posted.url);
  if (adapter && settings.s3 && posted.inline.length > 0) {
    await rememberReview(
      new ReviewerStore(new ObjectStore(settings.s3), ref.owner, ref.repo, reviewer),
      {
        pullNumber: ref.issueNumber,
        adapterId: adapter.id,
        reviewId: posted.id,
        url: posted.url,
        postedAt: new Date().toISOString(),
        comments: posted.inline.length,
      },
    );
  }
  await progress.report({
    state: 'done',
    text: `[Review posted](${posted.url}): ${posted.inline.length} comments on ${engine.hunks} hunks${settings.review.maxComments === 0 ? ' (max-comments is 0)' : ''}${posted.inBody.length ? `, ${posted.inBody.length} in the review body` : ''}${skipped.length ? `; ${skipped.length} files skipped (${summarizeSkips(skipped)})` : ''}.`,
  });
  await core.summary
    .addHeading(`tech-lead-bot review as ${reviewer}`, 3)
    .addTable([
      [
        { data: 'Adapter', header: true },
        { data: 'Hunks', header: true },
        { data: 'Comments', header: true },
        { data: 'Skipped files', header: true },
        { data: 'Latency p50 / p95', header: true },
      ],
      [
        adapter?.id ?? 'base model',
        String(engine.hunks),
        String(comments.length),
        String(skipped.length),
        `${percentile(engine.latenciesMs, 50)} / ${percentile(engine.latenciesMs, 95)} ms`,
      ],
    ])
    .addLink('The review', posted.url)
    .write();
}

/**
 * Adds the review to the reviewer's manifest, so that feedback collection knows which pull
 * requests to revisit. The review is posted by then: a failure here only warns.
 */
async function rememberReview(store: ReviewerStore, review: ReviewRecord): Promise<void> {
  try {
    await store.updateManifest((manifest) => recordReview(manifest, review));
  } catch (error: unknown) {
    core.warning(
      `Could not record the review in ${store.uri('manifest.json')}: ${errorMessage(error)}. Feedback on its comments will not be collected.`,
      { title: 'Review not recorded' },
    );
  }
}

async function readHead(
  octokit: Octokit,
  ref: { owner: string; repo: string; pullNumber: number },
): Promise<{ sha: string; changedFiles: number }> {
  const { data } = await callGitHub('read the pull request', 'pull-requests: read', () =>
    octokit.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber }),
  );
  return { sha: data.head.sha, changedFiles: data.changed_files };
}

/** The head commit and the files GitHub lists, and how many files it leaves out. */
async function readPull(
  octokit: Octokit,
  ref: { owner: string; repo: string; pullNumber: number },
): Promise<{ headSha: string; files: PullFileEntry[]; unlisted: number }> {
  const head = await readHead(octokit, ref);
  const files = await callGitHub('list the pull request files', 'pull-requests: read', () =>
    octokit.paginate(octokit.rest.pulls.listFiles, {
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pullNumber,
      per_page: 100,
    }),
  );
  return {
    headSha: head.sha,
    files,
    unlisted: Math.max(0, head.changedFiles - files.length),
  };
}

async function existingComments(
  octokit: Octokit,
  ref: { owner: string; repo: string; pullNumber: number },
): Promise<{ path: string; line: number | null; side: string | undefined; body: string }[]> {
  const comments = await callGitHub('read the review comments', 'pull-requests: read', () =>
    octokit.paginate(octokit.rest.pulls.listReviewComments, {
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pullNumber,
      per_page: 100,
    }),
  );
  return comments.map((c) => ({ path: c.path, line: c.line ?? null, side: c.side, body: c.body }));
}

/** The min-confidence input when given, else the adapter's calibrated threshold, else the default. */
function confidenceThreshold(
  input: number | undefined,
  adapter: AdapterRecord | undefined,
): { value: number; source: string } {
  if (input !== undefined) return { value: input, source: 'the min-confidence input' };
  const calibrated = adapter?.metrics?.min_confidence;
  if (calibrated !== undefined) {
    return { value: calibrated, source: `calibrated for adapter \`${adapter?.id}\`` };
  }
  return {
    value: BASE_MODEL_MIN_CONFIDENCE,
    source: 'the default for models without a calibrated one',
  };
}

/**
 * The comments worth posting: sure enough, not already on the PR at that place, the surest
 * first, at most `maxComments` (0: none). `overLimit` counts those the cap left out.
 */
function choose(
  candidates: Candidate[],
  existing: { path: string; line: number | null; side: string | undefined; body: string }[],
  minConfidence: number,
  maxComments: number,
): { chosen: Candidate[]; overLimit: number } {
  const taken = new Set(existing.map((c) => `${c.path}\u0000${c.line}\u0000${c.side ?? 'RIGHT'}`));
  const worthPosting: Candidate[] = [];
  for (const c of [...candidates].sort((a, b) => b.confidence - a.confidence)) {
    const place = `${c.path}\u0000${c.anchor.line}\u0000${c.anchor.side}`;
    if (c.confidence < minConfidence || taken.has(place)) continue;
    taken.add(place);
    worthPosting.push(c);
  }
  return {
    chosen: worthPosting.slice(0, maxComments),
    overLimit: Math.max(0, worthPosting.length - maxComments),
  };
}

interface ChosenModel {
  model: string;
  adapter?: AdapterRecord;
  fallback?: string;
  examples?: ChatMessage[];
}

/** The reviewer's adapter when it exists for the served base model, else the base model with a few of their comments as examples. */
async function chooseModel(
  settings: Settings,
  octokit: Octokit,
  ref: IssueRef,
  reviewer: string,
  runUrl: string,
  redactor: Redactor,
): Promise<ChosenModel> {
  const trainingFailed = settings.review.trainingResult === 'failure';
  let reason = 'No S3 location is configured, so no adapter can be found.';
  if (settings.s3) {
    const store = new ReviewerStore(new ObjectStore(settings.s3), ref.owner, ref.repo, reviewer);
    if (trainingFailed) await releaseLockOfFailedTraining(store, runUrl);
    const current = (await store.readManifest())?.manifest.current;
    if (current && current.baseModel === settings.baseModel) {
      const note =
        'Training a new adapter failed (see the train job), so the previous one reviews.';
      return {
        model: current.name,
        adapter: current,
        ...(trainingFailed ? { fallback: note } : {}),
      };
    }
    if (trainingFailed) reason = `Training \`${reviewer}\`'s adapter failed (see the train job).`;
    else if (current) {
      reason = `\`${reviewer}\`'s adapter was trained on ${current.baseModel}, not ${settings.baseModel}.`;
    } else {
      reason = `\`${reviewer}\` has no trained adapter yet (training failed or did not pass the quality gate).`;
    }
  }
  return baseModelFallback(settings, octokit, ref, reviewer, reason, redactor);
}

/** The base model, with a few of the reviewer's past comments as examples of their voice. */
async function baseModelFallback(
  settings: Settings,
  octokit: Octokit,
  ref: IssueRef,
  reviewer: string,
  reason: string,
  redactor: Redactor,
): Promise<ChosenModel> {
  const history = await collectHistory(octokit, ref, reviewer, { maxComments: FEW_SHOT_HISTORY });
  await redactor.scan(history.comments.flatMap((comment) => [comment.body, comment.diffHunk]));
  const examples = fewShotTurns(history, redactor);
  return {
    model: settings.baseModel,
    fallback: `${reason} This review uses the base model with ${examples.length / 2} of \`${reviewer}\`'s past comments as examples, so it sounds less like them.`,
    examples,
  };
}

/**
 * The train job releases its lock on every path it runs; when its Python environment could not
 * be built or its runner died, it never ran, and this job (same workflow run) releases it.
 */
async function releaseLockOfFailedTraining(store: ReviewerStore, runUrl: string): Promise<void> {
  try {
    if (await store.releaseTrainingLock(runUrl))
      core.info('Released the training lock of the failed train job.');
  } catch (error: unknown) {
    core.warning(`Could not release the training lock: ${errorMessage(error)}`);
  }
}

/** Why the server refused the adapter, from what it said and from the adapter's own config. */
async function adapterProblem(
  settings: Settings,
  ref: IssueRef,
  reviewer: string,
  adapter: AdapterRecord,
  engine: EngineResult,
): Promise<string> {
  const facts: string[] = [];
  if (settings.s3) {
    const store = new ReviewerStore(new ObjectStore(settings.s3), ref.owner, ref.repo, reviewer);
    const config = await store.readAdapterConfig(adapter.id).catch((error: unknown) => {
      core.warning(`Could not read the adapter's config: ${errorMessage(error)}`);
      return null;
    });
    if (config === undefined) {
      facts.push(
        `its files are missing from ${store.uri(`adapters/${adapter.id}/`)}; ask again with --force-reload to train a new one`,
      );
    } else if (config) {
      facts.push(
        config.baseModel === settings.baseModel
          ? `it was trained on ${config.baseModel}, so the server must serve that model`
          : `it was trained on ${config.baseModel ?? 'an unknown base model'}, but this review uses ${settings.baseModel}`,
      );
      if (config.rank !== undefined) {
        facts.push(
          `its LoRA rank is ${config.rank}, so the server's --max-lora-rank must be ${config.rank} or more`,
        );
      }
    }
  }
  const refusal = engine.firstError ?? `The model server refused \`${adapter.name}\``;
  return `${refusal}. The adapter \`${adapter.id}\`: ${facts.length ? facts.join('; ') : 'nothing in S3 explains it'}. The server's log (lines from tlb_lora_resolver) names the check that failed.`;
}

function summarizeSkips(skipped: { reason: string }[]): string {
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
}
