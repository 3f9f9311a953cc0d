import * as core from '@actions/core';
import type { context as actionContext } from '@actions/github';
import type { Settings } from '../settings.js';
import type { Octokit } from '../github/octokit.js';
import { ActionError, errorMessage } from '../errors.js';
import { replyTo } from '../github/comments.js';
import { reactToComment } from '../github/reactions.js';
import { StatusComment } from '../github/status-comment.js';
import { parseCommand, usage } from '../trigger/command.js';
import { readCommentEvent, type CommentEvent } from '../trigger/event.js';
import { repositoryAccess, userExists } from '../trigger/authorize.js';
import { acceptance, acceptanceLine, feedbackReceived } from '../feedback/acceptance.js';
import { collectFeedback } from '../feedback/collect.js';
import type { CollectedFeedback } from '../feedback/types.js';
import { countNewComments } from '../history/collect.js';
import { ObjectStore } from '../store/object-store.js';
import {
  recordAcceptance,
  ReviewerStore,
  type AdapterRecord,
  type Manifest,
} from '../store/reviewer-store.js';
import type { StatusLine } from '../github/status-document.js';
import { Progress } from './progress.js';
import { prepareTrainingSet } from './training-set.js';

interface Accepted {
  event: CommentEvent;
  reviewer: string;
  forceReload: boolean;
  line: string;
}

/** What the workflow runs after this job (the `next` output). */
type Next = 'train' | 'review' | 'stop';

/**
 * The first job (DESIGN.md, "prepare"): understand the comment, check who asked and whose style
 * they want, acknowledge, look the reviewer's adapter up in S3 and, when a new one is needed,
 * prepare its training set (training-set.ts). Everything addressed to the bot gets an answer on
 * the pull request; everything else ends quietly with one log line.
 */
export async function prepare(
  settings: Settings,
  octokit: Octokit,
  context: typeof actionContext,
): Promise<void> {
  core.setOutput('triggered', 'false');
  core.startGroup('Read the command');
  const accepted = await gate(settings, octokit, context).finally(() => core.endGroup());
  if (accepted === undefined) return;

  let progress: Progress | undefined;
  try {
    const { event, reviewer } = accepted;
    core.startGroup('Acknowledge');
    try {
      await reactToComment(octokit, event.ref, event.comment.id, 'eyes');
      const status = await StatusComment.find(octokit, event.ref, reviewer);
      progress = new Progress(status, reviewer, event.runUrl, (reaction) =>
        reactToComment(octokit, event.ref, event.comment.id, reaction),
      );
      await acknowledge(accepted, progress);
    } finally {
      core.endGroup();
    }
    await lookUpAdapter(settings, octokit, accepted, progress);
  } catch (error: unknown) {
    await reportFailure(octokit, accepted, progress, error);
    throw error;
  }
}

/**
 * Decides between reusing the reviewer's adapter and training a new one; for a new one, takes
 * the training lock and prepares the training set. Sets the outputs the `train` and `review`
 * jobs read, and returns what comes next.
 */
async function lookUpAdapter(
  settings: Settings,
  octokit: Octokit,
  accepted: Accepted,
  progress: Progress,
): Promise<Next> {
  if (!settings.s3) {
    throw new ActionError(
      'The s3-uri input is missing: set it to where adapters are kept, for example s3://my-bucket/tech-lead-bot.',
    );
  }
  const { reviewer, event } = accepted;
  const { ref, runUrl } = event;
  const store = new ReviewerStore(new ObjectStore(settings.s3), ref.owner, ref.repo, reviewer);

  core.startGroup(`Look up ${reviewer}'s adapter`);
  const found = await store.readManifest().finally(() => core.endGroup());
  const feedback = found && (await collectAcceptance(settings, octokit, accepted, found.manifest));
  const manifest = feedback
    ? await store.updateManifest((m) => withAcceptance(m, feedback))
    : found?.manifest;
  const current = manifest?.current;
  if (manifest && current && current.baseModel === settings.baseModel && !accepted.forceReload) {
    return reuse(settings, octokit, accepted, store, manifest, current, progress);
  }

  const lock = await store.acquireTrainingLock(runUrl);
  if (!lock.acquired) {
    await progress.report({
      state: 'note',
      text: `\`${reviewer}\`'s adapter is already being trained by [another run](${lock.lock.runUrl}) (since ${lock.lock.acquiredAt}). Ask again once it has finished.`,
    });
    return finish('stop');
  }
  try {
    const prepared = await prepareTrainingSet(
      settings,
      octokit,
      { ref, reviewer, runUrl },
      store,
      progress,
      feedback,
    );
    if (!prepared) return finish('stop');
    core.setOutput('dataset-uri', prepared.datasetUri);
    core.setOutput('adapter-name', prepared.adapterName);
    return finish('train');
  } catch (error: unknown) {
    await store.releaseTrainingLock(runUrl).catch((releaseError: unknown) => {
      core.warning(`Could not release the training lock: ${String(releaseError)}`);
    });
    throw error;
  }
}

