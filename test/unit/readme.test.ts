import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionTables } from '../harness/action-tables.js';
import { repoRoot } from '../harness/run-action.js';

describe('the README', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

  it('lists exactly the inputs and outputs of action.yml', () => {
    // Regenerate with: npx tsx test/harness/action-tables.ts
    expect(readme).toContain(actionTables());
  });

  it('names the test and demo commands that .ci/run and the Makefile provide', () => {
    expect(readme).toContain('| `make test` |');
    expect(readme).toContain('| `make demo` |');
    expect(readFileSync(join(repoRoot, '.ci/run'), 'utf8')).toMatch(/^make test$/m);
  });
});
