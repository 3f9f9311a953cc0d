import * as core from '@actions/core';
import type { Settings } from '../settings.js';
import type { Octokit } from '../github/octokit.js';
import type { IssueRef } from '../github/repo.js';
import { ActionError } from '../errors.js';
import { buildDataset, datasetDigest, toJsonl, type Dataset } from '../dataset/build.js';
import { collectHistory, countNewComments, collectDatasetFiles } from '../history/collect.js';
import { ObjectStore } from '../store/object-store.js';
import { fewShotOutside } from '../prompt/few-shot.js';
import { Redactor } from '../text/redact.js';
import { ReviewerStore, type AdapterRecord, type Manifest } from '../store/reviewer-store.js';
import type { Progress } from './progress.js';
import type { StatusLine } from '../github/status-document.js';

const EVAL_FRACTION = 0.1;

export interface LearnRequest {
  ref: IssueRef;
  reviewer: string;
  forceReload: boolean;
  runUrl: string;
}

export type Next = 'train' | 'review' | 'stop';

/**
 * Decides between reusing the reviewer's adapter and training a new one; for a new one,
 * collects their history, builds the dataset, stores it in S3 and takes the training lock.
 * Sets the outputs the `train` and `review` jobs read, and returns what comes next.
 */
export async function learn(
  settings: Settings,
  octokit: Octokit,
  request: LearnRequest,
  progress: Progress,
): Promise<Next> {
  if (!settings.s3) {
    throw new ActionError(
      'The s3-uri input is missing: set it to where adapters are kept, for example s3://my-bucket/tech-lead-bot.',
    );
  }
  const { ref, reviewer } = request;
  const store = new ReviewerStore(new ObjectStore(settings.s3), ref.owner, ref.repo, reviewer);

  core.startGroup(`Look up ${reviewer}'s adapter`);
  const found = await store.readManifest().finally(() => core.endGroup());
  const current = found?.manifest.current;
  if (current && current.baseModel === settings.baseModel && !request.forceReload) {
    return reuse(settings, octokit, request, store, found.manifest, current, progress);
  }

  const lock = await store.acquireTrainingLock(request.runUrl);
  if (!lock.acquired) {
    await progress.report({
      state: 'note',
      text: `\`${reviewer}\`'s adapter is already being trained by [another run](${lock.lock.runUrl}) (since ${lock.lock.acquiredAt}). Ask again once it has finished.`,
    });
    return finish('stop');
  }
  try {
    return await prepareTraining(settings, octokit, request, store, progress);
  } catch (error: unknown) {
    await store.releaseTrainingLock(request.runUrl).catch((releaseError: unknown) => {
      core.warning(`Could not release the training lock: ${String(releaseError)}`);
    });
    throw error;
  }
}

async function reuse(
  settings: Settings,
  octokit: Octokit,
  request: LearnRequest,
  store: ReviewerStore,
  manifest: Manifest,
  current: AdapterRecord,
  progress: Progress,
): Promise<Next> {
  // Counting restarts whenever the adapter changed since the last count.
  const known = manifest.freshness?.adapterId === current.id ? manifest.freshness : undefined;
  core.startGroup('Count new review comments');
  const fresh = await countNewComments(
    octokit,
    request.ref,
    request.reviewer,
    known?.cursor ?? { since: current.createdAt },
  ).finally(() => core.endGroup());
  const newComments = (known?.newComments ?? 0) + fresh.count;
  if (fresh.count > 0 || known?.cursor.etag !== fresh.cursor.etag) {
    await store.updateManifest((m) => ({
      ...m,
      freshness: { adapterId: current.id, newComments, cursor: fresh.cursor },
    }));
  }
  core.setOutput('adapter-name', current.name);
  const lines: StatusLine[] = [
    {
      state: 'done',
      text: `Using \`${request.reviewer}\`'s adapter \`${current.id}\`, trained ${current.createdAt.slice(0, 10)} on ${current.comments} review comments.`,
    },
  ];
  if (newComments >= settings.history.staleAfterComments) {
    lines.push({
      state: 'note',
      text: `${newComments} new review comments by \`${request.reviewer}\` since then: comment \`@${settings.handle} ${request.reviewer} --force-reload\` to train a fresher adapter.`,
    });
  }
  await progress.report(...lines, { state: 'next', text: 'Next: review this pull request.' });
  return finish('review');
}

