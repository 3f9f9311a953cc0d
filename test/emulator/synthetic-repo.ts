/**
 * Synthetic repositories whose reviewers are known exactly: the material of the reviewer
 * benchmark (`npm run bench -- quality`) and of the dataset tests.
 *
 * Pull requests are made of real diffs (file patches from this project's own history,
 * test/fixtures/diffs/real-diffs.json) and reviewed by synthetic reviewers whose habits and
 * voices are rules over the diff's content (`SyntheticReviewer`), so that what an adapter should
 * learn is known. The history evolves as a real one does:
 *
 * - pull requests open every `spacingHours` over months, more of them than any cap of the
 *   collector (200 pull requests with files), so some comments sit on older pull requests;
 * - in about half of the commented pull requests a later push rewrites the commented lines:
 *   GitHub marks those comments outdated (`line` null, `original_line` kept, `diff_hunk` cut at
 *   the commented line, `original_commit_id` the head they were written on);
 * - the author answers some comments and the reviewer some answers (replies);
 * - a pull request in which nothing caught the reviewer's eye is approved without a comment.
 *
 * Everything is seeded straight into the emulator's state (no HTTP) and is the same for the
 * same options. `seedSyntheticRepo` returns what each reviewer did, for tests to compare with.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GitHubEmulator } from './emulator.js';
import { diffHunkThrough, parsePatch } from './patch.js';
import { iso, prng } from './seed-history.js';
import type { FileSeed, Side } from './types.js';

/** A row of a hunk as a reviewer reads it. */
export interface SeenRow {
  kind: 'add' | 'del' | 'context';
  text: string;
}

/**
 * A reviewer as rules: `remark` says what they would write about a row of a file's hunk, or
 * nothing. They comment on the first row of a hunk that draws a remark, at most once a hunk.
 */
export interface SyntheticReviewer {
  login: string;
  /** Share of the pull requests they review (the same pull requests for the same seed). */
  reviewShare: number;
  remark(row: SeenRow, path: string): string | undefined;
}

/**
 * Rarely says anything; when they do, a few words about a type cast, a magic number or a
 * silent default (`??`) in code.
 * (Until 2026-12-07 the second habit was "a line over 100 characters": 153 of their 168 comments,
 * and a length no token model sees, so SmolLM2-135M learned only silence. A reviewer's remarks
 * are about content; line length is a linter's job.)
 */