/**
 * The feedback on what the bot said in the reviewer's voice on the pull requests the manifest
 * records, or undefined when it reviewed none. Feedback only improves the next adapter: when it
 * cannot be collected, the run goes on without it and says so.
 */
async function collectAcceptance(
  settings: Settings,
  octokit: Octokit,
  accepted: Accepted,
  manifest: Manifest,
): Promise<CollectedFeedback | undefined> {
  const pulls = [...new Set((manifest.reviews ?? []).map((r) => r.pullNumber))];
  if (pulls.length === 0) return undefined;
  core.startGroup(`Collect feedback on the bot's comments in ${accepted.reviewer}'s voice`);
  try {
    const feedback = await collectFeedback(octokit, accepted.event.ref, accepted.reviewer, pulls, {
      from: settings.feedbackFrom,
    });
    core.info(
      `${feedback.items.length} comments on ${pulls.length} pull requests, in ${feedback.requests} requests.`,
    );
    return feedback;
  } catch (error: unknown) {
    core.warning(
      `Could not collect the feedback on the bot's earlier comments (${errorMessage(error)}); going on without it.`,
      { title: 'Feedback not collected' },
    );
    return undefined;
  } finally {
    core.endGroup();
  }
}

/** The manifest with each adapter's acceptance counts as of this collection. */
function withAcceptance(manifest: Manifest, feedback: CollectedFeedback): Manifest {
  const checkedAt = new Date().toISOString();
  const adapters = [manifest.current, ...manifest.previous].flatMap((a) => (a ? [a.id] : []));
  return adapters.reduce(
    (m, id) => recordAcceptance(m, id, acceptance(feedback.items, id), checkedAt),
    manifest,
  );
}

async function reuse(
  settings: Settings,
  octokit: Octokit,
  accepted: Accepted,
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
    accepted.event.ref,
    accepted.reviewer,
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
      text: `Using \`${accepted.reviewer}\`'s adapter \`${current.id}\`, trained ${current.createdAt.slice(0, 10)} on ${current.comments} review comments.`,
    },
  ];
  const reload = `\`@${settings.handle} ${accepted.reviewer} --force-reload\``;
  if (newComments >= settings.history.staleAfterComments) {
    lines.push({
      state: 'note',
      text: `${newComments} new review comments by \`${accepted.reviewer}\` since then: comment ${reload} to train a fresher adapter.`,
    });
  }
  const { acceptance } = current;
  if (acceptance) {
    lines.push({
      state: 'note',
      text: acceptanceLine(acceptance.counts, acceptance.checkedAt),
    });
    // Its own comments' feedback is all news to the adapter: it was built before any of them.
    const received = feedbackReceived(acceptance.counts);
    if (received >= settings.history.staleAfterFeedback) {
      lines.push({
        state: 'note',
        text: `${received} of its comments were approved, turned down or addressed: comment ${reload} to train an adapter that learns from that feedback.`,
      });
    }
  }
  await progress.report(...lines, { state: 'next', text: 'Next: review this pull request.' });
  return finish('review');
}

