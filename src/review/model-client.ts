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

/**
 * The server is up and answered, but cannot serve this model name: vLLM answers 404 for an
 * adapter no resolver finds (our resolver also says "not found" for one that fails its checks:
 * rank above --max-lora-rank, another base model) and 400 for one it found but could not load.
 */
export class ModelRefusedError extends Error {
  override name = 'ModelRefusedError';
  constructor(
    readonly model: string,
    readonly status: number,
    serverMessage: string,
  ) {
    super(`The model server refused the model \`${model}\` (${status}: ${serverMessage})`);
  }
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
      const completion = await client.chat.completions
        .create({
          model,
          messages,
          max_tokens: MAX_ANSWER_TOKENS,
          temperature: 0,
          logprobs: true,
          top_logprobs: TOP_LOGPROBS,
        })
        .catch((error: unknown) => {
          throw explain(error, model, options.baseURL);
        });
      const choice = completion.choices[0];
      return {
        text: choice?.message.content ?? '',
        confidence: commentProbability(choice?.logprobs?.content ?? []),
      };
    },
  };
}

/** The error with a message that says what to check: the adapter, the key, or the server. */
function explain(error: unknown, model: string, baseURL: string): unknown {
  if (!(error instanceof OpenAI.APIError)) return error;
  const message = serverMessage(error);
  // A 400 about something else (a prompt too long, say) does not name the model.
  if (
    error instanceof OpenAI.NotFoundError ||
    (error instanceof OpenAI.BadRequestError && message.includes(model))
  ) {
    return new ModelRefusedError(model, error.status, message);
  }
  if (
    error instanceof OpenAI.AuthenticationError ||
    error instanceof OpenAI.PermissionDeniedError
  ) {
    return new Error(
      `The model server at ${baseURL} refused the model-api-key (${error.status}: ${message}). Set model-api-key to the server's --api-key.`,
      { cause: error },
    );
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new Error(
      `Could not reach the model server at ${baseURL} (${error.message}). Check that it is up and that model-server-url is right.`,
      { cause: error },
    );
  }
  return new Error(`The model server at ${baseURL} answered ${error.status ?? '?'}: ${message}`, {
    cause: error,
  });
}

function serverMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const detail = error.error as { message?: unknown } | undefined;
  return typeof detail?.message === 'string' ? detail.message : error.message;
}
