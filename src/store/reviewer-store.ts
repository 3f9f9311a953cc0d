import { createHash } from 'node:crypto';
import type { AcceptanceCounts } from '../feedback/types.js';
import { ConflictError, type ObjectStore } from './object-store.js';

/**
 * The S3 layout of one reviewer in one repository (DESIGN.md, "Data in S3"):
 *
 *   <prefix>/<owner>/<repo>/<reviewer>/manifest.json
 *   <prefix>/<owner>/<repo>/<reviewer>/training.lock
 *   <prefix>/<owner>/<repo>/<reviewer>/datasets/<digest>/{train,eval}.jsonl, meta.json
 *   <prefix>/<owner>/<repo>/<reviewer>/adapters/<adapter-id>/...
 *
 * The manifest and the lock are JSON with camelCase keys, specified once for this action and
 * the Python trainer in contracts/manifest/; every write is conditional.
 */

export interface AdapterRecord {
  id: string;
  /** The model name the vLLM server knows the adapter by. */
  name: string;
  baseModel: string;
  datasetDigest: string;
  createdAt: string;
  /** Review comments the dataset was built from, to tell when it is stale. */
  comments: number;
  /** The trainer's numbers on the held-out hunks (contracts/manifest/README.md). */
  metrics?: Record<string, number>;
  /** The same numbers for each model the adapter was compared with, by name. */
  baselines?: Record<string, Record<string, number>>;
  /** What came of the adapter's posted comments at the last feedback collection. */
  acceptance?: { counts: AcceptanceCounts; checkedAt: string };
}

/** A review the bot posted in the reviewer's voice: where feedback collection looks. */
export interface ReviewRecord {
  pullNumber: number;
  adapterId: string;
  reviewId: number;
  url: string;
  postedAt: string;
  /** Inline comments it posted. */
  comments: number;
}

export interface PendingTraining {
  adapterId: string;
  adapterName: string;
  baseModel: string;
  datasetDigest: string;
  datasetUri: string;
  comments: number;
  requestedAt: string;
  runUrl: string;
}

export interface Manifest {
  schemaVersion: 1;
  owner: string;
  repo: string;
  reviewer: string;
  /** The adapter reviews use; absent until one passes the quality gate. */
  current?: AdapterRecord;
  /** Earlier adapters, newest first, for rollback. */
  previous: AdapterRecord[];
  pending?: PendingTraining;
  /**
   * Review comments the reviewer wrote since the current adapter was built, and where counting
   * resumes (a time and the ETag of GitHub's last answer, so that a check with nothing new is free).
   */
  freshness?: { adapterId: string; newComments: number; cursor: { since: string; etag?: string } };
  /** Reviews with inline comments the bot posted in the reviewer's voice, newest first. */
  reviews?: ReviewRecord[];
  updatedAt: string;
}

export interface TrainingLock {
  runUrl: string;
  acquiredAt: string;
}

/** A lock older than this belongs to a run that died; the next run may take it over. */
const LOCK_TTL_MS = 6 * 60 * 60 * 1000;
const MANIFEST_ATTEMPTS = 3;
/**
 * Reviews the manifest remembers. Feedback collection revisits each one's pull request, and a
 * dataset fetches at most MAX_DIFFS_SEEN (200) diffs for their hunks, so older ones could not
 * become examples anyway; the manifest, read by every run, stays a few tens of kB.
 */
export const MAX_REVIEW_RECORDS = 200;
const LOCK_FILE = 'training.lock';

export class ReviewerStore {
  readonly owner: string;
  readonly repo: string;
  readonly reviewer: string;

  constructor(
    private readonly store: ObjectStore,
    owner: string,
    repo: string,
    reviewer: string,
  ) {
    // Logins and repository names are case-insensitive on GitHub: one prefix per reviewer.
    this.owner = owner.toLowerCase();
    this.repo = repo.toLowerCase();
    this.reviewer = reviewer.toLowerCase();
  }

  private path(relative: string): string {
    return `${this.owner}/${this.repo}/${this.reviewer}/${relative}`;
  }

  uri(relative = ''): string {
    return this.store.uri(this.path(relative));
  }

  /** The adapter's name on the model server: it encodes where the adapter lives. */
  adapterName(adapterId: string): string {
    return `tlb/${this.owner}/${this.repo}/${this.reviewer}/${adapterId}`;
  }

  /** A new adapter's id, derived from what it is trained on and the run that trains it. */
  static adapterId(datasetDigest: string, baseModel: string, runUrl: string): string {
    return createHash('sha256')
      .update([datasetDigest, baseModel, runUrl].join('\u0000'))
      .digest('hex')
      .slice(0, 16);
  }

  async readManifest(): Promise<{ manifest: Manifest; etag: string } | undefined> {
    const stored = await this.store.get(this.path('manifest.json'));
    if (!stored) return undefined;
    return { manifest: JSON.parse(stored.body) as Manifest, etag: stored.etag };
  }

