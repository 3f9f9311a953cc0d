/**
 * Whose reactions and replies count as feedback on the bot's comments. Never a stranger's: on a
 * public repository anyone can react, and a drive-by 👎 must not teach the next adapter.
 */
import * as core from '@actions/core';
import type { RequestTally } from '../github/graphql.js';
import type { Octokit } from '../github/octokit.js';
import type { RepoRef } from '../history/collect.js';
import type { FeedbackFrom } from '../settings.js';
import { repositoryAccess } from '../trigger/authorize.js';

/**
 * Distinct logins whose write access is checked at most, one request each: far more people than
 * react to one reviewer's comments, and a bound on what a crowd of strangers can make us spend.
 */
export const MAX_PERMISSION_CHECKS = 50;

export class WhoCounts {
  private readonly checked = new Map<string, Promise<boolean>>();
  private warned = false;

  constructor(
    private readonly octokit: Octokit,
    private readonly ref: RepoRef,
    private readonly reviewer: string,
    private readonly from: FeedbackFrom,
    private readonly tally: RequestTally,
  ) {}

  /** The reviewer always; with `writers`, anyone with write access (asked once per login). */
  async counts(login: string): Promise<boolean> {
    const key = login.toLowerCase();
    if (key === this.reviewer.toLowerCase()) return true;
    if (this.from !== 'writers') return false;
    let known = this.checked.get(key);
    if (known === undefined) {
      if (this.checked.size >= MAX_PERMISSION_CHECKS) {
        this.warnOnce();
        return false;
      }
      this.tally.requests += 1;
      known = repositoryAccess(this.octokit, this.ref, login).then((access) => access === 'write');
      this.checked.set(key, known);
    }
    return known;
  }

  private warnOnce(): void {
    if (this.warned) return;
    this.warned = true;
    core.warning(
      `More than ${MAX_PERMISSION_CHECKS} people reacted to or answered the bot's comments in ${this.reviewer}'s voice: the feedback of the others is not counted.`,
      { title: 'Feedback partly counted' },
    );
  }
}
