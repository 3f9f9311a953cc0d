/**
 * What a reaction or a reply says about one of the bot's comments. The patterns are few and
 * plain on purpose: a wrong "turned down" teaches the next adapter to stay silent where the
 * reviewer would have spoken, so only replies that open with a refusal count.
 */
import type { Verdict } from './types.js';

/**
 * A reply turns the comment down when it opens with one of these (case-insensitive, after
 * leading spaces): "no" (not "no worries"/"no problem"), "nope", "nah", "(I) disagree",
 * "not needed", "unnecessary", "wrong", "false positive", "this/that/it is fine" (or "'s
 * fine"), "not an issue", "won't fix", or 👎.
 */
const TURN_DOWN =
  /^(?:👎|no\b(?!\s+(?:worries|problem))|nope\b|nah\b|(?:i\s+)?disagree\b|not\s+needed\b|unnecessary\b|wrong\b|false\s+positive\b|(?:this|that|it)(?:\s+is|'s)\s+fine\b|not\s+an?\s+issue\b|won'?t\s+fix\b)/iu;

/** What separates the refusal from what the reviewer goes on to say instead. */
const SEPARATOR = /^[\s,.:;!—–-]+/u;

export interface ReadReply {
  turnsDown: boolean;
  /** After a refusal, the rest of the reply: what they would say instead (may be empty). */
  rest: string;
}

export function readReply(body: string): ReadReply {
  const text = body.trim();
  const match = TURN_DOWN.exec(text);
  if (!match) return { turnsDown: false, rest: '' };
  return { turnsDown: true, rest: text.slice(match[0].length).replace(SEPARATOR, '').trim() };
}

/** Strongest first: turned down, approved, addressed (the line changed later), ignored. */
export function verdictOf(feedback: {
  approvedBy: readonly string[];
  turnedDownBy: readonly string[];
  addressed: boolean;
}): Verdict {
  if (feedback.turnedDownBy.length > 0) return 'turned-down';
  if (feedback.approvedBy.length > 0) return 'approved';
  return feedback.addressed ? 'addressed' : 'ignored';
}
