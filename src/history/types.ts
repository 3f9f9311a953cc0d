import type { Side } from '../diff/hunks.js';

/** One pull-request review comment by the reviewer, with what they saw when writing it. */
export interface PastComment {
  id: number;
  pullNumber: number;
  body: string;
  path: string;
  /** GitHub's `diff_hunk`: the hunk from its header down to the commented line. */
  diffHunk: string;
  /** Line in the current diff; null once the comment is outdated. */
  line: number | null;
  /** Line in the diff the comment was written on. */
  originalLine: number | null;
  side: Side | null;
  startLine: number | null;
  commitId: string;
  originalCommitId: string;
  /** The comment this one answers, when it is a reply in a thread. */
  inReplyToId: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A file of a pull request the reviewer reviewed, as the pull-request files API gives it. */
export interface PullFile {
  filename: string;
  status: string;
  patch?: string;
}

/** A pull request the reviewer reviewed, with when it was opened (for the time split). */
export interface ReviewedPull {
  number: number;
  createdAt: string;
  /** The base commit of its diff: an older head's diff is read against it. */
  baseSha: string;
}

export interface History {
  reviewer: string;
  comments: PastComment[];
  pulls: ReviewedPull[];
  /** True when the cap on collected comments stopped the collection early. */
  truncated: boolean;
}

/** Files of a pull request's diff as of a head it had: `seenAt(pull, commit)` keys them. */
export type FilesSeen = Map<string, PullFile[]>;

export function seenAt(pullNumber: number, commit: string): string {
  return `${pullNumber}@${commit}`;
}
