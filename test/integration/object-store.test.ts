import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConflictError, ObjectStore } from '../../src/store/object-store.js';
import type { S3Settings } from '../../src/settings.js';
import { MOTO_ENV, MotoServer } from '../harness/moto.js';

let moto: MotoServer;

beforeAll(async () => {
  Object.assign(process.env, MOTO_ENV);
  moto = await MotoServer.start();
  await moto.createBucket('adapters');
});

afterAll(async () => {
  await moto.stop();
});

function store(overrides: Partial<S3Settings> = {}): ObjectStore {
  return new ObjectStore({
    bucket: 'adapters',
    prefix: 'tlb',
    region: 'us-east-1',
    endpoint: moto.endpoint,
    sse: 'AES256',
    ...overrides,
  });
}

describe('ObjectStore against moto', () => {
  it.each([
    ['AES256', 'AES256'],
    ['none', undefined],
  ] as const)('writes with s3-sse %s', async (sse, stored) => {
    await store({ sse }).put(`sse-${sse}.json`, '{}');
    const head = await new S3Client({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      forcePathStyle: true,
    }).send(new HeadObjectCommand({ Bucket: 'adapters', Key: `tlb/sse-${sse}.json` }));
    expect(head.ServerSideEncryption).toBe(stored);
  });

  it('writes and reads objects under the prefix', async () => {
    const s = store();
    const etag = await s.put('a/b.json', '{"x":1}');
    expect(etag).toMatch(/^"/);
    expect(await s.get('a/b.json')).toEqual({ body: '{"x":1}', etag });
    expect(s.uri('a/b.json')).toBe('s3://adapters/tlb/a/b.json');
    expect(await s.get('a/missing.json')).toBeUndefined();
  });

  it('creates once: a second create-only write conflicts', async () => {
    const s = store();
    await s.put('lock.json', 'first', { condition: { ifNoneMatch: '*' } });
    await expect(s.put('lock.json', 'second', { condition: { ifNoneMatch: '*' } })).rejects.toThrow(
      ConflictError,
    );
    expect((await s.get('lock.json'))?.body).toBe('first');
  });

  it('replaces only the version it read', async () => {
    const s = store();
    const first = await s.put('manifest.json', 'v1');
    const second = await s.put('manifest.json', 'v2', { condition: { ifMatch: first } });
    await expect(s.put('manifest.json', 'v3', { condition: { ifMatch: first } })).rejects.toThrow(
      ConflictError,
    );
    expect(await s.get('manifest.json')).toEqual({ body: 'v2', etag: second });
  });

  it('names a missing bucket', async () => {
    await expect(store({ bucket: 'no-such-bucket' }).get('x')).rejects.toThrow(
      "The bucket 'no-such-bucket' does not exist in us-east-1. Create it or fix the s3-uri input.",
    );
  });

  it('says when S3 cannot be reached', async () => {
    await expect(store({ endpoint: 'http://127.0.0.1:9' }).get('x')).rejects.toThrow(
      /Could not reach S3 at http:\/\/127\.0\.0\.1:9 for s3:GetObject on s3:\/\/adapters\/tlb\/x/,
    );
  });
});
