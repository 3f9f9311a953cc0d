import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './run-action.js';

interface Manifest {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}

function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

/**
 * The README's tables of inputs and outputs, made from action.yml. The README test checks that
 * the README holds exactly these; print them with `npx tsx test/harness/action-tables.ts`.
 */
export function actionTables(): string {
  const manifest = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Manifest;
  const inputs = Object.entries(manifest.inputs).map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.default ? `\`${cell(spec.default)}\`` : ''} | ${cell(spec.description)} |`,
  );
  const outputs = Object.entries(manifest.outputs).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`,
  );
  return [
    '| input | default | description |',
    '| --- | --- | --- |',
    ...inputs,
    '',
    '| output | description |',
    '| --- | --- |',
    ...outputs,
  ].join('\n');
}

if (process.argv[1]?.endsWith('action-tables.ts')) console.log(actionTables());
