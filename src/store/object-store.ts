import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ActionError } from '../errors.js';
import type { S3Settings } from '../settings.js';

/** A conditional write lost against another run. */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

export interface StoredObject {
  body: string;
  etag: string;
}

export type WriteCondition =
  /** Create only: fail when the key exists. */
  | { ifNoneMatch: '*' }
  /** Replace only the version read before: fail when someone else wrote in between. */
  | { ifMatch: string };

/**
 * The bucket and prefix of the action's settings, through @aws-sdk/client-s3. Keys given to it
 * are relative to the prefix. Every failure becomes a message that names what to fix.
 */
export class ObjectStore {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region ?? 'us-east-1',
      ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
      // An S3 outage should fail a run in seconds, not minutes.
      maxAttempts: 3,
    });
  }

  get bucket(): string {
    return this.settings.bucket;
  }

  key(relative: string): string {
    return this.settings.prefix ? `${this.settings.prefix}/${relative}` : relative;
  }

  uri(relative: string): string {
    return `s3://${this.settings.bucket}/${this.key(relative)}`;
  }

  async get(relative: string): Promise<StoredObject | undefined> {
    const Key = this.key(relative);
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      return {
        body: (await result.Body?.transformToString('utf8')) ?? '',
        etag: result.ETag ?? '',
      };
    } catch (error: unknown) {
      if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return undefined;
      throw this.failure(error, 's3:GetObject', Key);
    }
  }

  /** Writes an object; with a condition, a lost race raises ConflictError. Returns the new ETag. */
  async put(
    relative: string,
    body: string,
    options: { contentType?: string; condition?: WriteCondition } = {},
  ): Promise<string> {
    const Key = this.key(relative);
    const { condition } = options;
    try {
      const result = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: Buffer.from(body, 'utf8'),
          ContentType: options.contentType ?? 'application/json',
          ...(this.settings.sse === 'none' ? {} : { ServerSideEncryption: this.settings.sse }),
          ...(this.settings.sse === 'aws:kms' ? { SSEKMSKeyId: this.settings.kmsKeyId } : {}),
          ...(condition && 'ifNoneMatch' in condition ? { IfNoneMatch: '*' } : {}),
          ...(condition && 'ifMatch' in condition ? { IfMatch: condition.ifMatch } : {}),
        }),
      );
      return result.ETag ?? '';
    } catch (error: unknown) {
      if (condition && isPreconditionFailure(error)) {
        throw new ConflictError(`s3://${this.bucket}/${Key} was changed by another run.`);
      }
      throw this.failure(error, 's3:PutObject', Key);
    }
  }

  /** Deletes an object; with `ifMatch`, only that version of it, else ConflictError. */
  async delete(relative: string, options: { ifMatch?: string } = {}): Promise<void> {
    const Key = this.key(relative);
    const { ifMatch } = options;
    try {
      await this.client.send(
        new DeleteObjectCommand({
          Bucket: this.bucket,
          Key,
          ...(ifMatch !== undefined ? { IfMatch: ifMatch } : {}),
        }),
      );
    } catch (error: unknown) {
      // A conditional delete of an object that is gone lost the race as well.
      const gone = error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404;
      if (ifMatch !== undefined && (isPreconditionFailure(error) || gone)) {
        throw new ConflictError(`s3://${this.bucket}/${Key} was changed by another run.`);
      }
      throw this.failure(error, 's3:DeleteObject', Key);
    }
  }

  private failure(error: unknown, action: string, key: string): ActionError {
    const where = `s3://${this.bucket}/${key}`;
    if (error instanceof S3ServiceException) {
      const status = error.$metadata.httpStatusCode;
      if (error.name === 'AccessDenied' || status === 403) {
        return new ActionError(
          `S3 denied ${action} on ${where}. Allow ${action} on arn:aws:s3:::${this.bucket}/${this.settings.prefix ? `${this.settings.prefix}/` : ''}* in the IAM policy of the workflow's AWS role.`,
          { cause: error },
        );
      }
      if (error.name === 'NoSuchBucket') {
        return new ActionError(
          `The bucket '${this.bucket}' does not exist${this.settings.region ? ` in ${this.settings.region}` : ''}. Create it or fix the s3-uri input.`,
          { cause: error },
        );
      }
      return new ActionError(
        `S3 answered ${status ?? '?'} ${error.name} for ${action} on ${where}.`,
        {
          cause: error,
        },
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new ActionError(
      `Could not reach S3${this.settings.endpoint ? ` at ${this.settings.endpoint}` : ''} for ${action} on ${where}: ${reason}`,
      { cause: error },
    );
  }
}

function isPreconditionFailure(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 412 ||
      error.name === 'PreconditionFailed' ||
      error.name === 'ConditionalRequestConflict')
  );
}
