/**
 * A repository with a long review history, built straight into an emulator's state (no HTTP), the
 * same every time for a given seed: pull requests with real patches, review comments anchored on
 * their lines, reviews that own them, and one reviewer whose history is known exactly — including
 * comments on their own pull requests, replies, outdated comments (null `line`) and pull requests
 * they approved without a word.
 */
import { createHash } from 'node:crypto';
import type { GitHubEmulator } from './emulator.js';
import type { FileSeed, ReviewCommentSeed } from './types.js';

export interface HistoryScale {
  pulls: number;
  /** Review comments by everyone, the reviewer's included. */
  comments: number;
  reviewerComments: number;
  /** Pull requests the reviewer commented on. */
  reviewerPulls: number;
}

/** The benchmark's repository (issue 3). */
export const BENCH_SCALE: HistoryScale = {
  pulls: 5000,
  comments: 50_000,
  reviewerComments: 800,
  reviewerPulls: 300,
};

/** Small enough for a test to collect over REST in a few dozen requests. */
export const TEST_SCALE: HistoryScale = {
  pulls: 200,
  comments: 2000,
  reviewerComments: 120,
  reviewerPulls: 40,
};

export interface SeededHistory {
  repo: string;
  reviewer: string;
  /** The reviewer's review comments, newest first (by creation, then id). */
  commentIds: number[];
  /** Pull requests the reviewer commented on. */
  pulls: number[];
  /** The reviewer's own pull requests among those. */
  ownPulls: number[];
  /** Pull requests the reviewer approved without commenting. */
  approvedOnly: number[];
  replies: number;
  outdated: number;
  /** The newest creation time of any comment, to count new ones from. */
  newestCommentAt: string;
}

interface Row {
  kind: 'add' | 'del' | 'context';
  oldLine?: number;
  newLine?: number;
}

interface PlannedFile {
  seed: FileSeed;
  hunks: { header: string; lines: string[]; rows: Row[] }[];
}

interface PlannedComment {
  user: string;
  createdAt: number;
  file: number;
  hunk: number;
  row: number;
  outdated: boolean;
  /** Index of the answered comment in the pull request's plan. */
  replyTo?: number;
  body: string;
}

const HOUR = 3_600_000;
const START = Date.UTC(2023, 0, 2, 9);
/** Pull requests open every three hours: 5,000 of them span about 21 months. */
const PULL_SPACING = 3 * HOUR;
const OTHERS = 24;
const OWN_SHARE = 0.1;
const REPLY_SHARE = 0.15;
const OWN_REPLY_SHARE = 0.7;
const OUTDATED_SHARE = 0.1;
const APPROVED_ONLY_SHARE = 0.1;

const REMARKS = [
  'This allocates on every call; hoist it out of the loop.',
  'Can we name this after what it means rather than what it is?',
  'Missing a test for the empty case.',
  'nit: prefer early return here.',
  'This swallows the error; log it or rethrow with context.',
  'Is this safe to call concurrently?',
  'Please keep the public API unchanged in this PR.',
  'Why not reuse the helper in utils?',
  'This needs a comment explaining the magic number.',
  'Off by one when the list is empty?',
];

