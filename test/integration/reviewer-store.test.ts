import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { ObjectStore } from '../../src/store/object-store.js';
import { ReviewerStore, type Manifest } from '../../src/store/reviewer-store.js';
import { MOTO_ENV, MotoServer } from '../harness/moto.js';
import { repoRoot } from '../harness/run-action.js';

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
    // Only the run that holds the lock releases it.
    expect(await store.releaseTrainingLock('https://github.com/acme/widgets/actions/runs/2')).toBe(
      false,
    );
    expect(await store.releaseTrainingLock('https://github.com/acme/widgets/actions/runs/1')).toBe(
      true,
    );
    expect(
      await store.acquireTrainingLock('https://github.com/acme/widgets/actions/runs/3'),
    ).toEqual({ acquired: true });
  });

  it('takes its own lock again when the same workflow run is re-run', async () => {
    const store = new ReviewerStore(objects, 'acme', 'widgets', 'frank');
    expect(await store.acquireTrainingLock('run/1')).toEqual({ acquired: true });
    expect(await store.acquireTrainingLock('run/1')).toEqual({ acquired: true });
  });

  it('does not delete a lock that another run took over after this run read it', async () => {
    const store = new ReviewerStore(objects, 'acme', 'widgets', 'grace');
    const key = 'acme/widgets/grace/training.lock';
    await store.acquireTrainingLock('run/old');
    // Between this run's read and its delete, another run takes the lock over: the delete is
    // conditional on the ETag read, so it must lose.
    const get = objects.get.bind(objects);
    const racing = Object.create(objects) as ObjectStore;
    racing.get = async (relative: string) => {
      const read = await get(relative);
      await objects.put(
        key,
        JSON.stringify({ runUrl: 'run/new', acquiredAt: new Date().toISOString() }),
      );
      return read;
    };
    const racingStore = new ReviewerStore(racing, 'acme', 'widgets', 'grace');

    expect(await racingStore.releaseTrainingLock('run/old')).toBe(false);
    expect(JSON.parse((await objects.get(key))?.body ?? '{}')).toMatchObject({ runUrl: 'run/new' });
  });

  it('writes manifests as contracts/manifest/schema.json specifies them', async () => {
    const golden = JSON.parse(
      readFileSync(`${repoRoot}/contracts/manifest/prepared.json`, 'utf8'),
    ) as Manifest;
    const store = new ReviewerStore(objects, 'Acme', 'Widgets', 'Heidi');
    await store.updateManifest((m) => ({
      ...m,
      pending: golden.pending,
      freshness: golden.freshness,
    }));
    const validate = new Ajv2020().compile(
      JSON.parse(readFileSync(`${repoRoot}/contracts/manifest/schema.json`, 'utf8')),
    );
    const written = (await store.readManifest())?.manifest;
    expect(validate(written) ? [] : validate.errors).toEqual([]);
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