  /**
   * Read-modify-write of the manifest with conditional writes: when another run wrote in
   * between, read again and re-apply `change`, never overwriting what it wrote.
   */
  async updateManifest(change: (current: Manifest) => Manifest): Promise<Manifest> {
    for (let attempt = 1; ; attempt++) {
      const read = await this.readManifest();
      const next = change(read?.manifest ?? this.emptyManifest());
      next.updatedAt = new Date().toISOString();
      try {
        await this.store.put(this.path('manifest.json'), `${JSON.stringify(next, null, 2)}\n`, {
          condition: read ? { ifMatch: read.etag } : { ifNoneMatch: '*' },
        });
        return next;
      } catch (error: unknown) {
        if (!(error instanceof ConflictError) || attempt >= MANIFEST_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Takes the training lock, or says which run holds it. A lock past its TTL is taken over, and
   * one this run already holds (a re-run of the same workflow run) is taken again.
   */
  async acquireTrainingLock(
    runUrl: string,
  ): Promise<{ acquired: true } | { acquired: false; lock: TrainingLock }> {
    const key = this.path(LOCK_FILE);
    const lock: TrainingLock = { runUrl, acquiredAt: new Date().toISOString() };
    try {
      await this.store.put(key, JSON.stringify(lock), { condition: { ifNoneMatch: '*' } });
      return { acquired: true };
    } catch (error: unknown) {
      if (!(error instanceof ConflictError)) throw error;
    }
    const held = await this.store.get(key);
    if (!held) return this.acquireTrainingLock(runUrl);
    const holder = parseLock(held.body);
    // NaN (a time that does not parse) counts as expired too.
    const expired = !(Date.now() - Date.parse(holder.acquiredAt) < LOCK_TTL_MS);
    if (holder.runUrl !== runUrl && !expired) return { acquired: false, lock: holder };
    try {
      await this.store.put(key, JSON.stringify(lock), { condition: { ifMatch: held.etag } });
      return { acquired: true };
    } catch (error: unknown) {
      if (error instanceof ConflictError) return { acquired: false, lock: holder };
      throw error;
    }
  }

  /**
   * Deletes the training lock when `runUrl` holds it; returns whether it did. The delete is
   * conditional on the ETag of the lock read, so a lock another run took over in between stays.
   */
  async releaseTrainingLock(runUrl: string): Promise<boolean> {
    const key = this.path(LOCK_FILE);
    const held = await this.store.get(key);
    if (!held || parseLock(held.body).runUrl !== runUrl) return false;
    try {
      await this.store.delete(key, { ifMatch: held.etag });
      return true;
    } catch (error: unknown) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /**
   * What a stored adapter says about itself (PEFT's adapter_config.json), to explain why a model
   * server refuses it; undefined when it is not in S3.
   */
  async readAdapterConfig(
    adapterId: string,
  ): Promise<{ baseModel?: string; rank?: number } | undefined> {
    const stored = await this.store.get(this.path(`adapters/${adapterId}/adapter_config.json`));
    if (!stored) return undefined;
    const config = JSON.parse(stored.body) as { base_model_name_or_path?: unknown; r?: unknown };
    return {
      ...(typeof config.base_model_name_or_path === 'string'
        ? { baseModel: config.base_model_name_or_path }
        : {}),
      ...(typeof config.r === 'number' ? { rank: config.r } : {}),
    };
  }

  /** Uploads a dataset; returns the URI of its folder. */
  async uploadDataset(
    digest: string,
    files: Record<'train.jsonl' | 'eval.jsonl' | 'meta.json', string>,
  ): Promise<string> {
    for (const [name, body] of Object.entries(files)) {
      await this.store.put(this.path(`datasets/${digest}/${name}`), body, {
        contentType: name.endsWith('.json') ? 'application/json' : 'application/x-ndjson',
      });
    }
    return this.uri(`datasets/${digest}/`);
  }

  private emptyManifest(): Manifest {
    return {
      schemaVersion: 1,
      owner: this.owner,
      repo: this.repo,
      reviewer: this.reviewer,
      previous: [],
      updatedAt: new Date().toISOString(),
    };
  }
}

/** The manifest with `review` first among its reviews, at most MAX_REVIEW_RECORDS of them. */
export function recordReview(manifest: Manifest, review: ReviewRecord): Manifest {
  const others = (manifest.reviews ?? []).filter((r) => r.reviewId !== review.reviewId);
  return { ...manifest, reviews: [review, ...others].slice(0, MAX_REVIEW_RECORDS) };
}

/**
 * The manifest with the adapter's acceptance as of `checkedAt`, wherever the adapter is (current
 * or previous); unchanged when it knows no such adapter.
 */
export function recordAcceptance(
  manifest: Manifest,
  adapterId: string,
  counts: AcceptanceCounts,
  checkedAt: string,
): Manifest {
  const update = (record: AdapterRecord): AdapterRecord =>
    record.id === adapterId
      ? { ...record, acceptance: { counts: { ...counts }, checkedAt } }
      : record;
  return {
    ...manifest,
    ...(manifest.current ? { current: update(manifest.current) } : {}),
    previous: manifest.previous.map(update),
  };
}

/** A lock that cannot be read (contracts/manifest/training-lock.schema.json) counts as expired. */
function parseLock(body: string): TrainingLock {
  try {
    const lock = JSON.parse(body) as Partial<TrainingLock>;
    return { runUrl: String(lock.runUrl ?? ''), acquiredAt: String(lock.acquiredAt ?? '') };
  } catch {
    return { runUrl: '', acquiredAt: '' };
  }
}
