/**
 * A small unified-diff reader for the `patch` field of a pull request file, written here so the
 * emulator judges review comments independently of the parser in src/ that it is testing.
 */
import type { Side } from './types.js';

export interface DiffLine {
  kind: 'add' | 'del' | 'context' | 'note';
  /** Line number in the old file; null for added lines and notes. */
  oldLine: number | null;
  /** Line number in the new file; null for deleted lines and notes. */
  newLine: number | null;
  /** GitHub's legacy `position`: lines below the file's first `@@` header, later headers counted. */
  position: number;
  hunk: number;
}

export interface Hunk {
  header: string;
  /** Raw patch lines from the header through the end of the hunk. */
  text: string[];
  lines: DiffLine[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function parsePatch(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  const rows = patch.split('\n');
  // A trailing newline ends the last line; it does not start another one.
  if (rows.at(-1) === '') rows.pop();
  let oldLine = 0;
  let newLine = 0;
  let position = 0;
  for (const raw of rows) {
    const header = HUNK_HEADER.exec(raw);
    const current = hunks.at(-1);
    // Position 0 is the first header; every later row, headers included, counts one more.
    if (current) position += 1;
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      hunks.push({ header: raw, text: [raw], lines: [] });
      continue;
    }
    if (!current) continue;
    current.text.push(raw);
    const hunk = hunks.length - 1;
    const marker = raw[0];
    if (marker === '+') {
      current.lines.push({ kind: 'add', oldLine: null, newLine: newLine++, position, hunk });
    } else if (marker === '-') {
      current.lines.push({ kind: 'del', oldLine: oldLine++, newLine: null, position, hunk });
    } else if (marker === '\\') {
      current.lines.push({ kind: 'note', oldLine: null, newLine: null, position, hunk });
    } else {
      current.lines.push({
        kind: 'context',
        oldLine: oldLine++,
        newLine: newLine++,
        position,
        hunk,
      });
    }
  }
  return hunks;
}

/** The diff line a (line, side) pair points at, when it is commentable: RIGHT takes added and context lines, LEFT deleted and context lines. */
export function findLine(hunks: Hunk[], line: number, side: Side): DiffLine | undefined {
  for (const hunk of hunks) {
    const found = hunk.lines.find((l) =>
      side === 'RIGHT'
        ? l.kind !== 'del' && l.kind !== 'note' && l.newLine === line
        : l.kind !== 'add' && l.kind !== 'note' && l.oldLine === line,
    );
    if (found) return found;
  }
  return undefined;
}

export function lineAtPosition(hunks: Hunk[], position: number): DiffLine | undefined {
  for (const hunk of hunks) {
    const found = hunk.lines.find((l) => l.position === position && l.kind !== 'note');
    if (found) return found;
  }
  return undefined;
}

/** GitHub's `diff_hunk` of a review comment: the hunk from its header through the commented line. */
export function diffHunkThrough(hunks: Hunk[], target: DiffLine): string {
  const hunk = hunks[target.hunk];
  if (!hunk) throw new Error(`no hunk ${target.hunk}`);
  const index = hunk.lines.indexOf(target);
  return hunk.text.slice(0, index + 2).join('\n');
}

export function countChanges(hunks: Hunk[]): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const line of hunks.flatMap((h) => h.lines)) {
    if (line.kind === 'add') additions++;
    if (line.kind === 'del') deletions++;
  }
  return { additions, deletions };
}
