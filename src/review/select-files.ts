import { minimatch } from 'minimatch';
import { parsePatch, type Hunk } from '../diff/hunks.js';

export interface PullFileEntry {
  filename: string;
  status: string;
  patch?: string;
  previous_filename?: string;
}

export interface ReviewableFile {
  path: string;
  hunks: Hunk[];
}

export interface SkippedFile {
  path: string;
  reason: string;
}

/** Files a reviewer reads past: dependency locks, generated and vendored code, build output. */
const NOT_REVIEWED: [pattern: string, reason: string][] = [
  ['**/{package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,bun.lockb}', 'lockfile'],
  [
    '**/{Cargo.lock,Gemfile.lock,composer.lock,poetry.lock,Pipfile.lock,uv.lock,go.sum,flake.lock}',
    'lockfile',
  ],
  ['**/{vendor,third_party,node_modules}/**', 'vendored'],
  ['**/{dist,build,out,target}/**', 'build output'],
  ['**/*.{min.js,min.css,map,pb.go,snap}', 'generated'],
  ['**/*{_generated,.generated,_pb2}.*', 'generated'],
];

/**
 * Splits a pull request's files into those worth a review (with their hunks) and those skipped,
 * each with the reason a person would give.
 */
export function selectFiles(
  files: PullFileEntry[],
  excludePaths: string[],
): { reviewable: ReviewableFile[]; skipped: SkippedFile[] } {
  const reviewable: ReviewableFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    const reason = skipReason(file, excludePaths);
    if (reason) {
      skipped.push({ path: file.filename, reason });
      continue;
    }
    const hunks = parsePatch(file.patch ?? '').filter((hunk) =>
      hunk.rows.some((row) => row.kind !== 'context'),
    );
    if (hunks.length === 0) skipped.push({ path: file.filename, reason: 'no changed lines' });
    else reviewable.push({ path: file.filename, hunks });
  }
  return { reviewable, skipped };
}

function skipReason(file: PullFileEntry, excludePaths: string[]): string | undefined {
  if (file.status === 'removed') return 'deleted';
  if (!file.patch)
    return file.status === 'renamed' ? 'renamed without changes' : 'binary or too large for a diff';
  const glob = { dot: true, nocase: true };
  if (excludePaths.some((pattern) => minimatch(file.filename, pattern, glob)))
    return 'excluded by exclude-paths';
  return NOT_REVIEWED.find(([pattern]) => minimatch(file.filename, pattern, glob))?.[1];
}
