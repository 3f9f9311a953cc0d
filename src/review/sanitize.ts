import { Redactor } from '../dataset/redact.js';

const MAX_COMMENT_CHARS = 280;

/**
 * Model output is untrusted. What reaches GitHub is one short line of plain text: no HTML,
 * no @mention that would notify anyone, no secret, no markdown that escapes its line.
 */
export function sanitizeComment(text: string, redactor = new Redactor()): string {
  let line = text.replace(/\s+/g, ' ').trim();
  line = redactor.redact(line);
  // HTML (and HTML comments that could hide text) shows as text.
  line = line.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // @someone and @org/team inside inline code do not notify.
  line = line.replace(/(^|[^\w`])@([A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9_.-]+)?)/g, '$1`@$2`');
  // No headings, images or tables: start as plain text.
  line = line.replace(/^[#>|!-]+\s*/, '');
  if (line.length > MAX_COMMENT_CHARS) line = `${line.slice(0, MAX_COMMENT_CHARS - 1).trimEnd()}…`;
  return line;
}