/** mulberry32: small, fast and good enough to make seeded data look varied. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A time as GitHub writes it: whole seconds, `Z`. */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function seedHistory(
  gh: GitHubEmulator,
  options: { scale: HistoryScale; repo?: string; reviewer?: string; seed?: number },
): SeededHistory {
  const { scale } = options;
  const repo = options.repo ?? 'acme/monorepo';
  const reviewer = options.reviewer ?? 'Alice-Reviewer';
  const random = prng(options.seed ?? 20240501);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const others = Array.from({ length: OTHERS }, (_, i) => `dev-${String(i + 1).padStart(2, '0')}`);

  gh.addRepo(repo);
  gh.addUser(reviewer);
  gh.setPermission(repo, reviewer, 'write');
  for (const login of others) gh.addUser(login);

  // Who opened what: the reviewer opens a share of the pull requests like everyone else.
  const authors = Array.from({ length: scale.pulls }, () =>
    random() < 1 / (OTHERS + 1) ? reviewer : pick(others),
  );
  const numbers = Array.from({ length: scale.pulls }, (_, i) => i + 1);
  const ownNumbers = numbers.filter((n) => authors[n - 1] === reviewer);
  const othersNumbers = numbers.filter((n) => authors[n - 1] !== reviewer);
  const ownTarget = Math.min(ownNumbers.length, Math.round(scale.reviewerPulls * OWN_SHARE));
  const reviewerPulls = new Set([
    ...shuffle(ownNumbers, random).slice(0, ownTarget),
    ...shuffle(othersNumbers, random).slice(0, scale.reviewerPulls - ownTarget),
  ]);
  const approvedOnly = shuffle(
    othersNumbers.filter((n) => !reviewerPulls.has(n)),
    random,
  ).slice(0, Math.round(scale.reviewerPulls * APPROVED_ONLY_SHARE));

  // Comments per pull request: the reviewer's spread over their pull requests (one at least),
  // everyone else's over all of them.
  const reviewerCount = new Map<number, number>([...reviewerPulls].map((n) => [n, 1]));
  const chosen = [...reviewerPulls];
  for (let i = reviewerPulls.size; i < scale.reviewerComments; i++) {
    const n = pick(chosen);
    reviewerCount.set(n, (reviewerCount.get(n) ?? 0) + 1);
  }
  const othersCount = new Map<number, number>();
  for (let i = 0; i < scale.comments - scale.reviewerComments; i++) {
    const n = int(1, scale.pulls);
    othersCount.set(n, (othersCount.get(n) ?? 0) + 1);
  }

  const files = numbers.map((n) => planFiles(n, int, random));
  for (const n of numbers) {
    gh.addPullRequest(repo, {
      number: n,
      user: authors[n - 1] ?? reviewer,
      title: `Change ${n}`,
      state: n > scale.pulls - 20 ? 'open' : 'closed',
      created_at: iso(START + n * PULL_SPACING),
      head_sha: shaOf(n, 'head'),
      files: (files[n - 1] ?? []).map((f) => f.seed),
    });
  }

  const truth: { id: number; createdAt: string }[] = [];
  let replies = 0;
  let outdated = 0;
  let newest = 0;
  for (const n of numbers) {
    const opened = START + n * PULL_SPACING;
    const headSha = shaOf(n, 'head');
    const author = authors[n - 1] ?? reviewer;
    const planned = files[n - 1] ?? [];
    const plan: PlannedComment[] = [];
    const at = (): number => opened + int(1, 7 * 24 * 60) * 60_000 + int(0, 59) * 1000;
    const anchor = (): Pick<PlannedComment, 'file' | 'hunk' | 'row'> => {
      const file = int(0, planned.length - 1);
      const hunk = int(0, (planned[file]?.hunks.length ?? 1) - 1);
      return { file, hunk, row: int(0, (planned[file]?.hunks[hunk]?.rows.length ?? 1) - 1) };
    };
    const reviewers = shuffle(
      others.filter((o) => o !== author),
      random,
    ).slice(0, int(1, 3));
    for (let i = 0; i < (othersCount.get(n) ?? 0); i++) {
      plan.push({
        user: pick(reviewers),
        createdAt: at(),
        ...anchor(),
        outdated: random() < OUTDATED_SHARE,
        body: `${pick(REMARKS)} (#${n}.${i})`,
      });
    }
    const replyShare = author === reviewer ? OWN_REPLY_SHARE : REPLY_SHARE;
    const answerable = plan.length;
    for (let i = 0; i < (reviewerCount.get(n) ?? 0); i++) {
      const replying = answerable > 0 && random() < replyShare;
      const parent = replying ? int(0, answerable - 1) : undefined;
      const parentPlan = parent === undefined ? undefined : plan[parent];
      plan.push({
        user: reviewer,
        createdAt: Math.max(at(), (parentPlan?.createdAt ?? 0) + 60_000),
        ...(parentPlan
          ? { file: parentPlan.file, hunk: parentPlan.hunk, row: parentPlan.row }
          : anchor()),
        outdated: parentPlan ? parentPlan.outdated : random() < OUTDATED_SHARE,
        ...(parent === undefined ? {} : { replyTo: parent }),
        body: `${pick(REMARKS)} — ${reviewer.toLowerCase()} on #${n}, ${i}`,
      });
    }

    // One review per author and pull request for their first comments; each reply its own.
    const reviewIds = new Map<string, number>();
    const reviewOf = (comment: PlannedComment, index: number): number => {
      const key = comment.replyTo === undefined ? comment.user : `${comment.user}#${index}`;
      const known = reviewIds.get(key);
      if (known !== undefined) return known;
      const submitted = plan
        .filter((c, j) => (c.replyTo === undefined ? c.user : `${c.user}#${j}`) === key)
        .reduce((latest, c) => Math.max(latest, c.createdAt), 0);
      const review = gh.addReview(repo, n, {
        user: comment.user,
        state: comment.replyTo === undefined && random() < 0.3 ? 'CHANGES_REQUESTED' : 'COMMENTED',
        submitted_at: iso(submitted),
      });
      reviewIds.set(key, review.id);
      return review.id;
    };

    const ids: number[] = [];
    const oldSha = shaOf(n, 'first push');
    plan.forEach((comment, index) => {
      const file = planned[comment.file];
      const hunk = file?.hunks[comment.hunk];
      const row = hunk?.rows[comment.row];
      if (!file || !hunk || !row) throw new Error('seed plan out of range');
      const line = row.kind === 'del' ? (row.oldLine ?? null) : (row.newLine ?? null);
      const seed: ReviewCommentSeed = {
        user: comment.user,
        body: comment.body,
        path: file.seed.filename,
        diff_hunk: [hunk.header, ...hunk.lines.slice(0, comment.row + 1)].join('\n'),
        line: comment.outdated ? null : line,
        original_line: line,
        side: row.kind === 'del' ? 'LEFT' : 'RIGHT',
        commit_id: headSha,
        original_commit_id: comment.outdated ? oldSha : headSha,
        created_at: iso(comment.createdAt),
        review_id: reviewOf(comment, index),
      };
      const parentId = comment.replyTo === undefined ? undefined : ids[comment.replyTo];
      if (parentId !== undefined) seed.in_reply_to_id = parentId;
      const created = gh.addReviewComment(repo, n, seed);
      ids.push(created.id);
      newest = Math.max(newest, comment.createdAt);
      if (comment.user === reviewer) {
        truth.push({ id: created.id, createdAt: created.created_at });
        if (comment.replyTo !== undefined) replies++;
        if (comment.outdated) outdated++;
      }
    });
  }
  for (const n of approvedOnly) {
    gh.addReview(repo, n, {
      user: reviewer,
      state: 'APPROVED',
      submitted_at: iso(START + n * PULL_SPACING + 2 * HOUR),
    });
  }

  truth.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  return {
    repo,
    reviewer,
    commentIds: truth.map((t) => t.id),
    pulls: [...reviewerPulls].sort((a, b) => b - a),
    ownPulls: [...reviewerPulls].filter((n) => authors[n - 1] === reviewer).sort((a, b) => b - a),
    approvedOnly: approvedOnly.sort((a, b) => b - a),
    replies,
    outdated,
    newestCommentAt: iso(newest),
  };
}

