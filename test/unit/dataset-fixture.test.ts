import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { toJsonl } from '../../src/dataset/build.js';
import { fixtureDataset, fixtureFewShot } from '../fixtures/dataset/history.js';
import { repoRoot } from '../harness/run-action.js';

describe('the dataset fixture the Python trainer trains on', () => {
  it.each(['train', 'eval'] as const)('%s.jsonl is what the TypeScript builder makes', (split) => {
    const committed = readFileSync(`${repoRoot}/test/fixtures/dataset/${split}.jsonl`, 'utf8');
    // Regenerate with: npx tsx test/fixtures/dataset/write.ts
    expect(toJsonl(fixtureDataset()[split])).toBe(committed);
  });

  it('few-shot.json is what the prepare step writes into meta.json for it', () => {
    const committed = readFileSync(`${repoRoot}/test/fixtures/dataset/few-shot.json`, 'utf8');
    const turns = fixtureFewShot();
    expect(turns.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(`${JSON.stringify(turns, null, 2)}\n`).toBe(committed);
  });

  it('has both kinds of example in both splits', () => {
    const dataset = fixtureDataset();
    for (const split of [dataset.train, dataset.eval]) {
      expect(new Set(split.map((e) => e.meta.kind))).toEqual(new Set(['positive', 'negative']));
    }
  });
});
