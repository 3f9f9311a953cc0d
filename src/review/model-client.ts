import OpenAI from 'openai';
import type { ChatMessage } from '../prompt/prompt.js';

export interface ModelAnswer {
  text: string;
  /** How sure the model was of its answer, 0 to 1: the geometric mean of its token probabilities. */
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
      });
      const choice = completion.choices[0];
      const tokens = choice?.logprobs?.content ?? [];
      const mean = tokens.length
        ? tokens.reduce((sum, t) => sum + t.logprob, 0) / tokens.length
        : 0;
      return {
        text: choice?.message.content ?? '',
        confidence: tokens.length ? Math.exp(mean) : 0,
      };
    },
  };
}
