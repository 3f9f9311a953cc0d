import type { Octokit } from '../github/octokit.js';
import { gitHubFailure, hasStatus } from '../github/errors.js';
import type { IssueRef } from '../github/repo.js';

/** Legacy permission levels GitHub reports: `maintain` reads as `write`, `triage` as `read`. */
const CAN_WRITE = new Set(['admin', 'write']);

export type Access = 'write' | 'read-only' | 'unknown-user';

/** What a login may do in the repository, from GitHub's collaborator permission. */
export async function repositoryAccess(
  octokit: Octokit,
  ref: Pick<IssueRef, 'owner' | 'repo'>,
  login: string,
): Promise<Access> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: ref.owner,
      repo: ref.repo,
      username: login,
    });
    return CAN_WRITE.has(data.permission) ? 'write' : 'read-only';
  } catch (error: unknown) {
    if (hasStatus(error, 404)) return 'unknown-user';
    throw gitHubFailure(error, `check ${login}'s permission on the repository`, 'metadata: read');
  }
}

/** Whether a GitHub user exists, for when allowed-reviewers names reviewers explicitly. */
export async function userExists(octokit: Octokit, login: string): Promise<boolean> {
  try {
    await octokit.rest.users.getByUsername({ username: login });
    return true;
  } catch (error: unknown) {
    if (hasStatus(error, 404)) return false;
    throw gitHubFailure(error, `look up the GitHub user ${login}`, undefined);
  }
}
