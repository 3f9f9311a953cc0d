import { NO_COMMENT } from '../prompt/prompt.js';

/** How many alternatives per answer token the server is asked for (vLLM allows up to 20). */
export const TOP_LOGPROBS = 5;

/**
 * The comment-less review threshold when no calibrated one exists: the base model, or an
 * adapter trained before calibration or without a comment answer on its held-out set.
 */
export const BASE_MODEL_MIN_CONFIDENCE = 0.5;

/** One answer token as vLLM's OpenAI-compatible API reports it. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  top_logprobs: { token: string; logprob: number }[];
}

/**
 * The probability that the hunk deserves a comment: 1 − P(the answer starts with NO COMMENT),
 * read off the answer's first tokens as contracts/confidence.md specifies. Where the answer
 * leaves the NO COMMENT path and no top alternative continues it, the probability mass outside
 * the top alternatives bounds P(NO COMMENT) from above, so the result never overstates.
 */
export function commentProbability(tokens: TokenLogprob[]): number {
  let seen = '';
  let noComment = 1;
  for (const step of tokens) {
    if (continuesNoComment(seen, step.token)) {
      noComment *= Math.exp(step.logprob);
      seen += step.token;
      if (coversNoComment(seen)) break;
      continue;
    }
    const continuing = step.top_logprobs.filter((t) => continuesNoComment(seen, t.token));
    const listed = step.top_logprobs.reduce((sum, t) => sum + Math.exp(t.logprob), 0);
    noComment *= continuing.length
      ? continuing.reduce((sum, t) => sum + Math.exp(t.logprob), 0)
      : Math.max(0, 1 - listed);
    break;
  }
  return Math.min(1, Math.max(0, 1 - noComment));
}

function normalized(text: string): string {
  return text.trimStart().toUpperCase();
}

function continuesNoComment(seen: string, token: string): boolean {
  const text = normalized(seen + token);
  return NO_COMMENT.startsWith(text) || text.startsWith(NO_COMMENT);
}

function coversNoComment(seen: string): boolean {
  return normalized(seen).startsWith(NO_COMMENT);
}
