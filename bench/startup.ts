import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCommentEvent } from '../test/harness/events.js';
import { repoRoot, repositoryActionNode } from '../test/harness/run-action.js';
import type { Measurement } from './run.js';

const RUNS = 21;

/** Wall time of the action on a comment that is not for the bot, against a bare Node start. */
export async function startup(): Promise<Measurement[]> {
  const work = mkdtempSync(join(tmpdir(), 'tlb-bench-'));
  try {
    const eventPath = join(work, 'event.json');
    const payload = issueCommentEvent({
      repository: 'acme/widgets',
      issueNumber: 1,
      isPullRequest: true,
      comment: { id: 1, body: 'Looks good to me, thanks!', user: { login: 'bob' } },
    });
    writeFileSync(eventPath, JSON.stringify(payload));
    const env = {
      PATH: process.env.PATH ?? '',
      GITHUB_EVENT_NAME: 'issue_comment',
      GITHUB_EVENT_PATH: eventPath,
      INPUT_STEP: 'prepare',
      INPUT_HANDLE: 'tech-lead-bot',
    };
    // The Node the runner starts the action with.
    const node = repositoryActionNode();
    const action: number[] = [];
    const bare: number[] = [];
    // Interleaved, so that both see the same machine load.
    for (let i = 0; i < RUNS; i++) {
      action.push(time(node, [join(repoRoot, 'dist/index.js')], env));
      bare.push(time(node, ['-e', ''], env));
    }
    return [
      { metric: 'noop_exit_ms', value: median(action), unit: 'ms', limit_value: median(bare) },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function time(node: string, args: string[], env: Record<string, string>): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(node, args, { env, stdio: 'ignore' });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 10) / 10;
}
