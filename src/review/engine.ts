import pLimit from 'p-limit';
import { findRow, type Anchor } from '../diff/hunks.js';
import { splitIntoWindows } from '../diff/windows.js';
import { errorMessage } from '../errors.js';
import { buildPrompt, parseAnswer, redactHunk, type ChatMessage } from '../prompt/prompt.js';
import type { Tone } from '../settings.js';
import type { Redactor } from '../text/redact.js';
import { ModelRefusedError, type ModelClient } from './model-client.js';
import type { ReviewableFile } from './select-files.js';

export interface Candidate {
  path: string;
  anchor: Anchor;
  /** The commented line's text, to find the line again if the branch moves. */
  lineText: string;
  body: string;
  confidence: number;
}

export interface EngineResult {
  candidates: Candidate[];
  hunks: number;
  /** Model calls: hunks over the token budget are asked about in several windows. */
  calls: number;
  silent: number;
  unreadable: number;
  failed: number;
  /** Failures because the server cannot serve the model (see ModelRefusedError). */
  refused: number;
  firstError?: string;
  latenciesMs: number[];
}

export interface EngineOptions {
  client: ModelClient;
  model: string;
  reviewer: string;
  tone: Tone;
  maxHunkTokens: number;
  concurrency: number;
  examples?: ChatMessage[];
  /** The redaction training prompts went through, scanned over these files' hunks. */
  redactor: Redactor;
}

/**
 * Asks the model about every hunk (window) with bounded concurrency. A failed or unreadable
 * answer costs that hunk only; the rest of the review goes on.
 */
export async function reviewHunks(
  files: ReviewableFile[],
  options: EngineOptions,
): Promise<EngineResult> {
  const limit = pLimit(options.concurrency);
  const result: EngineResult = {
    candidates: [],
    hunks: 0,
    calls: 0,
    silent: 0,
    unreadable: 0,
    failed: 0,
    refused: 0,
    latenciesMs: [],
  };
  const tasks = files.flatMap((file) =>
    file.hunks.flatMap((hunk) => {
      result.hunks++;
      return splitIntoWindows(hunk, options.maxHunkTokens).map((window) =>
        limit(async () => {
          result.calls++;
          const messages = buildPrompt({
            reviewer: options.reviewer,
            tone: options.tone,
            path: file.path,
            hunk: redactHunk(window, options.redactor),
            examples: options.examples,
          });
          const started = Date.now();
          try {
            const answer = await options.client.complete(options.model, messages);
            result.latenciesMs.push(Date.now() - started);
            const parsed = parseAnswer(answer.text, window);
            if (parsed.kind === 'none') result.silent++;
            else if (parsed.kind === 'unreadable') result.unreadable++;
            else {
              result.candidates.push({
                path: file.path,
                anchor: parsed.anchor,
                lineText: findRow(window, parsed.anchor)?.text ?? '',
                body: parsed.body,
                confidence: answer.confidence,
              });
            }
          } catch (error: unknown) {
            result.failed++;
            if (error instanceof ModelRefusedError) result.refused++;
            result.firstError ??= errorMessage(error);
          }
        }),
      );
    }),
  );
  await Promise.all(tasks);
  return result;
}
