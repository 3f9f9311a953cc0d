import { describe, it, expect } from '@jest/globals';
import { countChanges, diffHunkThrough, findLine, lineAtPosition, parsePatch } from './patch.js';
import { SERVER_PATCH } from './fixtures.js';

describe('parsePatch', () => {
  const hunks = parsePatch(SERVER_PATCH);

  it('numbers old and new lines from each hunk header', () => {
    expect(hunks.map((h) => h.header)).toEqual([
      '@@ -10,4 +10,5 @@ export function start() {',
      '@@ -40,3 +41,3 @@ function stop() {',
    ]);
    expect(hunks[0]?.lines.map((l) => [l.kind, l.oldLine, l.newLine])).toEqual([
      ['context', 10, 10],
      ['del', 11, null],
      ['add', null, 11],
      ['add', null, 12],
      ['context', 12, 13],
      ['context', 13, 14],
    ]);
  });

  it('counts positions through later hunk headers, as GitHub does', () => {
    expect(hunks.flatMap((h) => h.lines.map((l) => l.position))).toEqual([
      1, 2, 3, 4, 5, 6, 8, 9, 10, 11,
    ]);
    expect(lineAtPosition(hunks, 9)).toMatchObject({ kind: 'del', oldLine: 41 });
    expect(lineAtPosition(hunks, 7)).toBeUndefined();
  });

  it.each([
    [12, 'RIGHT', 'add'],
    [13, 'RIGHT', 'context'],
    [11, 'LEFT', 'del'],
    [12, 'LEFT', 'context'],
  ] as const)('finds line %i on the %s side (%s)', (line, side, kind) => {
    expect(findLine(hunks, line, side)?.kind).toBe(kind);
  });

  it.each([
    [9, 'RIGHT'],
    [15, 'RIGHT'],
    [44, 'RIGHT'],
    [14, 'LEFT'],
    [39, 'LEFT'],
  ] as const)('refuses line %i on the %s side, which is outside every hunk', (line, side) => {
    expect(findLine(hunks, line, side)).toBeUndefined();
  });

  it('does not put a deleted line on the RIGHT side or an added one on the LEFT', () => {
    const single = parsePatch('@@ -1,2 +1,2 @@\n-old\n+new\n+more\n');
    expect(findLine(single, 1, 'LEFT')?.kind).toBe('del');
    expect(findLine(single, 1, 'RIGHT')?.kind).toBe('add');
    expect(findLine(single, 2, 'LEFT')).toBeUndefined();
  });

  it('cuts the diff hunk at the commented line', () => {
    const target = findLine(hunks, 42, 'RIGHT');
    if (!target) throw new Error('line 42 is in the diff');
    expect(diffHunkThrough(hunks, target)).toBe(
      ['@@ -40,3 +41,3 @@ function stop() {', ' close();', '-flush();', '+await flush();'].join(
        '\n',
      ),
    );
  });

  it('ignores a trailing newline and never comments on "\\ No newline" markers', () => {
    const parsed = parsePatch('@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n');
    expect(parsed[0]?.lines.map((l) => l.kind)).toEqual(['del', 'note', 'add']);
    expect(lineAtPosition(parsed, 2)).toBeUndefined();
    expect(findLine(parsed, 1, 'RIGHT')?.position).toBe(3);
    expect(countChanges(parsed)).toEqual({ additions: 1, deletions: 1 });
  });
});
