import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { repoRoot } from './run-action.js';

/**
 * vLLM's CPU build serving a test model (the tiny one, or SmolLM2 with `chatTemplate:
 * 'chatml_chat_template'`) with our LoRA resolver plugin
 * (training-runner/serving/scripts/serve-tiny.sh): the real model server of the end-to-end
 * tests and the demo. Adapters come from S3 (moto) the first time a request names them.
 */
export class TinyVllm {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly baseModel: string,
    readonly startupSeconds: number,
  ) {}

  static async start(options: {
    modelDir: string;
    s3Uri: string;
    s3Endpoint: string;
    env: Record<string, string>;
    logFile: string;
    timeoutMs?: number;
    /** The serving package's chat template for the model's family (default: Llama 3's). */
    chatTemplate?: string;
    maxLoraRank?: number;
    /** Where the resolver keeps adapters (default: beside the model, which may be read-only). */
    adapterCacheDir?: string;
  }): Promise<TinyVllm> {
    const port = await freePort();
    const script = join(repoRoot, 'training-runner/serving/scripts/serve-tiny.sh');
    const child = spawn(
      'bash',
      [
        script,
        '--model-dir',
        options.modelDir,
        '--port',
        String(port),
        '--s3-uri',
        options.s3Uri,
        '--s3-endpoint',
        options.s3Endpoint,
        '--log-file',
        options.logFile,
        ...(options.chatTemplate ? ['--chat-template', options.chatTemplate] : []),
        ...(options.maxLoraRank ? ['--max-lora-rank', String(options.maxLoraRank)] : []),
        ...(options.adapterCacheDir ? ['--cache-dir', options.adapterCacheDir] : []),
      ],
      { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on(
      'data',
      (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)),
    );
    const ready = new Promise<{ base_url: string; model: string; startup_s: number }>(
      (resolve, reject) => {
        if (!child.stdout) throw new Error('no stdout');
        const lines = createInterface({ input: child.stdout });
        lines.on('line', (line) => {
          try {
            resolve(JSON.parse(line) as { base_url: string; model: string; startup_s: number });
          } catch {
            // Not the ready line.
          }
        });
        child.on('exit', (code) =>
          reject(new Error(`serve-tiny.sh exited ${code} before the server was ready:\n${stderr}`)),
        );
        const timer = setTimeout(
          () =>
            reject(
              new Error(`vLLM not ready after ${options.timeoutMs ?? 600_000} ms:\n${stderr}`),
            ),
          options.timeoutMs ?? 600_000,
        );
        // The wait must not keep the process alive once the server answered.
        timer.unref();
      },
    );
    try {
      const info = await ready;
      return new TinyVllm(child, info.base_url, info.model, info.startup_s);
    } catch (error: unknown) {
      child.kill('SIGTERM');
      throw error;
    }
  }

  /** The adapters and models the server has loaded (GET /v1/models). */
  async models(): Promise<string[]> {
    const response = await fetch(`${this.baseUrl}/models`);
    const body = (await response.json()) as { data: { id: string }[] };
    return body.data.map((m) => m.id);
  }

  /** The token ids vLLM computes for chat messages (its /tokenize endpoint, chat form). */
  async tokenize(
    model: string,
    messages: { role: string; content: string }[],
    addGenerationPrompt: boolean,
  ): Promise<number[]> {
    const response = await fetch(`${this.baseUrl.replace(/\/v1$/, '')}/tokenize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages, add_generation_prompt: addGenerationPrompt }),
    });
    if (!response.ok)
      throw new Error(`/tokenize: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { tokens: number[] }).tokens;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    // The script stops vLLM's process group on SIGTERM; should it hang, end it.
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}
