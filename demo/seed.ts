import type { GitHubEmulator } from '../test/emulator/index.js';

/**
 * A small but realistic repository for the demo: merged pull requests that `alice` reviewed
 * (a few comments each, in her habits: the same kind of line gets the same kind of remark),
 * and one open pull request to review.
 */
const REMARKS: Record<number, string[]> = {
  11: [
    'This allocates on every call; hoist it out of the loop.',
    'Allocating here on every call adds up. Hoist it.',
  ],
  12: ['Magic number: give it a name.', 'Magic number again: name it and say why.'],
  16: ['This log line will leak the input id. Drop it.', 'Do not log the input id, it leaks.'],
};

const FILES = ['src/cache.ts', 'src/api/client.ts', 'src/jobs/queue.ts', 'src/util/retry.ts'];

function patch(n: number): string {
  return [
    `@@ -10,6 +10,9 @@ export function handle${n}(input: Input) {`,
    '   const config = loadConfig();',
    `-  const items = [];`,
    `+  const items${n} = new Array(${n}).fill(0);`,
    `+  const timeout = ${1000 + n};`,
    '   if (!config.enabled) {',
    '     return undefined;',
    '   }',
    `+  logger.info("processing", input.id);`,
    '   return process(input, config);',
    ' }',
  ].join('\n');
}

export function seedDemoRepository(gh: GitHubEmulator, repo: string, pulls = 40): number {
  for (const login of ['alice', 'bob', 'carol']) gh.addUser(login);
  gh.setPermission(repo, 'alice', 'admin');
  gh.setPermission(repo, 'bob', 'write');
  for (let i = 0; i < pulls; i++) {
    const day = new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
    const files = FILES.map((filename, f) => ({
      filename,
      status: 'modified' as const,
      patch: patch(i * 4 + f),
    }));
    const pr = gh.addPullRequest(repo, {
      user: 'carol',
      title: `Improve ${FILES[i % FILES.length]} (${i})`,
      state: 'closed',
      created_at: `${day}T08:00:00Z`,
      files,
    });
    const review = gh.addReview(repo, pr.number, {
      user: 'alice',
      state: 'COMMENTED',
      submitted_at: `${day}T11:00:00Z`,
    });
    // Two or three comments per pull request, on the first files; the others she left alone.
    for (let c = 0; c < 2 + (i % 2); c++) {
      const line = [11, 12, 16][c] ?? 11;
      const file = files[c];
      if (!file) continue;
      gh.addReviewComment(repo, pr.number, {
        user: 'alice',
        body: REMARKS[line]?.[i % 2] ?? '',
        path: file.filename,
        diff_hunk: file.patch
          .split('\n')
          .slice(0, line - 10 + 3)
          .join('\n'),
        line,
        side: 'RIGHT',
        review_id: review.id,
        created_at: `${day}T11:0${c}:00Z`,
      });
    }
  }
  // The open pull request: changes of the same kind as those she reviewed.
  return gh.addPullRequest(repo, {
    title: 'Cache widget lookups',
    user: 'carol',
    files: FILES.map((filename, f) => ({
      filename,
      status: 'modified' as const,
      patch: patch(400 + f),
    })),
  }).number;
}
