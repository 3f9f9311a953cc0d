import parseDiff from 'parse-diff';

export type Side = 'LEFT' | 'RIGHT';

/** One line of a hunk, with the numbers GitHub's review API uses to anchor a comment on it. */
export interface Row {
  kind: 'add' | 'del' | 'context';
  /** Line in the old file (deletions and context). */
  oldLine?: number;
  /** Line in the new file (additions and context). */
  newLine?: number;
  /** The line's text without the leading '+', '-' or ' '. */
  text: string;
}

export interface Hunk {
  /** The `@@ -a,b +c,d @@ context` line. */
  header: string;
  rows: Row[];
}

/** Where a review comment can sit: a line number on one side of the diff. */
export interface Anchor {
  line: number;
  side: Side;
}

/** Splits a file's unified patch (as GitHub gives it, without file headers) into hunks. */
export function parsePatch(patch: string): Hunk[] {
  // parse-diff needs file headers to find hunk boundaries reliably.
  const [file] = parseDiff(`--- a/file\n+++ b/file\n${patch}`);
  if (!file) return [];
  return file.chunks.map((chunk) => ({
    header: chunk.content,
    rows: chunk.changes
      .filter((change) => !change.content.startsWith('\\'))
      .map((change): Row => {
        const text = change.content.slice(1);
        switch (change.type) {
          case 'add':
            return { kind: 'add', newLine: change.ln, text };
          case 'del':
            return { kind: 'del', oldLine: change.ln, text };
          default:
            return { kind: 'context', oldLine: change.ln1, newLine: change.ln2, text };
        }
      }),
  }));
}

/** The anchor GitHub expects for a row: deletions on the LEFT, everything else on the RIGHT. */
export function anchorOf(row: Row): Anchor {
  if (row.kind === 'del') return { line: row.oldLine ?? 0, side: 'LEFT' };
  return { line: row.newLine ?? 0, side: 'RIGHT' };
}

/** The row of a hunk a (line, side) pair points at, if the pair is commentable there. */
export function findRow(hunk: Hunk, anchor: Anchor): Row | undefined {
  return hunk.rows.find((row) =>
    anchor.side === 'LEFT'
      ? row.kind !== 'add' && row.oldLine === anchor.line
      : row.kind !== 'del' && row.newLine === anchor.line,
  );
}
