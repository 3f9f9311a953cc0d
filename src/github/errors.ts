import { ActionError } from '../errors.js';

/** GitHub's answer when GITHUB_TOKEN lacks a permission the workflow did not grant. */
export const NOT_ACCESSIBLE_BY_INTEGRATION = 'Resource not accessible by integration';
const SECONDARY_RATE_LIMIT = /secondary rate limit/i;

export interface RequestFailure {
  status: number;
  message: string;
  response?: { headers: Record<string, string | number | undefined> };
}

export function isRequestFailure(error: unknown): error is RequestFailure {
  return (
    error instanceof Error &&
    'status' in error &&
    typeof error.status === 'number' &&
    typeof error.message === 'string'
  );
}

export function hasStatus(error: unknown, status: number): boolean {
  return isRequestFailure(error) && error.status === status;
}

/**
 * Runs one GitHub call and turns a failure into a message that says what to do about it.
 * `action` completes "Could not ..."; `permission` is what the workflow must grant for it.
 */
export async function callGitHub<T>(
  action: string,
  permission: string | undefined,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error: unknown) {
    throw gitHubFailure(error, action, permission);
  }
}

/** An error for a failed GitHub call whose message says what to do about it. */
export function gitHubFailure(
  error: unknown,
  action: string,
  permission: string | undefined,
): ActionError {
  return new ActionError(explain(error, action, permission), { cause: error });
}

function explain(error: unknown, action: string, permission: string | undefined): string {
  const what = `Could not ${action}`;
  if (!isRequestFailure(error))
    return `${what}: ${error instanceof Error ? error.message : String(error)}`;
  const { status, message } = error;
  const headers = error.response?.headers ?? {};
  if (status === 401) {
    return `${what}: GitHub rejected the token (401 Bad credentials). Leave the github-token input at its default, \${{ github.token }}, or pass a valid token.`;
  }
  if (status === 403 && message.includes(NOT_ACCESSIBLE_BY_INTEGRATION)) {
    const grant = permission ?? 'the permission this call needs';
    return `${what}: the workflow's token is not allowed to (403 ${NOT_ACCESSIBLE_BY_INTEGRATION}). Grant \`${grant}\` in the workflow's \`permissions:\`.`;
  }
  if ((status === 403 || status === 429) && SECONDARY_RATE_LIMIT.test(message)) {
    return `${what}: GitHub's secondary rate limit still applied after retrying (${status}). Wait a few minutes and comment again.`;
  }
  if ((status === 403 || status === 429) && String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    const when =
      Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : '';
    return `${what}: the token's GitHub API rate limit is used up${when}. Comment again after that.`;
  }
  if (status >= 500) {
    return `${what}: GitHub answered ${status} even after retrying. GitHub may be having trouble; comment again later.`;
  }
  return `${what}: GitHub answered ${status} ${message}`;
}
