/**
 * The status comment's document and its body, as contracts/status-comment/README.md specifies
 * them; the Python trainer implements the same spec and both test suites check its golden files.
 */

export type LineState = 'done' | 'next' | 'failed' | 'note';

export interface StatusLine {
  state: LineState;
  text: string;
}

export interface StatusDocument {
  reviewer: string;
  lines: StatusLine[];
  /** Markdown blocks under the lines, such as the trainer's metrics table. */
  blocks: string[];
  runUrl: string;
}

const ICONS: Record<LineState, string> = { done: '✅', next: '⏳', failed: '❌', note: 'ℹ️' };
const STATES = new Map(Object.entries(ICONS).map(([state, icon]) => [icon, state as LineState]));
const MARKER = /^<!-- tech-lead-bot:status reviewer=([^\s]+) -->$/;
const HEADING = /^### tech-lead-bot · reviewing as `([^`]+)`$/;
const LINE = /^- (\S+) (.+)$/;
const FOOTER = /^<sub>\[Workflow run\]\((\S+)\)<\/sub>$/;

/** The hidden first line that finds a reviewer's status comment again on the next run or step. */
export function statusMarker(reviewer: string): string {
  return `<!-- tech-lead-bot:status reviewer=${reviewer.toLowerCase()} -->`;
}

/** The comment's body, marker included. */
export function renderStatus(document: StatusDocument): string {
  const body = [
    statusMarker(document.reviewer),
    `### tech-lead-bot · reviewing as \`${document.reviewer}\``,
    '',
    ...document.lines.map((line) => `- ${ICONS[line.state]} ${oneLine(line.text)}`),
  ];
  for (const block of document.blocks) body.push('', withoutBlankLines(block));
  body.push('', `<sub>[Workflow run](${document.runUrl})</sub>`);
  return body.join('\n');
}

/** The document a body renders, or undefined when the body is not a status comment of this shape. */
export function parseStatus(body: string): StatusDocument | undefined {
  const [marker = '', heading = '', ...rest] = body.replace(/\r\n/g, '\n').split('\n');
  const reviewer = HEADING.exec(heading)?.[1];
  if (!reviewer || MARKER.exec(marker)?.[1] !== reviewer.toLowerCase()) return undefined;
  const sections = rest.join('\n').split(/\n[ \t]*\n/);
  const [first = '', ...more] = sections;
  const runUrl = FOOTER.exec(more.pop()?.trim() ?? '')?.[1];
  if (rest[0] !== '' || runUrl === undefined) return undefined;
  const lines: StatusLine[] = [];
  for (const text of first.split('\n').filter((line) => line !== '')) {
    const match = LINE.exec(text);
    const state = match && STATES.get(match[1] ?? '');
    if (!match?.[2] || !state) return undefined;
    lines.push({ state, text: match[2] });
  }
  return { reviewer, lines, blocks: more.filter((block) => block.trim() !== ''), runUrl };
}

/** What a step publishes: the document as it read it, then its own lines and blocks. */
export function appendStatus(
  base: StatusDocument | undefined,
  added: { reviewer: string; runUrl: string; lines: StatusLine[]; blocks?: string[] },
): StatusDocument {
  const lines = [...(base?.lines ?? [])];
  // A trailing "next" line was the plan; the step that now runs says what happened.
  while (lines.at(-1)?.state === 'next') lines.pop();
  return {
    reviewer: base?.reviewer ?? added.reviewer,
    lines: [...lines, ...added.lines],
    blocks: [...(base?.blocks ?? []), ...(added.blocks ?? [])],
    runUrl: added.runUrl,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function withoutBlankLines(block: string): string {
  return block
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n');
}