async function gate(
  settings: Settings,
  octokit: Octokit,
  context: typeof actionContext,
): Promise<Accepted | undefined> {
  const event = readCommentEvent(context);
  if ('skip' in event) return ignore(event.skip);
  if (event.action !== 'created') {
    return ignore(
      `The comment was ${event.action}, not created: only new comments start a review.`,
    );
  }
  if (event.comment.authorIsBot) {
    return ignore(`The comment is by the bot ${event.comment.author}: bots cannot start a review.`);
  }
  const command = parseCommand(event.comment.body, settings.handle);
  if (command.kind === 'none') {
    return ignore(`No line of the comment starts with @${settings.handle}; nothing to do.`);
  }

  // From here on the comment is addressed to the bot, so every outcome is answered.
  const { ref, comment } = event;
  const refuse = async (message: string): Promise<undefined> => {
    core.warning(message, { title: 'tech-lead-bot did not start' });
    await replyTo(octokit, ref, command.line, message);
    return undefined;
  };
  if (!event.isPullRequest) {
    return refuse('I review pull requests only: comment on a pull request to start a review.');
  }
  const commenterAccess = await repositoryAccess(octokit, ref, comment.author);
  if (commenterAccess !== 'write') {
    return refuse(
      `Sorry, ${comment.author}, only people with write access to this repository can start a review.`,
    );
  }
  if (command.kind === 'invalid') {
    await reactToComment(octokit, ref, comment.id, 'confused');
    return refuse(`${command.problem} Usage: ${usage(settings.handle)}`);
  }
  const { reviewer } = command;
  const refusal = await reviewerRefusal(settings, octokit, event, reviewer);
  if (refusal !== undefined) return refuse(refusal);
  core.info(`${comment.author} asked for a review in the style of ${reviewer}.`);
  return { event, reviewer, forceReload: command.forceReload, line: command.line };
}

/** Why the reviewer's style may not be used, or undefined when it may. */
async function reviewerRefusal(
  settings: Settings,
  octokit: Octokit,
  event: CommentEvent,
  reviewer: string,
): Promise<string | undefined> {
  const allowed = settings.allowedReviewers;
  if (allowed.length > 0) {
    if (!allowed.some((login) => login.toLowerCase() === reviewer.toLowerCase())) {
      return `Sorry, ${reviewer} is not among the reviewers this repository allows (${allowed.join(', ')}).`;
    }
    if (!(await userExists(octokit, reviewer))) {
      return `I cannot find a GitHub user called ${reviewer}. Check the spelling of the login.`;
    }
    return undefined;
  }
  const access = await repositoryAccess(octokit, event.ref, reviewer);
  if (access === 'unknown-user') {
    return `I cannot find ${reviewer} among this repository's users. Check the spelling of the login.`;
  }
  if (access === 'read-only') {
    return `Sorry, ${reviewer} has no write access to this repository, so their review style is not used here. A maintainer can list them in the \`allowed-reviewers\` input.`;
  }
  return undefined;
}

/** The first status, and the outputs that say who asked for whom. */
async function acknowledge(accepted: Accepted, progress: Progress): Promise<void> {
  const { event, reviewer, forceReload } = accepted;
  const { ref, comment } = event;
  const statusId = await progress.report(
    {
      state: 'done',
      text: `${comment.author} asked for a review in the style of \`${reviewer}\`${forceReload ? ', with a freshly trained adapter (`--force-reload`)' : ''}.`,
    },
    {
      state: 'next',
      text: `Next: find \`${reviewer}\`'s adapter, train one if needed, then review this pull request.`,
    },
  );
  core.setOutput('triggered', 'true');
  core.setOutput('reviewer', reviewer);
  core.setOutput('force-reload', String(forceReload));
  core.setOutput('pull-number', String(ref.issueNumber));
  core.setOutput('comment-id', String(comment.id));
  core.setOutput('status-comment-id', String(statusId));
  await core.summary
    .addHeading('tech-lead-bot', 3)
    .addTable([
      [
        { data: 'Pull request', header: true },
        { data: 'Asked by', header: true },
        { data: 'Reviewer', header: true },
        { data: 'Force reload', header: true },
      ],
      [`#${ref.issueNumber}`, comment.author, reviewer, forceReload ? 'yes' : 'no'],
    ])
    .write();
}

/** Best effort: say on the pull request what went wrong; the log has it in any case. */
async function reportFailure(
  octokit: Octokit,
  accepted: Accepted,
  progress: Progress | undefined,
  error: unknown,
): Promise<void> {
  const { event } = accepted;
  try {
    if (progress) await progress.fail(errorMessage(error));
    else {
      await reactToComment(octokit, event.ref, event.comment.id, 'confused');
      await replyTo(octokit, event.ref, accepted.line, errorMessage(error));
    }
  } catch (reportError: unknown) {
    core.warning(`Could not report the failure on the pull request: ${errorMessage(reportError)}`);
  }
}

function ignore(reason: string): undefined {
  core.info(reason);
  return undefined;
}

function finish(next: Next): Next {
  core.setOutput('next', next);
  core.setOutput('needs-training', String(next === 'train'));
  return next;
}
