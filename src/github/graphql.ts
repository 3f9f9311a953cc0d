/** One GraphQL request with a time limit and counted retries, shared by every GraphQL reader. */
import type { Octokit } from './octokit.js';

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A page of a connection as our queries select it. */
export interface Connection<T> {
  pageInfo: PageInfo;
  nodes: (T | null)[] | null;
}

/** Requests sent so far, kept by the caller across routes and phases. */
export interface RequestTally {
  requests: number;
}

export interface QueryLimits {
  /** A GraphQL request slower than this is abandoned. */
  timeoutMs: number;
  /** Retries of a failed GraphQL request (GitHub's 5xx and timeouts of its own). */
  retries: number;
}

/** Sends `query`, counting it in `tally`; a request slower than `timeoutMs` fails with that said. */
export async function timedQuery<T>(
  octokit: Octokit,
  query: string,
  variables: Record<string, unknown>,
  limits: QueryLimits,
  tally: RequestTally,
): Promise<T> {
  tally.requests += 1;
  // An abort (not a TimeoutError) is what the retry plugin leaves alone: the caller gives up
  // at once instead of retrying a request that already took too long.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    return await octokit.graphql<T>(query, {
      ...variables,
      request: { signal: controller.signal, retries: limits.retries },
    });
  } catch (error: unknown) {
    if (!controller.signal.aborted) throw error;
    throw new Error(`a GraphQL request took longer than ${limits.timeoutMs} ms`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** The nodes of a connection GitHub answered, without the nulls it may put in their place. */
export function* present<T>(items: (T | null)[] | null | undefined): Iterable<T> {
  for (const item of items ?? []) if (item !== null) yield item;
}
