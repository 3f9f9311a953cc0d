import type { Tone } from '../settings.js';
import { anchorOf, type Anchor, type Hunk } from '../diff/hunks.js';
import type { Redactor } from '../text/redact.js';

/**
 * The one prompt of tech-lead-bot. Training data (the dataset builder) and inference (the
 * review step) both call these functions, so the model is asked at review time exactly what
 * it was taught. The Python trainer never rebuilds a prompt: datasets carry finished messages.
 * test/fixtures/prompt/ pins the format; change it only together with retraining.
 */

export const NO_COMMENT = 'NO COMMENT';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface PromptInput {
  reviewer: string;
  tone: Tone;
  path: string;
  hunk: Hunk;
  /** Past (user, assistant) turns shown first, for a model without the reviewer's adapter. */
  examples?: ChatMessage[];
}

export type Answer =
  | { kind: 'none' }
  | { kind: 'comment'; anchor: Anchor; body: string }
  /** The model said something that is neither: never posted. */
  | { kind: 'unreadable'; text: string };

const TONES: Record<Tone, string> = {
  reviewer: 'Write the comment in your own voice, as you write your review comments here.',
  snarky: 'Be terse and snarky: one short, pointed sentence.',
};

export function systemMessage(reviewer: string, tone: Tone): string {
  return [
    `You are ${reviewer}, reviewing a pull request in this repository.`,
    'You are shown one hunk of the diff; each line starts with its label: `line N` for a line of the new file, `old line N` for a deleted line.',
    'If the hunk deserves a review comment from you, answer with one line: the label of the line you comment on, a colon, and your comment, for example `line 12: Why not reuse the cache here?`',
    `If you would leave the hunk alone, answer exactly: ${NO_COMMENT}`,
    TONES[tone],
  ].join('\n');
}

export function userMessage(path: string, hunk: Hunk): string {
  const rows = hunk.rows.map((row) => {
    const marker = row.kind === 'add' ? '+' : row.kind === 'del' ? '-' : ' ';
    return `${label(anchorOf(row))}: ${marker}${row.text}`;
  });
  return neutralise([`File: ${path}`, hunk.header, ...rows].join('\n'));
}

/**
 * Text that spells a chat special token (`<|eot_id|>`) is plain text to TorchTune but the real
 * token to Hugging Face and vLLM: break it up so that training and serving see the same thing.
 */
function neutralise(text: string): string {
  return text.replace(/<\|/g, '< |');
}

/** The system and user messages for one hunk. */
export function buildPrompt(input: PromptInput): ChatMessage[] {
  return [
    { role: 'system', content: systemMessage(input.reviewer, input.tone) },
    ...(input.examples ?? []),
    { role: 'user', content: userMessage(input.path, input.hunk) },
  ];
}

/** What the reviewer "answered" for a hunk: the training target. */
export function formatAnswer(comment: { anchor: Anchor; body: string } | undefined): string {
  if (comment === undefined) return NO_COMMENT;
  return `${label(comment.anchor)}: ${neutralise(comment.body)}`;
}

/**
 * Reads a model's answer strictly, by the grammar of contracts/answer-grammar.md (which the
 * trainer's evaluation reads the same way). A comment names a label the prompt showed for this
 * hunk; any other label makes the answer unreadable rather than guessed at.
 */
export function parseAnswer(text: string, hunk: Hunk): Answer {
  const answer = text.trim();
  if (answer.toUpperCase().startsWith(NO_COMMENT)) return { kind: 'none' };
  const match = /^(old )?line (\d+):\s*([\s\S]+)$/i.exec(answer);
  if (!match?.[2] || !match[3]) return { kind: 'unreadable', text: answer };
  const anchor: Anchor = { line: Number(match[2]), side: match[1] ? 'LEFT' : 'RIGHT' };
  const shown = hunk.rows.some((row) => label(anchorOf(row)) === label(anchor));
  if (!shown) return { kind: 'unreadable', text: answer };
  return { kind: 'comment', anchor, body: match[3].trim() };
}

/** A row's label in the prompt: `line N` (new file) or `old line N` (deleted line). */
export function label(anchor: Anchor): string {
  return anchor.side === 'LEFT' ? `old line ${anchor.line}` : `line ${anchor.line}`;
}

/** The hunk as a prompt shows it, secrets redacted: the same at training and at review time. */
export function redactHunk(hunk: Hunk, redactor: Redactor): Hunk {
  return {
    header: hunk.header,
    rows: hunk.rows.map((row) => ({ ...row, text: redactor.redact(row.text) })),
  };
}
