/**
 * The hidden marker on every inline comment the bot posts: which reviewer's voice it was written
 * in and which adapter wrote it (`base` for the base model's few-shot fallback). It is how the
 * bot's comments are found again later, and it is an HTML comment, so nobody reading sees it.
 * The model's text cannot forge one: the sanitizer escapes every `<`, `!` and `-` it writes and
 * folds it into one line, while a real marker is unescaped and on a line of its own at the end.
 */

export interface Marker {
  reviewer: string;
  /** The adapter's content id, or BASE_MODEL_ADAPTER. */
  adapterId: string;
}

/** The adapter id of comments the base model wrote with few-shot examples. */
export const BASE_MODEL_ADAPTER = 'base';

const MARKER_AT_END =
  /\n\n<!-- tech-lead-bot reviewer=([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})) adapter=([A-Za-z0-9._-]{1,64}) -->$/;

/** The body GitHub is sent for an inline comment: the sanitized text, then the marker. */
export function markComment(sanitized: string, marker: Marker): string {
  return `${sanitized}\n\n<!-- tech-lead-bot reviewer=${marker.reviewer} adapter=${marker.adapterId} -->`;
}

/** The marker a posted body ends with, or undefined when it has none (or a forged one). */
export function parseMarker(body: string): Marker | undefined {
  const match = MARKER_AT_END.exec(body.replace(/\r\n/g, '\n').trimEnd());
  if (!match?.[1] || !match[2]) return undefined;
  return { reviewer: match[1], adapterId: match[2] };
}

/** The posted body without its marker: the sanitized text the model's answer became. */
export function withoutMarker(body: string): string {
  return body.replace(/\r\n/g, '\n').trimEnd().replace(MARKER_AT_END, '');
}

/**
 * The model's words from a posted body: the marker removed, the sanitizer's backslash escapes
 * and code spans undone. Inverse of `sanitizeComment` for a line it produced.
 */
export function unsanitize(body: string): string {
  const text = withoutMarker(body);
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    const next = text[i + 1] ?? '';
    if (char === '\\' && /^[!-/:-@[-`{-~]$/.test(next)) {
      out += next;
      i += 2;
      continue;
    }
    if (char === '`') {
      const span = codeSpanAt(text, i);
      if (span) {
        out += span.content;
        i = span.end;
        continue;
      }
    }
    out += char;
    i += 1;
  }
  return out;
}

/** A CommonMark code span opening at `start`: its content and where it ends, if it closes. */
function codeSpanAt(text: string, start: number): { content: string; end: number } | undefined {
  const fence = /^`+/.exec(text.slice(start))?.[0] ?? '';
  let from = start + fence.length;
  for (;;) {
    const close = text.indexOf(fence, from);
    if (close < 0) return undefined;
    // The closing run must be exactly as long as the opening one.
    const after = close + fence.length;
    if (text[after] === '`') {
      from = after + (/^`+/.exec(text.slice(after))?.[0].length ?? 0);
      continue;
    }
    let content = text.slice(start + fence.length, close);
    // The sanitizer pads content that starts or ends with a backtick; CommonMark strips one each side.
    if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ')) {
      content = content.slice(1, -1);
    }
    return { content, end: after };
  }
}
