import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../harness/run-action.js';

const WORKFLOW = 'examples/workflows/tech-lead-bot.yml';
const validator = join(repoRoot, 'node_modules/.bin/action-validator');

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number | boolean>;
}
interface Workflow {
  permissions?: unknown;
  jobs: Record<
    string,
    {
      permissions?: Record<string, string>;
      steps: Step[];
      if?: string;
      'timeout-minutes'?: number;
    }
  >;
}

function validate(file: string): void {
  execFileSync(validator, [file], { stdio: 'pipe' });
}

function runSteps(doc: { runs?: { steps?: Step[] }; jobs?: Workflow['jobs'] }): Step[] {
  return [...(doc.runs?.steps ?? []), ...Object.values(doc.jobs ?? {}).flatMap((job) => job.steps)];
}

describe('the example workflow', () => {
  const text = readFileSync(join(repoRoot, WORKFLOW), 'utf8');
  const workflow = parse(text) as Workflow;

  it('is a valid workflow', () => {
    expect(() => validate(join(repoRoot, WORKFLOW))).not.toThrow();
  });

  it('grants nothing by default and declares permissions per job', () => {
    expect(workflow.permissions).toEqual({});
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect([name, job.permissions]).toEqual([name, expect.any(Object)]);
      expect(Object.values(job.permissions ?? {}).every((p) => p === 'read' || p === 'write')).toBe(
        true,
      );
    }
  });

  it('starts no runner for comments that are not for the bot', () => {
    expect(workflow.jobs.prepare?.if).toContain('github.event.issue.pull_request');
    expect(workflow.jobs.prepare?.if).toContain(
      "contains(github.event.comment.body, '@tech-lead-bot')",
    );
  });

  it.each([WORKFLOW, 'training-runner/action.yml'])(
    '%s pins third-party actions by commit SHA, with the version in a comment',
    (file) => {
      const uses = [...readFileSync(join(repoRoot, file), 'utf8').matchAll(/uses:\s*(\S+)(.*)$/gm)];
      expect(uses.length).toBeGreaterThan(0);
      for (const [, action = '', rest = ''] of uses) {
        if (action.startsWith('tech-lead-bot/tech-lead-bot')) {
          expect(action).toMatch(/@v1$/);
          continue;
        }
        expect(action).toMatch(/@[0-9a-f]{40}$/);
        expect(rest).toMatch(/#\s*v\d/);
      }
    },
  );

  it('asks for AWS credentials that outlive the train job, as long as the README tells the role to allow', () => {
    const train = workflow.jobs.train;
    const credentials = train?.steps.find((step) =>
      step.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );
    const duration = Number(credentials?.with?.['role-duration-seconds']);
    // The upload comes last: the session must cover the whole job, and IAM caps any role at 12 h.
    expect(duration).toBeGreaterThanOrEqual((train?.['timeout-minutes'] ?? Infinity) * 60);
    expect(duration).toBeLessThanOrEqual(43200);
    // A role allows 1 h unless raised; the README's IAM setup raises it to exactly this.
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`--max-session-duration ${duration}`);
    // The other jobs finish well within the default hour and ask for no more.
    for (const name of ['prepare', 'review']) {
      const job = workflow.jobs[name];
      expect(job?.['timeout-minutes']).toBeLessThanOrEqual(60);
      const step = job?.steps.find((s) =>
        s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      );
      expect(step?.with?.['role-duration-seconds']).toBeUndefined();
    }
  });
});

describe('the actions', () => {
  it('are valid action manifests', () => {
    expect(() => validate(join(repoRoot, 'training-runner/action.yml'))).not.toThrow();
    // action-validator's schema predates `node24`: check the rest of action.yml with node20 put
    // in its place, and node24 itself here.
    const manifest = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
    expect(parse(manifest)).toMatchObject({ runs: { using: 'node24', main: 'dist/index.js' } });
    const copy = join(mkdtempSync(join(tmpdir(), 'tlb-action-')), 'action.yml');
    writeFileSync(copy, manifest.replace('using: node24', 'using: node20'));
    expect(() => validate(copy)).not.toThrow();
  });
});

describe('no event text reaches a shell', () => {
  it.each([WORKFLOW, 'training-runner/action.yml'])(
    '%s passes inputs through env, never into run:',
    (file) => {
      const doc = parse(readFileSync(join(repoRoot, file), 'utf8')) as Parameters<
        typeof runSteps
      >[0];
      // The steps are found (the example workflow has only `uses:` steps, the composite
      // action has scripts), so the loop below checks something.
      const steps = runSteps(doc);
      expect(steps.length).toBeGreaterThan(0);
      const scripts = steps.flatMap((step) => (step.run ? [step.run] : []));
      expect(scripts.length > 0).toBe(file !== WORKFLOW);
      for (const script of scripts) {
        expect(script).not.toMatch(/\$\{\{/);
        expect(script).toMatch(/^set -euo pipefail/);
      }
      expect(readFileSync(join(repoRoot, file), 'utf8')).not.toContain(
        'github.event.comment.body }}',
      );
    },
  );
});
