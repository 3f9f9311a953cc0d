import * as core from '@actions/core';
import { GitHub, getOctokitOptions } from '@actions/github/lib/utils';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

const Client = GitHub.plugin(paginateRest, retry, throttling);
export type Octokit = InstanceType<typeof Client>;

/** Waits longer than this are not worth holding a runner for: fail with a clear message. */
const MAX_WAIT_SECONDS = 120;

/**
 * The one GitHub client of a run. Server errors are retried with backoff (1 s, 4 s, 9 s);
 * client errors never are, except rate limits, which wait as long as GitHub asks when that
 * is short.
 */
export function createOctokit(token: string): Octokit {
  return new Client(
    getOctokitOptions(token, {
      retry: { retries: 3, doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
      throttle: {
        onRateLimit: (retryAfter, options, _octokit, retryCount) => {
          const retryIt = retryCount < 1 && retryAfter <= MAX_WAIT_SECONDS;
          core.warning(
            `GitHub rate limit reached for ${options.method} ${options.url}; ${retryIt ? `retrying in ${retryAfter} s` : 'giving up'}.`,
          );
          return retryIt;
        },
        onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
          const retryIt = retryCount < 2 && retryAfter <= MAX_WAIT_SECONDS;
          core.warning(
            `GitHub secondary rate limit for ${options.method} ${options.url}; ${retryIt ? `retrying in ${retryAfter} s` : 'giving up'}.`,
          );
          return retryIt;
        },
      },
    }),
  );
}
