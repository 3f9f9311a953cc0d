export type LineState = 'done' | 'next' | 'failed' | 'note';

export interface StatusLine {
  state: LineState;
  text: string;
}

const ICONS: Record<LineState, string> = { done: '✅', next: '⏳', failed: '❌', note: 'ℹ️' };

/** The text of a reviewer's status comment (the hidden marker is added by StatusComment). */
export function renderStatus(status: {
  reviewer: string;
  runUrl: string;
  lines: StatusLine[];
}): string {
  const lines = status.lines.map((line) => `- ${ICONS[line.state]} ${line.text}`);
  return [
    `### tech-lead-bot · reviewing as \`${status.reviewer}\``,
    '',
    ...lines,
    '',
    `<sub>[Workflow run](${status.runUrl})</sub>`,
  ].join('\n');
}
