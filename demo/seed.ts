import type { GitHubEmulator } from '../test/emulator/index.js';

/**
 * A small but realistic repository for the demo: merged pull requests that `alice` reviewed,
 * and one open pull request to review. Her habits are plain enough for a small model to learn
 * from a few dozen hunks: a hard-coded timeout gets her remark about magic numbers, a log line
 * with the input's id gets her remark about leaks, and a hunk with neither she leaves alone.
 * Every hunk has the same shape, so only what the lines say tells her comments apart.
 */
type Kind = 'magic' | 'leak' | 'clean';

/** Her remark per habit, in two wordings, on the line of the hunk it is about. */
const HABITS: Record<Exclude<Kind, 'clean'>, { line: number; remarks: string[] }> = {
  magic: {
    line: 12,
    remarks: ['Magic number: give it a name.', 'Magic number again: name it and say why.'],
  },
  leak: {
    line: 16,
    remarks: [
      'This log line will leak the input id. Drop it.',
      'Do not log the input id, it leaks.',
    ],
  },
};

/** Per pull request, the kinds of its four files: half of the hunks get a remark. */
const KINDS: Kind[] = ['magic', 'clean', 'leak', 'clean'];

const FILES = ['src/cache.ts', 'src/api/client.ts', 'src/jobs/queue.ts', 'src/util/retry.ts'];

function patch(n: number, kind: Kind): string {
  return [
    `@@ -10,6 +10,9 @@ export function handle${n}(input: Input) {`,
    '   const config = loadConfig();',
    `-  const items = [];`,
    `+  const items${n} = new Array(config.size).fill(0);`,
    kind === 'magic' ? `+  const timeout = ${1000 + n};` : `+  const timeout = config.timeoutMs;`,
    '   if (!config.enabled) {',
    '     return undefined;',
    '   }',
    kind === 'leak'
      ? `+  logger.info("processing", input.id);`
      : `+  metrics.increment("processed_${n % 7}");`,
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
    const kinds = FILES.map((_, f) => KINDS[(i + f) % KINDS.length] ?? 'clean');
    const files = FILES.map((filename, f) => ({
      filename,
      status: 'modified' as const,
      patch: patch(i * 4 + f, kinds[f] ?? 'clean'),
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
    files.forEach((file, c) => {
      const kind = kinds[c] ?? 'clean';
      if (kind === 'clean') return;
      const { line, remarks } = HABITS[kind];
      gh.addReviewComment(repo, pr.number, {
        user: 'alice',
        body: remarks[i % remarks.length] ?? '',
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
    });
  }
  // The open pull request: changes of the kinds she reviewed, two she would comment on.
  return gh.addPullRequest(repo, {
    title: 'Cache widget lookups',
    user: 'carol',
    files: FILES.map((filename, f) => ({
      filename,
      status: 'modified' as const,
      patch: patch(400 + f, KINDS[f] ?? 'clean'),
    })),
  }).number;
}