function shaOf(n: number, what: string): string {
  return createHash('sha1').update(`${n}:${what}`).digest('hex');
}

/** Fisher–Yates with a seeded random source: the same order for the same seed. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const DIRS = ['src/api', 'src/core', 'src/ui', 'lib', 'test'];

/** One to three modified files, each with one or two hunks of context, deletions and additions. */
function planFiles(
  n: number,
  int: (min: number, max: number) => number,
  random: () => number,
): PlannedFile[] {
  return Array.from({ length: int(1, 3) }, (_, f) => {
    const hunks: PlannedFile['hunks'] = [];
    let oldAt = int(1, 200);
    let shift = 0;
    const hunkCount = int(1, 2);
    for (let h = 0; h < hunkCount; h++) {
      const rows: Row[] = [];
      const lines: string[] = [];
      let oldLine = oldAt;
      let newLine = oldAt + shift;
      const push = (kind: Row['kind'], text: string): void => {
        if (kind === 'add') rows.push({ kind, newLine: newLine++ });
        else if (kind === 'del') rows.push({ kind, oldLine: oldLine++ });
        else rows.push({ kind, oldLine: oldLine++, newLine: newLine++ });
        lines.push(`${kind === 'add' ? '+' : kind === 'del' ? '-' : ' '}${text}`);
      };
      const deletions = int(0, 3);
      const additions = int(1, 5);
      for (let i = 0; i < 3; i++) push('context', `  const ctx${f}_${h}_${i} = load(${i});`);
      for (let i = 0; i < deletions; i++) push('del', `  legacy${i}(ctx, ${n});`);
      for (let i = 0; i < additions; i++) {
        push('add', `  ${random() < 0.5 ? 'await ' : ''}step${i}(ctx, ${n}, ${f});`);
      }
      for (let i = 0; i < 2; i++) push('context', `  return done${i};`);
      const oldCount = rows.filter((r) => r.kind !== 'add').length;
      const newCount = rows.filter((r) => r.kind !== 'del').length;
      const header = `@@ -${oldAt},${oldCount} +${oldAt + shift},${newCount} @@ function part${h}() {`;
      hunks.push({ header, lines, rows });
      shift += newCount - oldCount;
      oldAt = oldLine + int(10, 40);
    }
    const filename = `${DIRS[(n + f) % DIRS.length]}/module-${n % 97}-${f}.ts`;
    const patch = hunks.map((h) => [h.header, ...h.lines].join('\n')).join('\n');
    return { seed: { filename, status: 'modified' as const, patch }, hunks };
  });
}
