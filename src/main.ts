import * as core from '@actions/core';
import { context } from '@actions/github';
import { errorMessage } from './errors.js';
import { createOctokit } from './github/octokit.js';
import { getSettings } from './settings.js';
import { prepare } from './steps/prepare.js';
import { review } from './steps/review.js';

/** Runs the step the workflow asked for; every failure ends here, in one clear message. */
export async function run(): Promise<void> {
  try {
    const settings = getSettings();
    const octokit = createOctokit(settings.githubToken);
    switch (settings.step) {
      case 'prepare':
        await prepare(settings, octokit, context);
        break;
      case 'review':
        await review(settings, octokit, context);
        break;
    }
  } catch (error: unknown) {
    core.setFailed(errorMessage(error));
  }
}
