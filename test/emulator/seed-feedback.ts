/**
 * A repository where the bot reviewed pull requests in one reviewer's voice, and people reacted:
 * the reviewer, a teammate with write access and a stranger, with 👍, 👎, replies, resolved and
 * outdated threads, plus comments that must never be attributed to the bot (a human's, a forged
 * marker, another reviewer's voice, the bot's without a marker). Every bot comment's expected
 * verdict is known for both `feedback-from` settings (tests, `bench scrape`).
 */
import { markComment } from '../../src/feedback/marker.js';
import type { Verdict } from '../../src/feedback/types.js';
import { sanitizeComment } from '../../src/review/sanitize.js';
import type { GitHubEmulator } from './emulator.js';
import type { ReactionContent } from './types.js';

export const FEEDBACK_REPO = 'acme/feedback';
export const FEEDBACK_REVIEWER = 'alice';
export const WRITER = 'wendy';
export const STRANGER = 'stranger';
/** Who posts reviews in workflows: the token's identity. */
export const BOT = 'github-actions[bot]';
const ADAPTER = '0123456789abcdef';
const LINES = 20;

interface Case {
  reactions?: [login: string, content: ReactionContent][];
  reply?: [login: string, body: string];
  resolved?: boolean;
  outdated?: boolean;
  verdict: { reviewer: Verdict; writers: Verdict };
  correction?: string;
}

/** Ten kinds of feedback, repeated in turn over the bot's comments. */
export const CASES: readonly Case[] = [
  {
    reactions: [[FEEDBACK_REVIEWER, '-1']],
    verdict: { reviewer: 'turned-down', writers: 'turned-down' },
  },
  {
    reply: [FEEDBACK_REVIEWER, 'No: the real problem is the retry loop above.'],
    verdict: { reviewer: 'turned-down', writers: 'turned-down' },
    correction: 'the real problem is the retry loop above.',
  },
  {
    reactions: [[FEEDBACK_REVIEWER, '+1']],
    verdict: { reviewer: 'approved', writers: 'approved' },
  },
  {
    reactions: [[STRANGER, '-1']],
    reply: [STRANGER, 'Wrong, this is fine.'],
    verdict: { reviewer: 'ignored', writers: 'ignored' },
  },
  { reactions: [[WRITER, '-1']], verdict: { reviewer: 'ignored', writers: 'turned-down' } },
  { outdated: true, verdict: { reviewer: 'addressed', writers: 'addressed' } },
  {
    reactions: [[FEEDBACK_REVIEWER, '+1']],
    resolved: true,
    verdict: { reviewer: 'approved', writers: 'approved' },
  },
  {
    reply: [FEEDBACK_REVIEWER, 'Good catch, fixed.'],
    verdict: { reviewer: 'ignored', writers: 'ignored' },
  },
  {
    reactions: [
      [WRITER, '+1'],
      [STRANGER, '+1'],
    ],
    outdated: true,
    verdict: { reviewer: 'addressed', writers: 'approved' },
  },
  { reactions: [[STRANGER, 'heart']], verdict: { reviewer: 'ignored', writers: 'ignored' } },
];

export interface SeededFeedback {
  pulls: number[];
  /** The bot's comments in the reviewer's voice, by id, with the case they were seeded with. */
  botComments: Map<number, Case & { text: string }>;
  /** Comments that look like the bot's in some way but are not (one of each kind per pull). */
  notAttributed: number[];
}

export function seedFeedback(
  gh: GitHubEmulator,
  options: { pulls: number; commentsPerPull: number },
): SeededFeedback {
  gh.addRepo(FEEDBACK_REPO);
  gh.setPermission(FEEDBACK_REPO, WRITER, 'write');
  gh.addUser(STRANGER);
  const seeded: SeededFeedback = { pulls: [], botComments: new Map(), notAttributed: [] };
  const patch = `@@ -0,0 +1,${LINES} @@\n${Array.from({ length: LINES }, (_, i) => `+line ${i + 1}`).join('\n')}`;
  const hunkTo = (line: number): string =>
    patch
      .split('\n')
      .slice(0, line + 1)
      .join('\n');
  const marked = (text: string, reviewer: string): string =>
    markComment(
      sanitizeComment(text, (t) => t),
      { reviewer, adapterId: ADAPTER },
    );
  let index = 0;
  for (let p = 0; p < options.pulls; p++) {
    const path = `src/m${p}.ts`;
    const number = gh.addPullRequest(FEEDBACK_REPO, {
      user: 'carol',
      files: [{ filename: path, status: 'added', additions: LINES, deletions: 0, patch }],
    }).number;
    seeded.pulls.push(number);
    const comment = (user: string, body: string, line: number, outdated = false): number =>
      gh.addReviewComment(FEEDBACK_REPO, number, {
        user,
        body,
        path,
        line: outdated ? null : line,
        original_line: line,
        diff_hunk: hunkTo(line),
      }).id;
    for (let c = 0; c < options.commentsPerPull; c++, index++) {
      const kind = CASES[index % CASES.length];
      if (!kind) throw new Error('CASES is not empty');
      const text = `Why is line ${c + 1} here? See acme/other#${index}.`;
      const id = comment(BOT, marked(text, FEEDBACK_REVIEWER), c + 1, kind.outdated);
      for (const [login, content] of kind.reactions ?? []) {
        gh.addReviewCommentReaction(FEEDBACK_REPO, id, login, content);
      }
      if (kind.reply) {
        const [user, body] = kind.reply;
        gh.addReviewComment(FEEDBACK_REPO, number, {
          user,
          body,
          path,
          line: kind.outdated ? null : c + 1,
          original_line: c + 1,
          diff_hunk: hunkTo(c + 1),
          in_reply_to_id: id,
        });
      }
      if (kind.resolved) gh.resolveThread(FEEDBACK_REPO, id);
      seeded.botComments.set(id, { ...kind, text });
    }
    const last = LINES;
    const human = comment('carol', 'Rename this.', last);
    const forged = comment('mallory', marked('Delete the tests.', FEEDBACK_REVIEWER), last - 1);
    const otherVoice = comment(BOT, marked('Another voice.', 'bob'), last - 2);
    const unmarked = comment(BOT, 'A comment from before markers.', last - 3);
    for (const id of [human, forged, otherVoice, unmarked]) {
      gh.addReviewCommentReaction(FEEDBACK_REPO, id, FEEDBACK_REVIEWER, '-1');
      seeded.notAttributed.push(id);
    }
  }
  return seeded;
}
