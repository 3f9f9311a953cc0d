import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, waitForHttp } from './ports.js';

/** Credentials moto accepts; set for the AWS SDK's default chain in tests. */
export const MOTO_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
};

/**
 * moto's S3 server (`python3 -m moto.server`) on loopback: a real S3 HTTP API, started and
 * stopped by the tests. MOTO_PYTHON names the interpreter that has moto (make test sets it).
 */
export class MotoServer {
  private constructor(
    readonly endpoint: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(): Promise<MotoServer> {
    const port = await freePort();
    const python = process.env.MOTO_PYTHON ?? 'python3';
    const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${endpoint}/moto-api/`, 30_000);
    } catch (error: unknown) {
      child.kill();
      throw new Error(`moto did not start: ${String(error)}\n${stderr}`);
    }
    return new MotoServer(endpoint, child);
  }

  /** Creates a bucket through the S3 API itself. */
  async createBucket(name: string): Promise<void> {
    const response = await fetch(`${this.endpoint}/${name}`, { method: 'PUT' });
    if (!response.ok) throw new Error(`create bucket ${name}: ${response.status}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