export const TERSE_REVIEWER: SyntheticReviewer = {
  login: 'terse-tom',
  reviewShare: 0.8,
  remark(row) {
    if (row.kind !== 'add') return undefined;
    if (/\sas\s+(?:unknown|any|const\b)?[A-Z{[]/.test(row.text)) return 'Avoid the cast.';
    const code = row.text.trim();
    if (/^(?:\/\/|\/?\*|#)/.test(code)) return undefined;
    if (/(?<![\w.'"`-])\d{3,}\b/.test(code)) return 'Name this number.';
    if (/\?\?/.test(code)) return 'Why a default here?';
    return undefined;
  },
};

/** Reads deletions and error handling closely, and explains at length. */
export const CAREFUL_REVIEWER: SyntheticReviewer = {
  login: 'careful-carla',
  reviewShare: 0.9,
  remark(row) {
    const name = /[A-Za-z_][\w.]{2,}/.exec(row.text.trim())?.[0];
    if (row.kind === 'del' && name && row.text.trim().length > 8) {
      return `Why remove \`${name}\` here? If nothing needs it any more, say so in the description; otherwise keep it.`;
    }
    if (row.kind === 'add' && /\b(?:catch|throw|raise|except|Error\(|finally)\b/.test(row.text)) {
      return 'This changes the error handling: what does the caller see when it fails? Please add a test for that path.';
    }
    return undefined;
  },
};

export interface SyntheticRepoOptions {
  repo?: string;
  pulls?: number;
  reviewers?: SyntheticReviewer[];
  seed?: number;
  /** Share of the commented pull requests whose commented lines a later push rewrites. */
  outdatedShare?: number;
  spacingHours?: number;
}

export interface SyntheticComment {
  id: number;
  pull: number;
  path: string;
  /** Where it was written: the line on its side of the first head's diff. */
  line: number;
  side: Side;
  body: string;
  outdated: boolean;
}

export interface ReviewerTruth {
  login: string;
  /** Their comments that are not replies, newest pull request first. */
  comments: SyntheticComment[];
  /** Pull requests they reviewed, newest first (with and without comments). */
  reviewedPulls: number[];
  /** Of those, the ones they approved without a comment. */
  approvedOnly: number[];
  replies: number;
}

export interface SyntheticRepo {
  repo: string;
  pulls: number;
  reviewers: Map<string, ReviewerTruth>;
}

const DIFFS = JSON.parse(
  readFileSync(new URL('../fixtures/diffs/real-diffs.json', import.meta.url), 'utf8'),
) as { path: string; patch: string }[];
const AUTHORS = ['dev-01', 'dev-02', 'dev-03', 'dev-04', 'dev-05'];
const START = Date.UTC(2025, 0, 6, 9);
const HOUR = 3_600_000;
const ANSWERS = ['Done.', 'Good point, fixed.', 'Kept it on purpose: see the description.'];

export function seedSyntheticRepo(
  gh: GitHubEmulator,
  options: SyntheticRepoOptions = {},
): SyntheticRepo {
  const repo = options.repo ?? 'acme/synthetic';
  const pulls = options.pulls ?? 250;
  const reviewers = options.reviewers ?? [TERSE_REVIEWER, CAREFUL_REVIEWER];
  const outdatedShare = options.outdatedShare ?? 0.5;
  const spacing = (options.spacingHours ?? 36) * HOUR;
  // One random stream for the pull requests and one for each reviewer, so that changing one
  // reviewer's habits leaves the pull requests and the other reviewers' histories as they were.
  const seed = options.seed ?? 20250106;
  const random = prng(seed);
  const int = integers(random);
  const streams = new Map(
    reviewers.map((r) => {
      const own = prng(seed ^ hashOf(r.login));
      return [r.login, { random: own, int: integers(own) }];
    }),
  );
  const streamOf = (login: string) => streams.get(login) ?? { random, int };
  const pick = deck(int);

  gh.addRepo(repo);
  for (const login of [...AUTHORS, ...reviewers.map((r) => r.login)]) {
    gh.addUser(login);
    gh.setPermission(repo, login, 'write');
  }
  const truths = new Map(
    reviewers.map((r) => [
      r.login,
      {
        login: r.login,
        comments: [],
        reviewedPulls: [],
        approvedOnly: [],
        replies: 0,
      } as ReviewerTruth,
    ]),
  );

  for (let n = 1; n <= pulls; n++) {
    const opened = START + n * spacing;
    const author = AUTHORS[int(0, AUTHORS.length - 1)] ?? 'dev-01';
    const files = pickFiles(int, pick);
    const firstHead = sha(repo, n, 'first push');
    gh.addPullRequest(repo, {
      number: n,
      user: author,
      title: `Change ${n}`,
      state: n > pulls - 10 ? 'open' : 'closed',
      created_at: iso(opened),
      head_sha: firstHead,
      files,
    });

    // Who reviews, and what each would say about the first head's diff.
    const plans = reviewers
      .filter((r) => streamOf(r.login).random() < r.reviewShare)
      .map((reviewer) => ({ reviewer, remarks: remarksOn(reviewer, files) }));
    const pushedAgain = random() < outdatedShare;
    const rewrite = plans.some((p) => p.remarks.length > 0) && pushedAgain;
    let at = opened + int(1, 20) * HOUR;
    const written: { id: number; user: string; remark: Remark }[] = [];
    for (const { reviewer, remarks } of plans) {
      const truth = truths.get(reviewer.login);
      if (!truth) continue;
      truth.reviewedPulls.unshift(n);
      at += streamOf(reviewer.login).int(1, 90) * 60_000;
      if (remarks.length === 0) {
        truth.approvedOnly.unshift(n);
        gh.addReview(repo, n, { user: reviewer.login, state: 'APPROVED', submitted_at: iso(at) });
        continue;
      }
      const review = gh.addReview(repo, n, {
        user: reviewer.login,
        state: 'COMMENTED',
        commit_id: firstHead,
        submitted_at: iso(at),
      });
      for (const remark of remarks) {
        const comment = gh.addReviewComment(repo, n, {
          user: reviewer.login,
          body: remark.body,
          path: remark.path,
          diff_hunk: remark.diffHunk,
          line: rewrite ? null : remark.line,
          original_line: remark.line,
          side: remark.side,
          commit_id: firstHead,
          original_commit_id: firstHead,
          created_at: iso(at),
          review_id: review.id,
        });
        written.push({ id: comment.id, user: reviewer.login, remark });
        truth.comments.unshift({
          id: comment.id,
          pull: n,
          path: remark.path,
          line: remark.line,
          side: remark.side,
          body: remark.body,
          outdated: rewrite,
        });
      }
    }

    // The author answers some comments; the reviewer now and then answers back.
    for (const { id, user, remark } of written) {
      const own = streamOf(user);
      if (own.random() >= 0.3) continue;
      at += own.int(5, 300) * 60_000;
      const answer = gh.addReviewComment(repo, n, {
        user: author,
        body: ANSWERS[own.int(0, ANSWERS.length - 1)] ?? 'Done.',
        path: remark.path,
        diff_hunk: remark.diffHunk,
        line: rewrite ? null : remark.line,
        original_line: remark.line,
        side: remark.side,
        commit_id: firstHead,
        in_reply_to_id: id,
        created_at: iso(at),
      });
      if (own.random() < 0.5) {
        at += own.int(5, 300) * 60_000;
        gh.addReviewComment(repo, n, {
          user,
          body: 'Thanks.',
          path: remark.path,
          diff_hunk: remark.diffHunk,
          line: rewrite ? null : remark.line,
          original_line: remark.line,
          side: remark.side,
          commit_id: firstHead,
          in_reply_to_id: answer.id,
          created_at: iso(at),
        });
        const truth = truths.get(user);
        if (truth) truth.replies += 1;
      }
    }

    if (rewrite) {
      // The later push rewrites every commented line, so GitHub outdates those comments.
      const touched = new Set(written.map((w) => `${w.remark.path}\u0000${w.remark.line}`));
      gh.pushToPullRequest(repo, n, {
        head_sha: sha(repo, n, 'second push'),
        files: files.map((file) => ({
          ...file,
          ...(file.patch === undefined ? {} : { patch: rewriteLines(file, touched) }),
        })),
      });
    }
  }
  return { repo, pulls, reviewers: truths };
}

interface Remark {
  path: string;
  line: number;
  side: Side;
  body: string;
  /** GitHub's diff_hunk: the hunk from its header down to the commented line. */
  diffHunk: string;
}

type Int = (min: number, max: number) => number;

function integers(random: () => number): Int {
  return (min, max) => min + Math.floor(random() * (max - min + 1));
}

function hashOf(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0);
}

/**
 * Draws real patches as from a shuffled deck, shuffled again once dealt: every patch appears once
 * before any appears twice, so the history holds as many distinct hunks as its size allows.
 */
function deck(int: Int): () => { path: string; patch: string } | undefined {
  let cards: number[] = [];
  return () => {
    if (cards.length === 0) {
      cards = DIFFS.map((_, i) => i);
      for (let i = cards.length - 1; i > 0; i--) {
        const j = int(0, i);
        [cards[i], cards[j]] = [cards[j] ?? 0, cards[i] ?? 0];
      }
    }
    return DIFFS[cards.pop() ?? 0];
  };
}

/** One to three real file patches; a patch appears at most once in a pull request. */
function pickFiles(int: Int, draw: () => { path: string; patch: string } | undefined): FileSeed[] {
  const chosen = new Map<string, { path: string; patch: string }>();
  for (let i = int(1, 3); i > 0; i--) {
    const diff = draw();
    if (diff) chosen.set(diff.path, diff);
  }
  return [...chosen.values()].map((diff) => {
    const lines = diff.patch.split('\n');
    return {
      filename: diff.path,
      status: 'modified',
      patch: diff.patch,
      additions: lines.filter((l) => l.startsWith('+')).length,
      deletions: lines.filter((l) => l.startsWith('-')).length,
    };
  });
}

/** The reviewer's comment on each hunk that draws one: on its first row that does. */
function remarksOn(reviewer: SyntheticReviewer, files: FileSeed[]): Remark[] {
  const remarks: Remark[] = [];
  for (const file of files) {
    const hunks = parsePatch(file.patch ?? '');
    for (const hunk of hunks) {
      for (const [index, line] of hunk.lines.entries()) {
        if (line.kind === 'note') continue;
        const body = reviewer.remark(
          { kind: line.kind, text: hunk.text[index + 1]?.slice(1) ?? '' },
          file.filename,
        );
        if (body === undefined) continue;
        const side: Side = line.kind === 'del' ? 'LEFT' : 'RIGHT';
        const number = side === 'LEFT' ? line.oldLine : line.newLine;
        if (number === null) continue;
        remarks.push({
          path: file.filename,
          line: number,
          side,
          body,
          diffHunk: diffHunkThrough(hunks, line),
        });
        break;
      }
    }
  }
  return remarks;
}

/**
 * The file's patch after a later push that rewrites each commented line: an added line reads
 * differently, a kept one is changed, a deleted one is replaced by a new version. Hunk headers
 * are recounted, so later line numbers move as they would.
 */
function rewriteLines(file: FileSeed, touched: Set<string>): string {
  const out: string[] = [];
  let moved = 0;
  for (const hunk of parsePatch(file.patch ?? '')) {
    const rows: string[] = [];
    for (const [index, line] of hunk.lines.entries()) {
      const raw = hunk.text[index + 1] ?? '';
      const number = line.kind === 'del' ? line.oldLine : line.newLine;
      const revised = `+${raw.slice(1)} // revised after review`;
      if (line.kind === 'note' || !touched.has(`${file.filename}\u0000${number}`)) rows.push(raw);
      else if (line.kind === 'add') rows.push(revised);
      else rows.push(`-${raw.slice(1)}`, revised);
    }
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(hunk.header);
    const oldCount = rows.filter((r) => !r.startsWith('+') && !r.startsWith('\\')).length;
    const newCount = rows.filter((r) => !r.startsWith('-') && !r.startsWith('\\')).length;
    const before = hunk.lines.filter((l) => l.kind === 'add' || l.kind === 'context').length;
    out.push(
      `@@ -${header?.[1] ?? 1},${oldCount} +${Number(header?.[2] ?? 1) + moved},${newCount} @@${header?.[3] ?? ''}`,
      ...rows,
    );
    moved += newCount - before;
  }
  return out.join('\n');
}

function sha(repo: string, n: number, what: string): string {
  return createHash('sha1').update(`${repo}#${n}:${what}`).digest('hex');
}

/**
 * `count` more pull requests of real diffs that nobody reviews: where the bot reviews in a
 * reviewer's voice for the benchmark's feedback round (`bench quality`). They open after every
 * seeded one; the reviewer's history does not change, so neither does their held-out set.
 */
export function seedUnreviewedPulls(
  gh: GitHubEmulator,
  synthetic: SyntheticRepo,
  count: number,
  seed: number,
): { number: number; files: FileSeed[] }[] {
  const int = integers(prng(seed));
  const pick = deck(int);
  const seeded: { number: number; files: FileSeed[] }[] = [];
  for (let i = 0; i < count; i++) {
    const files = pickFiles(int, pick);
    const number = gh.addPullRequest(synthetic.repo, {
      user: AUTHORS[int(0, AUTHORS.length - 1)] ?? 'dev-01',
      title: `Later change ${i + 1}`,
      created_at: iso(START + (synthetic.pulls + 1 + i) * 36 * HOUR),
      head_sha: sha(synthetic.repo, synthetic.pulls + 1 + i, `unreviewed ${seed}`),
      files,
    }).number;
    seeded.push({ number, files });
  }
  return seeded;
}

/**
 * How a synthetic reviewer reacts to a comment made in their voice on a file of a pull request:
 * 👍 when it is on the row they would have commented on, 👎 when they would have left its hunk
 * alone, nothing when they would have said something elsewhere in that hunk.
 */
export function reactionTo(
  reviewer: SyntheticReviewer,
  file: FileSeed,
  comment: { line: number; side: Side },
): '+1' | '-1' | undefined {
  const hunks = parsePatch(file.patch ?? '');
  const shown = hunks.find((hunk) =>
    hunk.lines.some((l) => (comment.side === 'LEFT' ? l.oldLine : l.newLine) === comment.line),
  );
  if (!shown) return '-1';
  const remark = remarksOn(reviewer, [{ ...file, patch: shown.text.join('\n') }])[0];
  if (!remark) return '-1';
  return remark.line === comment.line && remark.side === comment.side ? '+1' : undefined;
}