async function prepareTraining(
  settings: Settings,
  octokit: Octokit,
  request: LearnRequest,
  store: ReviewerStore,
  progress: Progress,
): Promise<Next> {
  const { ref, reviewer } = request;
  core.startGroup(`Collect ${reviewer}'s review comments`);
  const history = await collectHistory(octokit, ref, reviewer, {
    maxComments: settings.history.maxComments,
  }).finally(() => core.endGroup());
  core.info(
    `${history.comments.length} comments on ${history.pulls.length} pull requests, ${history.requests} requests (${history.route}).`,
  );
  // Fewer comments than the cap in a cut history: the REST fallback's page cap cut it.
  const capped = !history.truncated
    ? ''
    : history.comments.length < settings.history.maxComments
      ? ' (the most recent only: the REST fallback stopped at its page cap, see the job log)'
      : ` (the most recent ${settings.history.maxComments}, the max-history-comments cap)`;
  await progress.report(
    {
      state: 'done',
      text: `Found ${history.comments.length} review comments${capped} by \`${reviewer}\` on ${history.pulls.length} pull requests.`,
    },
    { state: 'next', text: 'Next: build the training set.' },
  );

  core.startGroup('Build the dataset');
  let dataset: Dataset;
  // secretlint's rules run over everything the dataset is made of before any of it is written.
  const redactor = new Redactor();
  try {
    const { files, seen } = await collectDatasetFiles(octokit, ref, history);
    await redactor.scan([
      ...history.comments.flatMap((comment) => [comment.body, comment.diffHunk]),
      ...[...files.values(), ...seen.values()].flat().map((file) => file.patch ?? ''),
    ]);
    dataset = buildDataset(
      history,
      files,
      {
        redactor,
        maxHunkTokens: settings.maxHunkTokens,
        negativeRatio: settings.history.negativeRatio,
        evalFraction: EVAL_FRACTION,
        wholeHunksOnly: true,
      },
      seen,
    );
  } finally {
    core.endGroup();
  }
  const { stats } = dataset;
  if (stats.positives < settings.history.minComments) {
    await store.releaseTrainingLock(request.runUrl);
    const message = `Only ${stats.positives} usable review comments by \`${reviewer}\` in this repository (of ${stats.comments} found; at least ${settings.history.minComments} are needed, the min-history-comments input), so no adapter is trained.`;
    core.warning(message.replace(/`/g, ''), { title: 'Not enough review history' });
    await progress.fail(message);
    return finish('stop');
  }

  const digest = datasetDigest(dataset);
  const adapterId = ReviewerStore.adapterId(digest, settings.baseModel, request.runUrl);
  const adapterName = store.adapterName(adapterId);
  const datasetUri = await store.uploadDataset(digest, {
    'train.jsonl': toJsonl(dataset.train),
    'eval.jsonl': toJsonl(dataset.eval),
    'meta.json': `${JSON.stringify(
      {
        reviewer,
        repository: `${ref.owner}/${ref.repo}`,
        baseModel: settings.baseModel,
        adapterId,
        adapterName,
        stats,
        // What the review step's base-model fallback would show: the trainer's baseline.
        fewShot: fewShotOutside(
          history,
          dataset.eval.map((example) => example.meta.pr),
          redactor,
        ),
        redactions: dataset.redactions,
        retain: settings.history.retainDatasets,
        createdAt: new Date().toISOString(),
      },
      null,
      2,
    )}\n`,
  });
  await store.updateManifest((m) => ({
    ...m,
    pending: {
      adapterId,
      adapterName,
      baseModel: settings.baseModel,
      datasetDigest: digest,
      datasetUri,
      comments: stats.comments,
      requestedAt: new Date().toISOString(),
      runUrl: request.runUrl,
    },
  }));

  const skipped = [
    [stats.replies, 'replies'],
    [stats.empty, 'without words'],
    [stats.botLike, 'bot-like'],
    [stats.duplicates, 'duplicates'],
    [stats.unanchored, 'not on a line of their hunk'],
    [stats.partialHunks, 'outdated or without their whole hunk'],
  ]
    .filter(([count]) => Number(count) > 0)
    .map(([count, what]) => `${count} ${what}`);
  await progress.report(
    {
      state: 'done',
      text: `Built ${dataset.train.length} training and ${dataset.eval.length} evaluation examples (${stats.positives} comments, ${stats.negatives} hunks left alone) from ${stats.pulls} pull requests${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}; redacted ${dataset.redactionsTotal} secrets.`,
    },
    {
      state: 'next',
      text: `Next: train \`${reviewer}\`'s adapter on the GPU runner, then review.`,
    },
  );
  core.setOutput('dataset-uri', datasetUri);
  core.setOutput('adapter-name', adapterName);
  return finish('train');
}

function finish(next: Next): Next {
  core.setOutput('next', next);
  core.setOutput('needs-training', String(next === 'train'));
  return next;
}
