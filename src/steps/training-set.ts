import * as core from '@actions/core';
import type { Settings } from '../settings.js';
import type { Octokit } from '../github/octokit.js';
import type { IssueRef } from '../github/repo.js';
import {
  buildDataset,
  datasetDigest,
  toJsonl,
  type Dataset,
  type FeedbackStats,
} from '../dataset/build.js';
import { withFeedback } from '../dataset/feedback.js';
import type { CollectedFeedback } from '../feedback/types.js';
import { collectHistory, collectDatasetFiles } from '../history/collect.js';
import { fewShotOutside } from '../prompt/few-shot.js';
import { Redactor } from '../text/redact.js';
import { ReviewerStore } from '../store/reviewer-store.js';
import type { Progress } from './progress.js';

const EVAL_FRACTION = 0.1;

export interface TrainingRequest {
  ref: IssueRef;
  reviewer: string;
  runUrl: string;
}

/**
 * The prepare job's second half, when a new adapter is needed (DESIGN.md, "prepare"): collect
 * the reviewer's history, build the dataset, upload it next to the reviewer's manifest and mark
 * it pending. Returns the dataset's URI and the adapter's name for the `train` job, or
 * undefined when the history is too small to train on (the caller then stops; the lock is
 * released here, the status comment says why). With `feedback` (the reviewer's feedback on the
 * bot's comments in their voice), the training split also learns from it (withFeedback).
 */
export async function prepareTrainingSet(
  settings: Settings,
  octokit: Octokit,
  request: TrainingRequest,
  store: ReviewerStore,
  progress: Progress,
  feedback?: CollectedFeedback,
): Promise<{ datasetUri: string; adapterName: string } | undefined> {
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
    const feedbackItems = feedback?.items ?? [];
    // Only a comment that makes an example needs its diff: an ignored one says nothing.
    const { files, seen } = await collectDatasetFiles(
      octokit,
      ref,
      history,
      feedbackItems.filter((item) => item.verdict !== 'ignored').map(({ comment }) => comment),
    );
    await redactor.scan([
      ...history.comments.flatMap((comment) => [comment.body, comment.diffHunk]),
      ...feedbackItems.flatMap((item) => [item.comment.body, item.correction ?? '']),
      ...[...files.values(), ...seen.values()].flat().map((file) => file.patch ?? ''),
    ]);
    const built = buildDataset(
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
    dataset = feedback
      ? withFeedback(built, feedback, seen, {
          reviewer: history.reviewer,
          maxHunkTokens: settings.maxHunkTokens,
          redactor,
        })
      : built;
  } finally {
    core.endGroup();
  }
  const { stats } = dataset;
  if (stats.positives < settings.history.minComments) {
    await store.releaseTrainingLock(request.runUrl);
    const message = `Only ${stats.positives} usable review comments by \`${reviewer}\` in this repository (of ${stats.comments} found; at least ${settings.history.minComments} are needed, the min-history-comments input), so no adapter is trained.`;
    core.warning(message.replace(/`/g, ''), { title: 'Not enough review history' });
    await progress.fail(message);
    return undefined;
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
    [stats.unmatched, 'without a hunk left alone of their length'],
  ]
    .filter(([count]) => Number(count) > 0)
    .map(([count, what]) => `${count} ${what}`);
  await progress.report(
    {
      state: 'done',
      text: `Built ${dataset.train.length} training and ${dataset.eval.length} evaluation examples (${stats.positives} comments, ${stats.negatives} hunks left alone${fromFeedback(stats.feedback)}) from ${stats.pulls} pull requests${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}; redacted ${dataset.redactionsTotal} secrets.`,
    },
    {
      state: 'next',
      text: `Next: train \`${reviewer}\`'s adapter on the GPU runner, then review.`,
    },
  );
  return { datasetUri, adapterName };
}

/** What the feedback added, for the status line: ", 7 from feedback on the bot's comments". */
function fromFeedback(stats: FeedbackStats | undefined): string {
  if (!stats) return '';
  const added = stats.positives + stats.negatives + stats.corrections;
  return `, ${added} from feedback on the bot's comments`;
}
