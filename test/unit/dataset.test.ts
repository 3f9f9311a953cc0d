import { describe, expect, it } from '@jest/globals';
import {
  buildDataset,
  datasetDigest,
  toJsonl,
  type DatasetOptions,
} from '../../src/dataset/build.js';
import { cleanBody, rejection } from '../../src/text/clean.js';
import { Redactor } from '../../src/text/redact.js';
import { NO_COMMENT } from '../../src/prompt/prompt.js';
import { seenAt, type History, type PastComment, type PullFile } from '../../src/history/types.js';

const OPTIONS: DatasetOptions = {
  maxHunkTokens: 512,
  negativeRatio: 1,
  evalFraction: 0.1,
  wholeHunksOnly: true,
};
/** Few-shot examples may use GitHub's diff_hunk. */
const DIFF_HUNKS: DatasetOptions = { ...OPTIONS, wholeHunksOnly: false };

const PATCH = [
  '@@ -1,4 +1,5 @@',
  ' import { load } from "./load";',
  '-const cache = {};',
  '+const cache = new Map();',
  '+const ttl = 60;',
  ' export function find(id) {',
  '   return load(id);',
  '@@ -20,2 +21,3 @@ export function save() {',
  '   write();',
  '+  flush();',
  ' }',
].join('\n');

let nextId = 1;
function comment(pr: number, overrides: Partial<PastComment> = {}): PastComment {
  const id = nextId++;
  return {
    id,
    pullNumber: pr,
    body: `Prefer a Map here, comment ${id}.`,
    path: 'src/find.ts',
    diffHunk:
      '@@ -1,4 +1,5 @@\n import { load } from "./load";\n-const cache = {};\n+const cache = new Map();',
    line: 2,
    originalLine: 2,
    side: 'RIGHT',
    startLine: null,
    commitId: 'a'.repeat(40),
    originalCommitId: 'a'.repeat(40),
    inReplyToId: null,
    createdAt: `2026-01-${String(pr).padStart(2, '0')}T10:00:00Z`,
    updatedAt: `2026-01-${String(pr).padStart(2, '0')}T10:00:00Z`,
    ...overrides,
  };
}

function history(comments: PastComment[], pulls = 10): History {
  return {
    reviewer: 'alice',
    comments,
    pulls: Array.from({ length: pulls }, (_, i) => ({
      number: i + 1,
      createdAt: `2026-01-${String(i + 1).padStart(2, '0')}T09:00:00Z`,
      baseSha: 'b'.repeat(40),
    })),
    truncated: false,
  };
}

function files(prs: number[]): Map<number, PullFile[]> {
  return new Map(
    prs.map((pr) => [
      pr,
      [
        { filename: 'src/find.ts', status: 'modified', patch: PATCH },
        {
          filename: 'src/other.ts',
          status: 'added',
          patch: '@@ -0,0 +1,2 @@\n+export const a = 1;\n+export const b = 2;',
        },
        // Left alone, as long as the commented hunk and different in each pull request.
        {
          filename: `src/util${pr}.ts`,
          status: 'modified',
          patch: `@@ -1,5 +1,6 @@\n import { read } from "./read";\n-const size = ${pr};\n+const size = ${pr + 1};\n+const unit = "kb";\n export function get() {\n   return read(size);`,
        },
      ],
    ]),
  );
}

