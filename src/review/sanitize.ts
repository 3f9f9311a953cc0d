const MAX_COMMENT_CHARS = 280;

/**
 * What never reaches GitHub: control characters, U+FFFD, lone surrogates, and the invisible
 * bidirectional controls that make text read differently from what it is.
 */
const UNSAFE_CHARACTERS =
  /[\p{Cc}\p{Cs}\u{FFFD}\u{061C}\u{200E}\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}]/gu;

/**
 * Words GitHub links or notifies on by itself, after markdown: `@login`, `@org/team`, e-mail
 * addresses, URLs and cross-repository references. They go into code, where it does neither.
 */
const LINKABLE_WORD = /@|:\/\/|www\.|[\w.-]+\/[\w.-]+#\d/i;

/** Every ASCII punctuation character: CommonMark lets a backslash make any of them literal. */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/**
 * Model output is untrusted: a pull request's text can steer it. What reaches GitHub is one
 * short line of plain text, rendered so that markdown cannot act on it: every ASCII punctuation
 * character is backslash-escaped (no link, image, HTML, heading, list, table, quote or code
 * span can start), and words GitHub would link or notify on are shown as inline code. The
 * reader sees the model's words unchanged. `redact` removes secrets before anything else.
 */
export function sanitizeComment(text: string, redact: (text: string) => string): string {
  let line = text.replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  line = redact(line);
  // Cut between code points, never inside a surrogate pair.
  const characters = [...line];
  if (characters.length > MAX_COMMENT_CHARS) {
    line = `${characters
      .slice(0, MAX_COMMENT_CHARS - 1)
      .join('')
      .trimEnd()}…`;
  }
  return line
    .split(' ')
    .map((word) => (LINKABLE_WORD.test(word) ? codeSpan(word) : escapeMarkdown(word)))
    .join(' ');
}

function escapeMarkdown(text: string): string {
  return text.replace(ASCII_PUNCTUATION, '\\$&');
}

/** Inline code whose fence is longer than any run of backticks inside, so nothing closes it early. */
function codeSpan(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A space pads content that starts or ends with a backtick; CommonMark strips one each side.
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
