import type { Side } from '../diff/hunks.js';

/**
 * What a reviewer's feedback on one of the bot's comments in their voice says, strongest first:
 * they turned it down (👎, or a reply saying so), approved it (👍), the author changed the
 * commented line in a later push (the thread is outdated: "addressed"), or nothing happened.
 */
export type Verdict = 'approved' | 'turned-down' | 'addressed' | 'ignored';

export const VERDICTS: readonly Verdict[] = ['approved', 'turned-down', 'addressed', 'ignored'];

/** One inline comment the bot posted in a reviewer's voice, found by its hidden marker. */
export interface BotComment {
  id: number;
  pullNumber: number;
  path: string;
  /** The line it was posted on, in the diff of `commitId` (GitHub's `originalLine`). */
  line: number;
  side: Side;
  /** What the bot said, as the model wrote it: the marker removed, markdown escapes undone. */
  body: string;
  /** GitHub's `diffHunk` of the comment: the hunk from its header down to the commented line. */
  diffHunk: string;
  /** The head the review was posted on (GitHub's `originalCommit`). */
  commitId: string;
  /** The reviewer whose voice it was written in, and the adapter that wrote it (from the marker). */
  reviewer: string;
  adapterId: string;
  createdAt: string;
}

/** A reply in the comment's thread by someone whose feedback counts. */
export interface FeedbackReply {
  author: string;
  body: string;
  createdAt: string;
}

/** The feedback on one bot comment, from the people whose feedback counts only. */
export interface FeedbackItem {
  comment: BotComment;
  /** Logins whose feedback counts that reacted 👍 (THUMBS_UP). */
  approvedBy: string[];
  /** Logins whose feedback counts that reacted 👎 (THUMBS_DOWN) or replied turning it down. */
  turnedDownBy: string[];
  replies: FeedbackReply[];
  resolved: boolean;
  /** The commented line changed in a later push of the pull request (the thread is outdated). */
  addressed: boolean;
  verdict: Verdict;
  /**
   * The reviewer's own remark for that line, when they turned the comment down with a reply that
   * says what they would have said instead: the reply without its refusal ("No: the real problem
   * is …" → "the real problem is …", readReply's `rest`).
   */
  correction?: string;
}

/** Everything the bot said in one reviewer's voice in a repository, with what came of it. */
export interface CollectedFeedback {
  reviewer: string;
  items: FeedbackItem[];
  /** GitHub requests the collection spent. */
  requests: number;
}

/** How many of an adapter's comments ended with each verdict. */
export type AcceptanceCounts = Record<Verdict, number>;