describe('buildDataset', () => {
  it('makes a positive example at the commented line with the whole hunk of the pull request', () => {
    const c = comment(1);
    const dataset = buildDataset(history([c], 1), files([1]), { ...OPTIONS, negativeRatio: 0 });
    expect(dataset.train).toHaveLength(1);
    const [system, user, assistant] = dataset.train[0]?.messages ?? [];
    expect(system?.content).toContain('You are alice');
    // The whole hunk, not just GitHub's diff_hunk that stops at the commented line.
    expect(user?.content).toContain('line 5:    return load(id);');
    expect(assistant?.content).toBe(`line 2: Prefer a Map here, comment ${c.id}.`);
    expect(dataset.train[0]?.meta).toEqual({
      pr: 1,
      path: 'src/find.ts',
      kind: 'positive',
      commentId: c.id,
    });
  });

  it('leaves out comments without their whole hunk, which would teach a shortcut', () => {
    const outdated = comment(1, { line: null, originalLine: 2 });
    const withoutFiles = comment(2);
    const dataset = buildDataset(history([outdated, withoutFiles], 2), files([1]), OPTIONS);
    expect(dataset.stats).toMatchObject({ positives: 0, partialHunks: 2 });
  });

  it('shows an outdated comment with the whole hunk of the head it was written on', () => {
    const c = comment(1, { line: null, originalLine: 2, originalCommitId: 'f'.repeat(40) });
    const seen = new Map([[seenAt(1, 'f'.repeat(40)), files([1]).get(1) ?? []]]);
    const dataset = buildDataset(history([c], 1), new Map(), OPTIONS, seen);
    expect(dataset.stats).toMatchObject({ positives: 1, partialHunks: 0 });
    expect(dataset.train[0]?.messages[1]?.content).toContain('line 5:    return load(id);');
    expect(dataset.train[0]?.messages[2]?.content).toMatch(/^line 2: /);
  });

  it('uses diff_hunk and the original line for outdated comments when asked to', () => {
    const c = comment(1, { line: null, originalLine: 2 });
    const dataset = buildDataset(history([c], 1), new Map(), DIFF_HUNKS);
    expect(dataset.train[0]?.messages[1]?.content).not.toContain('return load(id)');
    expect(dataset.train[0]?.messages[2]?.content).toMatch(/^line 2: /);
  });

  it('anchors a comment on a deleted line on the old side', () => {
    const c = comment(1, { line: 2, originalLine: 2, side: 'LEFT', body: 'Why drop the object?' });
    const dataset = buildDataset(history([c], 1), files([1]), { ...OPTIONS, negativeRatio: 0 });
    expect(dataset.train[0]?.messages[2]?.content).toBe('old line 2: Why drop the object?');
  });

  it('drops replies, empty and bot-like comments, unanchored ones and exact duplicates, and counts them', () => {
    const kept = comment(1);
    const dataset = buildDataset(
      history(
        [
          kept,
          { ...kept, id: 99 },
          comment(1, { inReplyToId: kept.id }),
          comment(1, { body: '👍' }),
          comment(1, { body: '/retest' }),
          comment(1, { body: 'Nice <!-- generated --> tool output' }),
          comment(1, { line: 40, originalLine: 40 }),
          comment(1, { line: null, originalLine: null }),
        ],
        1,
      ),
      files([1]),
      { ...OPTIONS, negativeRatio: 0 },
    );
    expect(dataset.stats).toMatchObject({
      comments: 8,
      positives: 1,
      replies: 1,
      empty: 1,
      botLike: 2,
      // Not on a line of the pull request's patch (line 40, or outdated): no whole hunk.
      partialHunks: 2,
      duplicates: 1,
    });
  });

  it('adds negatives from hunks the reviewer left alone, at the asked ratio', () => {
    const comments = [1, 2, 3].map((pr) => comment(pr));
    const dataset = buildDataset(history(comments, 3), files([1, 2, 3]), {
      ...OPTIONS,
      evalFraction: 0,
    });
    const negatives = dataset.train.filter((e) => e.meta.kind === 'negative');
    expect(negatives).toHaveLength(3);
    for (const negative of negatives) {
      expect(negative.messages[2]?.content).toBe(NO_COMMENT);
      // The commented hunk (lines 1-5 of src/find.ts) is never a negative.
      expect(negative.messages[1]?.content).not.toContain('const cache = new Map();');
    }
  });

  it('uses a hunk left alone once, however many pull requests show it', () => {
    // src/find.ts's second hunk reads the same in all three pull requests.
    const comments = [1, 2, 3].map((pr) => comment(pr));
    const dataset = buildDataset(history(comments, 3), files([1, 2, 3]), {
      ...OPTIONS,
      negativeRatio: 3,
      evalFraction: 0,
    });
    const shown = dataset.train
      .filter((e) => e.meta.kind === 'negative')
      .map((e) => e.messages[1]?.content);
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown).size).toBe(shown.length);
  });

  it('leaves out a comment when no hunk left alone is as long as its hunk, and counts it', () => {
    const long = comment(1, { line: 2 });
    const lonely = files([1]);
    // Only hunks of other lengths are left alone: a positive kept beside them would let a
    // model decide by length.
    lonely.set(
      1,
      (lonely.get(1) ?? []).filter((f) => !f.filename.startsWith('src/util')),
    );
    const dataset = buildDataset(history([long], 1), lonely, { ...OPTIONS, evalFraction: 0 });
    expect(dataset.stats).toMatchObject({ positives: 0, unmatched: 1 });
  });

  it('holds out the newest pull requests, whole, with both kinds of example', () => {
    const comments = Array.from({ length: 10 }, (_, i) => comment(i + 1));
    const dataset = buildDataset(history(comments), files([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), {
      ...OPTIONS,
      evalFraction: 0.2,
    });
    const held = new Set(dataset.eval.map((e) => e.meta.pr));

    expect(held.has(10)).toBe(true);
    expect(dataset.train.some((e) => held.has(e.meta.pr))).toBe(false);
    const kinds = (examples: typeof dataset.eval): number[] =>
      (['positive', 'negative'] as const).map(
        (k) => examples.filter((e) => e.meta.kind === k).length,
      );
    // A fifth of each kind (10 positives, 10 negatives), give or take what a pull request holds.
    const [positives = 0, negatives = 0] = kinds(dataset.eval);
    expect(positives).toBeGreaterThanOrEqual(2);
    expect(negatives).toBeGreaterThanOrEqual(2);
    expect(Math.min(...kinds(dataset.train))).toBeGreaterThanOrEqual(6);
    expect(dataset.stats).toMatchObject({ pulls: 10, evalPulls: held.size });
  });

  it('holds out an older pull request when the newest ones have only one kind of example', () => {
    // Pull requests 3 and 4 have nothing the reviewer left alone; 1 and 2 do.
    const commentedOnly =
      '@@ -1,2 +1,3 @@\n import { load } from "./load";\n+const ttl = 60;\n export {};';
    const all = files([1, 2]);
    for (const pr of [3, 4]) {
      all.set(pr, [{ filename: 'src/find.ts', status: 'modified', patch: commentedOnly }]);
    }
    const comments = [1, 2, 3, 4].map((pr) => comment(pr));
    const dataset = buildDataset(history(comments, 4), all, { ...OPTIONS, evalFraction: 0.25 });
    const heldOut = new Set(dataset.eval.map((e) => e.meta.pr));

    // Pull request 4's comment is left out: the one hunk left alone of its length (three rows,
    // the same text in 1 and 2) is pull request 3's comment's negative.
    expect(dataset.stats.unmatched).toBe(1);
    expect(heldOut).toEqual(new Set([3, 2]));
    for (const split of [dataset.train, dataset.eval]) {
      expect(new Set(split.map((e) => e.meta.kind))).toEqual(new Set(['positive', 'negative']));
    }
  });

  it('redacts secrets in hunks and comments and counts them', async () => {
    const key = ['AKIA', 'Q3W7ZK2M5XN8TB4R'].join('');
    const c = comment(1, {
      body: `Never commit ${key}!`,
      diffHunk: `@@ -1,1 +1,2 @@\n const a = 1;\n+const key = "${key}";`,
    });
    const redactor = new Redactor();
    await redactor.scan([c.body, c.diffHunk]);
    const dataset = buildDataset(history([c], 1), new Map(), { ...DIFF_HUNKS, redactor });
    const text = toJsonl(dataset.train);
    expect(text).not.toContain(key);
    expect(dataset.redactions.aws).toBe(2);
  });

  it('keeps text that was not valid UTF-8 (replacement characters, lone surrogates) writable as JSON', () => {
    const c = comment(1, {
      body: 'Broken bytes \uFFFD\uFFFD and a lone \uD800 surrogate here.',
      diffHunk: '@@ -1,1 +1,2 @@\n const a = 1;\n+const s = "\uD800\u0000\uFFFD";',
      line: 2,
      originalLine: 2,
    });
    const dataset = buildDataset(history([c], 1), new Map(), DIFF_HUNKS);
    const line = toJsonl(dataset.train).trim();
    expect(dataset.train).toHaveLength(1);
    // JSON.stringify escapes the lone surrogate, so the file is valid UTF-8 JSON lines.
    expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
    expect(line).toContain('\\ud800');
  });

  it('bounds hunks by tokens, keeping the commented line', () => {
    const rows = Array.from(
      { length: 400 },
      (_, i) => `+const value${i} = compute(${i}, "some text here");`,
    );
    const patch = `@@ -0,0 +1,400 @@\n${rows.join('\n')}`;
    const c = comment(1, { line: 300, originalLine: 300, path: 'big.ts' });
    const dataset = buildDataset(
      history([c], 1),
      new Map([[1, [{ filename: 'big.ts', status: 'added', patch }]]]),
      { ...OPTIONS, maxHunkTokens: 200, negativeRatio: 0 },
    );
    const user = dataset.train[0]?.messages[1]?.content ?? '';
    expect(user).toContain('line 300: +const value299');
    expect(user.split('\n').length).toBeLessThan(30);
  });

  it('has a digest that depends on the content only', () => {
    const make = () =>
      buildDataset(history([comment(1, { id: 5, body: 'Same words.' })], 1), files([1]), OPTIONS);
    expect(datasetDigest(make())).toBe(datasetDigest(make()));
    const other = buildDataset(
      history([comment(1, { id: 5, body: 'Other words here.' })], 1),
      files([1]),
      OPTIONS,
    );
    expect(datasetDigest(other)).not.toBe(datasetDigest(make()));
  });
});

describe('cleanBody', () => {
  it('collapses code blocks and whitespace', () => {
    expect(cleanBody('Use this:\n```suggestion\nconst a = 1;\n```\nThanks')).toBe(
      'Use this: (suggested change) Thanks',
    );
    expect(cleanBody('a\n\n```ts\nx\n```')).toBe('a (code)');
  });

  it('bounds the length', () => {
    expect(cleanBody('word '.repeat(200)).length).toBeLessThanOrEqual(401);
  });

  it('rejects comments without words', () => {
    expect(rejection('+1', cleanBody('+1'))).toBe('empty');
    expect(rejection('```suggestion\nx\n```', cleanBody('```suggestion\nx\n```'))).toBe('empty');
    expect(rejection('Why?', cleanBody('Why?'))).toBeUndefined();
  });
});
