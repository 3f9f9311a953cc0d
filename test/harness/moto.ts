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

  /**
   * Creates an IAM user allowed only `actions` on the bucket, then turns on moto's IAM
   * enforcement for the whole server (so use a server of its own). Returns the user's keys.
   */
  async restrictTo(
    bucket: string,
    actions: string[],
  ): Promise<{ AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string }> {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: actions,
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        },
      ],
    };
    await this.iam({ Action: 'CreateUser', UserName: 'restricted' });
    await this.iam({
      Action: 'PutUserPolicy',
      UserName: 'restricted',
      PolicyName: 'restricted',
      PolicyDocument: JSON.stringify(policy),
    });
    const keys = await this.iam({ Action: 'CreateAccessKey', UserName: 'restricted' });
    const id = /<AccessKeyId>([^<]+)</.exec(keys)?.[1];
    const secret = /<SecretAccessKey>([^<]+)</.exec(keys)?.[1];
    if (!id || !secret) throw new Error(`no access key in ${keys}`);
    const reset = await fetch(`${this.endpoint}/moto-api/reset-auth`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '0',
    });
    if (!reset.ok) throw new Error(`reset-auth: ${reset.status}`);
    return { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret };
  }

  /** One call of IAM's query API; moto routes it by the credential scope of the header. */
  private async iam(params: Record<string, string>): Promise<string> {
    const response = await fetch(`${this.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: new URLSearchParams({ Version: '2010-05-08', ...params }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`IAM ${params.Action}: ${response.status} ${text}`);
    return text;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
