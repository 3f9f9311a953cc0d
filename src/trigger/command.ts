import { isValidLogin } from './login.js';

export type ParsedCommand =
  /** The comment does not address the bot (or only quotes, fences or inlines the handle). */
  | { kind: 'none' }
  /** The comment addresses the bot but cannot be understood; `problem` says why. */
  | { kind: 'invalid'; problem: string; line: string }
  | { kind: 'command'; reviewer: string; forceReload: boolean; line: string };

const FLAGS = new Set(['--force-reload']);

export function usage(handle: string): string {
  return `\`@${handle} <reviewer> [--force-reload]\``;
}

/**
 * Finds the first line of a comment that starts with `@handle` outside code fences, indented
 * code and block quotes, and reads the reviewer and flags that follow it.
 */
export function parseCommand(body: string, handle: string): ParsedCommand {
  const line = commandLine(body, handle);
  if (line === undefined) return { kind: 'none' };

  const words = line.trim().split(/\s+/).slice(1);
  const flags = words.filter((word) => word.startsWith('-'));
  const positional = words.filter((word) => !word.startsWith('-'));

  const unknown = flags.filter((flag) => !FLAGS.has(flag));
  if (unknown.length > 0) {
    return { kind: 'invalid', line, problem: `Unknown option ${quoteList(unknown)}.` };
  }
  const [reviewerWord, ...extra] = positional;
  if (reviewerWord === undefined) {
    return {
      kind: 'invalid',
      line,
      problem: 'Whose review style should I use? The reviewer is missing.',
    };
  }
  if (extra.length > 0) {
    return { kind: 'invalid', line, problem: `Unexpected ${quoteList(extra)}: give one reviewer.` };
  }
  const reviewer = reviewerWord.replace(/^@/, '');
  if (!isValidLogin(reviewer)) {
    return {
      kind: 'invalid',
      line,
      problem: `${quote(reviewerWord)} is not a valid GitHub login.`,
    };
  }
  return { kind: 'command', reviewer, forceReload: flags.includes('--force-reload'), line };
}

function commandLine(body: string, handle: string): string | undefined {
  const mention = new RegExp(`^ {0,3}@${escapeRegExp(handle)}(?=\\s|$)`, 'i');
  let fence: { char: string; length: number } | undefined;
  for (const raw of body.split(/\r?\n|\r/)) {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (fence) {
      // A fence closes on a line of the same character, at least as long, and nothing else.
      const closing = opening?.[1];
      if (closing?.[0] === fence.char && closing.length >= fence.length && raw.trim() === closing) {
        fence = undefined;
      }
      continue;
    }
    if (opening?.[1]) {
      fence = { char: opening[1][0] ?? '`', length: opening[1].length };
      continue;
    }
    // Block quotes start with '>', indented code with four spaces or a tab: neither matches.
    if (mention.test(raw)) return raw;
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function quote(text: string): string {
  return `\`${text.replace(/`/g, "'").slice(0, 60)}\``;
}

function quoteList(words: string[]): string {
  return words.map(quote).join(', ');
}
