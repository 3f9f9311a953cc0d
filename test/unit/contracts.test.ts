import { describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import {
  appendStatus,
  parseStatus,
  renderStatus,
  type StatusDocument,
  type StatusLine,
} from '../../src/github/status-document.js';
import {
  recordAcceptance,
  recordReview,
  type Manifest,
  type TrainingLock,
} from '../../src/store/reviewer-store.js';
import { acceptanceLine } from '../../src/feedback/acceptance.js';
import type { AcceptanceCounts } from '../../src/feedback/types.js';
import { repoRoot } from '../harness/run-action.js';

/**
 * The action against the specifications it shares with the Python trainer (contracts/): the
 * same golden files that training-runner/tests/test_contracts.py checks.
 */
const contracts = `${repoRoot}/contracts`;
const read = (path: string): string => readFileSync(`${contracts}/${path}`, 'utf8');
const readJson = <T>(path: string): T => JSON.parse(read(path)) as T;
/** The golden files end with a newline; the bodies do not. */
const body = (name: string): string => read(`status-comment/${name}`).replace(/\n$/, '');

interface StatusCases {
  documents: Record<string, StatusDocument | null>;
  acceptance: { counts: AcceptanceCounts; checkedAt: string; text: string }[];
  appends: {
    name: string;
    before: string;
    reviewer: string;
    runUrl: string;
    lines: StatusLine[];
    blocks: string[];
    after: string;
  }[];
}
const statusCases = readJson<StatusCases>('status-comment/cases.json');
const documents = Object.entries(statusCases.documents);

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validStatus = ajv.compile(readJson('status-comment/schema.json'));
const validManifest = ajv.compile(readJson('manifest/schema.json'));
const validLock = ajv.compile(readJson('manifest/training-lock.schema.json'));

describe('the status comment contract', () => {
  it('has golden documents and appends', () => {
    expect(documents.length).toBeGreaterThanOrEqual(3);
    expect(statusCases.appends.length).toBeGreaterThanOrEqual(3);
  });

  it.each(documents)('%s reads as its document and renders back', (name, expected) => {
    expect(parseStatus(body(name)) ?? null).toEqual(expected);
    if (expected) {
      expect(validStatus(expected)).toBe(true);
      expect(renderStatus(expected)).toBe(body(name));
    }
  });

  it.each(statusCases.appends.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const document = appendStatus(parseStatus(body(c.before)), c);
    expect(renderStatus(document)).toBe(body(c.after));
    expect(parseStatus(body(c.after))).toEqual({
      ...document,
      lines: document.lines.map((l) => ({ ...l, text: l.text.replace(/\s*\n\s*/g, ' ') })),
      blocks: document.blocks.map((b) => b.trimEnd()),
    });
  });

  it('pins the acceptance line, which reused.md shows', () => {
    expect(statusCases.acceptance.length).toBeGreaterThanOrEqual(1);
    const reused = statusCases.documents['reused.md']?.lines.map((line) => line.text);
    for (const { counts, checkedAt, text } of statusCases.acceptance) {
      expect(acceptanceLine(counts, checkedAt)).toBe(text);
      expect(reused).toContain(text);
    }
  });

  it('rejects a document the spec does not allow', () => {
    const golden = statusCases.documents['prepared.md'];
    expect(validStatus({ ...golden, lines: [{ state: 'maybe', text: 'x' }] })).toBe(false);
    expect(validStatus({ ...golden, blocks: ['a\n\nb'] })).toBe(false);
  });
});

describe('the manifest contract', () => {
  it.each(['prepared.json', 'promoted.json'])('%s is a valid manifest', (name) => {
    const manifest = readJson<Manifest>(`manifest/${name}`);
    expect(validManifest(manifest) ? [] : validManifest.errors).toEqual([]);
  });

  it('rejects fields and values that one side would not understand', () => {
    const manifest = readJson<Manifest>('manifest/prepared.json');
    expect(validManifest({ ...manifest, scrapeCursor: { since: manifest.updatedAt } })).toBe(false);
    const current = { ...manifest.current, metrics: { comment_f1: 'high' } };
    expect(validManifest({ ...manifest, current })).toBe(false);
    const baselines = { 'never-comment': { score: 0 }, 'always-comment': 0 };
    expect(validManifest({ ...manifest, current: { ...manifest.current, baselines } })).toBe(false);
  });

  it('rejects acceptance without every verdict, and a review without its id', () => {
    const manifest = readJson<Manifest>('manifest/prepared.json');
    const acceptance = {
      counts: { approved: 1, addressed: 0, ignored: 0 },
      checkedAt: manifest.updatedAt,
    };
    expect(validManifest({ ...manifest, current: { ...manifest.current, acceptance } })).toBe(
      false,
    );
    const [review] = manifest.reviews ?? [];
    expect(validManifest({ ...manifest, reviews: [{ ...review, reviewId: undefined }] })).toBe(
      false,
    );
  });

  it('prepared.json holds what recordReview and recordAcceptance write', () => {
    const golden = readJson<Manifest>('manifest/prepared.json');
    const [newer, older] = golden.reviews ?? [];
    const { current } = golden;
    expect(newer && older && current?.acceptance).toBeTruthy();
    if (!newer || !older || !current?.acceptance) return;
    const { acceptance, ...withoutAcceptance } = current;
    let manifest: Manifest = { ...golden, current: withoutAcceptance, reviews: undefined };
    manifest = recordReview(recordReview(manifest, older), newer);
    manifest = recordAcceptance(manifest, current.id, acceptance.counts, acceptance.checkedAt);
    expect(manifest).toEqual(golden);
  });

  it('describes the training lock', () => {
    expect(validLock(readJson<TrainingLock>('manifest/lock.json'))).toBe(true);
    expect(validLock({ runUrl: 'x' })).toBe(false);
  });
});
