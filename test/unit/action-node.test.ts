import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { actionNode, repoRoot, repositoryActionNode } from '../harness/run-action.js';

/** The action tests start dist/index.js on the Node that action.yml names, not on this one. */
describe('the Node the action tests run on', () => {
  const { using } = (
    parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { runs: { using: string } }
  ).runs;

  it('is the major version action.yml runs on', () => {
    const version = execFileSync(repositoryActionNode(), ['-p', 'process.versions.node'], {
      encoding: 'utf8',
    });
    expect(`node${version.split('.')[0]}`).toBe(using);
  });

  it('is refused when it is another major version', () => {
    expect(() => actionNode('node20')).toThrow(/action.yml runs on node20 but ACTION_NODE is v/);
  });
});
