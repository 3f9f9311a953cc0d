import * as core from '@actions/core';
import { context } from '@actions/github';
import { errorMessage } from './errors.js';
import { createOctokit } from './github/octokit.js';
import { getSettings } from './settings.js';
import { prepare } from './steps/prepare.js';

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
        throw new Error(
          "The 'review' step is not available in this version of tech-lead-bot yet; only 'prepare' is.",
        );
    }
  } catch (error: unknown) {
    core.setFailed(errorMessage(error));
  }
}
