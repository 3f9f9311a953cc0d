import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ObjectStore } from '../../src/store/object-store.js';
import { ReviewerStore } from '../../src/store/reviewer-store.js';
import { MOTO_ENV, MotoServer } from '../harness/moto.js';

let moto: MotoServer;
let objects: ObjectStore;

beforeAll(async () => {
  Object.assign(process.env, MOTO_ENV);
  moto = await MotoServer.start();
  await moto.createBucket('adapters');
  objects = new ObjectStore({
    bucket: 'adapters',
    prefix: 'tlb',
    endpoint: moto.endpoint,
    sse: 'AES256',
  });
});

afterAll(async () => {
  await moto.stop();
});

describe('ReviewerStore', () => {
  it('keeps one prefix per reviewer, whatever the case of the names', () => {
    const store = new ReviewerStore(objects, 'Acme', 'Widgets', 'Alice');
    expect(store.uri('manifest.json')).toBe('s3://adapters/tlb/acme/widgets/alice/manifest.json');
    expect(store.adapterName('0123456789abcdef')).toBe('tlb/acme/widgets/alice/0123456789abcdef');
  });

  it('derives adapter ids from their inputs', () => {
    const id = ReviewerStore.adapterId('d1', 'meta-llama/Llama-3.1-8B-Instruct', 'run/1');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(ReviewerStore.adapterId('d1', 'meta-llama/Llama-3.1-8B-Instruct', 'run/1')).toBe(id);
    expect(ReviewerStore.adapterId('d2', 'meta-llama/Llama-3.1-8B-Instruct', 'run/1')).not.toBe(id);
  });

  it('creates the manifest once and applies concurrent updates one after the other', async () => {
    const store = new ReviewerStore(objects, 'acme', 'widgets', 'bob');
    expect(await store.readManifest()).toBeUndefined();
    // Two runs update at the same time: neither update is lost.
    await Promise.all([
      store.updateManifest((m) => ({ ...m, previous: [...m.previous, record('a')] })),
      store.updateManifest((m) => ({ ...m, previous: [...m.previous, record('b')] })),
    ]);
    const read = await store.readManifest();
    expect(read?.manifest.previous.map((r) => r.id).sort()).toEqual(['a', 'b']);
    expect(read?.manifest).toMatchObject({
      schemaVersion: 1,
      owner: 'acme',
      repo: 'widgets',
      reviewer: 'bob',
    });
  });

  it('lets one run train at a time', async () => {
    const store = new ReviewerStore(objects, 'acme', 'widgets', 'carol');
    expect(
      await store.acquireTrainingLock('https://github.com/acme/widgets/actions/runs/1'),
    ).toEqual({ acquired: true });
    const second = await store.acquireTrainingLock(
      'https://github.com/acme/widgets/actions/runs/2',
    );
    expect(second).toMatchObject({
      acquired: false,
      lock: { runUrl: 'https://github.com/acme/widgets/actions/runs/1' },
    });
    await store.releaseTrainingLock();
    expect(
      await store.acquireTrainingLock('https://github.com/acme/widgets/actions/runs/3'),
    ).toEqual({ acquired: true });
  });

  it('takes over a lock left by a run that died long ago', async () => {
    const store = new ReviewerStore(objects, 'acme', 'widgets', 'dave');
    await objects.put(
      'acme/widgets/dave/training.lock',
      JSON.stringify({ runUrl: 'old', acquiredAt: '2020-01-01T00:00:00Z' }),
    );
    expect(await store.acquireTrainingLock('new')).toEqual({ acquired: true });
    expect(
      JSON.parse((await objects.get('acme/widgets/dave/training.lock'))?.body ?? '{}'),
    ).toMatchObject({
      runUrl: 'new',
    });
  });

  it('uploads a dataset next to the manifest', async () => {
    const store = new ReviewerStore(objects, 'acme', 'widgets', 'erin');
    const uri = await store.uploadDataset('abc', {
      'train.jsonl': '{}\n',
      'eval.jsonl': '',
      'meta.json': '{}',
    });
    expect(uri).toBe('s3://adapters/tlb/acme/widgets/erin/datasets/abc/');
    expect((await objects.get('acme/widgets/erin/datasets/abc/train.jsonl'))?.body).toBe('{}\n');
  });
});

function record(id: string) {
  return {
    id,
    name: `tlb/x/${id}`,
    baseModel: 'm',
    datasetDigest: 'd',
    createdAt: '2026-01-01T00:00:00Z',
    comments: 1,
  };
}
