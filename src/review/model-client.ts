import OpenAI from 'openai';
import type { ChatMessage } from '../prompt/prompt.js';
import { commentProbability, TOP_LOGPROBS } from './confidence.js';

export interface ModelAnswer {
  text: string;
  /** The model's probability, 0 to 1, that the hunk deserves a comment (contracts/confidence.md). */
  confidence: number;
}

export interface ModelClient {
  complete(model: string, messages: ChatMessage[]): Promise<ModelAnswer>;
}

/** A review comment is one line: this many tokens are plenty. */
const MAX_ANSWER_TOKENS = 96;

/**
 * The vLLM server through its OpenAI-compatible API. `model` names the reviewer's adapter (or
 * the base model); the openai client retries connection errors, 408/409/429 and 5xx with backoff.
 */
export function openAIModelClient(options: {
  baseURL: string;
  apiKey?: string;
  timeoutMs: number;
  maxRetries: number;
}): ModelClient {
  const client = new OpenAI({
    baseURL: options.baseURL,
    // vLLM without --api-key accepts any key; the client insists on one.
    apiKey: options.apiKey ?? 'no-key',
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
  return {
    async complete(model, messages) {
      const completion = await client.chat.completions.create({
        model,
        messages,
        max_tokens: MAX_ANSWER_TOKENS,
        temperature: 0,
        logprobs: true,
        top_logprobs: TOP_LOGPROBS,
      });
      const choice = completion.choices[0];
      return {
        text: choice?.message.content ?? '',
        confidence: commentProbability(choice?.logprobs?.content ?? []),
      };
    },
  };
}
