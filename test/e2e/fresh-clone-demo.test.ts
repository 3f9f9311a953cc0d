import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../harness/run-action.js';

/**
 * What the README's "Develop" section tells a new user to do, on a fresh clone of the committed
 * tree: `make demo`, with TLB_DEMO_MODEL=tiny (the tiny random model, minutes instead of the
 * SmolLM2 run's quarter hour; the plumbing is the point here, learning is the learning test's).
 * (The README's other command, `make test`, is what runs this test; .ci/run calling it is
 * checked in test/unit/readme.test.ts.)
 */
describe('a new user on a fresh clone', () => {
  it('runs the README demo command, which shows a posted review on lines of the diff', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const command = /\| the main job locally[^|]*\| `([^`]+)` \|/.exec(readme)?.[1];
    expect(command).toBe('make demo');

    const clone = mkdtempSync(join(tmpdir(), 'tlb-clone-'));
    try {
      execFileSync('git', ['clone', '--quiet', repoRoot, clone]);
      const [program = '', ...args] = (command ?? '').split(' ');
      // The tiny random model: this test is about the plumbing from a fresh clone; the SmolLM2
      // demo's learning is test/e2e/smollm2-learning.test.ts's.
      const demo = spawnSync(program, args, {
        cwd: clone,
        encoding: 'utf8',
        timeout: 900_000,
        env: { ...process.env, TLB_DEMO_MODEL: 'tiny' },
      });
      const output = `${demo.stdout}${demo.stderr}`;
      expect([demo.status, output.slice(-3000)]).toEqual([0, expect.any(String)]);
      // The train job's status comment shows the adapter beside the baselines it was gated against.
      expect(output).toContain(
        '| held-out hunks | adapter | base model + examples | always comment | never comment |',
      );
      expect(output).toContain('== the review on the pull request');
      expect(output).toMatch(/Hunks: \d+ seen/);
      expect(output).not.toContain('(not in the diff!)');
      expect(output).toContain('eyes rocket');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  }, 1_000_000);
});
