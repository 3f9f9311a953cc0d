import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunActionOptions {
  /** Inputs as a workflow's `with:` gives them; action.yml defaults fill the rest. */
  inputs?: Record<string, string>;
  eventName: string;
  payload: Record<string, unknown>;
  /** "owner/name" */
  repository: string;
  apiUrl: string;
  graphqlUrl: string;
  /** What `${{ github.token }}` evaluates to. */
  token: string;
  env?: Record<string, string>;
  /** The action.yml whose `runs.main` is started; the repository's own by default. */
  actionYml?: string;
  timeoutMs?: number;
}

export interface RunActionResult {
  exitCode: number | null;
  outputs: Record<string, string>;
  summary: string;
  /** stdout and stderr, interleaved as they arrived. */
  log: string;
  durationMs: number;
}

interface ActionManifest {
  inputs?: Record<string, { default?: string }>;
  runs: { using: string; main: string };
}

/**
 * The Node the runner would start for `using: nodeNN`, so the bundle is tested on the runtime
 * users get, not on the Node that builds it. `make` installs it and sets ACTION_NODE.
 */
export function actionNode(using: string): string {
  const binary = process.env.ACTION_NODE;
  if (!binary) {
    throw new Error(
      `ACTION_NODE is not set: run the tests through make, or run \`make action-node\` and export the ACTION_NODE it prints (the ${using} that action.yml runs on).`,
    );
  }
  const version = nodeVersion(binary);
  if (`node${/^v(\d+)\./.exec(version)?.[1]}` !== using) {
    throw new Error(
      `action.yml runs on ${using} but ACTION_NODE is ${version}: set ACTION_NODE_VERSION in the Makefile to the same major version.`,
    );
  }
  return binary;
}

const versions = new Map<string, string>();

/** `node --version` of a binary, asked once per process (every action run checks it). */
function nodeVersion(binary: string): string {
  let version = versions.get(binary);
  if (version === undefined) {
    version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
    versions.set(binary, version);
  }
  return version;
}

/** The Node this repository's action.yml runs on (see actionNode). */
export function repositoryActionNode(): string {
  const manifest = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionManifest;
  return actionNode(manifest.runs.using);
}

/** Where the review step's GitHub is: the emulator, or anything with its two URLs. */
export interface GitHubUrls {
  url: string;
  graphqlUrl: string;
}

/**
 * The review step, started as the example workflow's review job starts it: the inputs say which
 * pull request and reviewer (the job's event payload is not read).
 */
export function runReviewStep(
  github: GitHubUrls,
  options: Pick<RunActionOptions, 'repository' | 'token' | 'env' | 'timeoutMs'> & {
    inputs: Record<string, string>;
  },
): Promise<RunActionResult> {
  return runAction({
    eventName: 'issue_comment',
    payload: {},
    apiUrl: github.url,
    graphqlUrl: github.graphqlUrl,
    ...options,
    inputs: { step: 'review', ...options.inputs },
  });
}

/**
 * Starts an action's `runs.main` the way the Actions runner does: every input as an
 * `INPUT_<NAME>` variable (defaults from action.yml, `${{ github.token }}` evaluated), the
 * event in a file named by GITHUB_EVENT_PATH, and files for outputs and the job summary.
 */
export async function runAction(options: RunActionOptions): Promise<RunActionResult> {
  const actionYml = options.actionYml ?? join(repoRoot, 'action.yml');
  const manifest = parse(await readFile(actionYml, 'utf8')) as ActionManifest;
  const work = await mkdtemp(join(tmpdir(), 'tlb-runner-'));
  try {
    const files = {
      event: join(work, 'event.json'),
      output: join(work, 'output'),
      summary: join(work, 'summary'),
      state: join(work, 'state'),
      env: join(work, 'env'),
      path: join(work, 'path'),
    };
    await writeFile(files.event, JSON.stringify(options.payload));
    await Promise.all(
      [files.output, files.summary, files.state, files.env, files.path].map((f) =>
        writeFile(f, ''),
      ),
    );

    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(manifest.inputs ?? {})) {
      const value = spec.default ?? '';
      inputs[name] = value.replace(/\$\{\{\s*github\.token\s*\}\}/g, options.token);
    }
    Object.assign(inputs, options.inputs);

    const [owner = ''] = options.repository.split('/');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? work,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.eventName,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_STATE: files.state,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_REPOSITORY: options.repository,
      GITHUB_REPOSITORY_OWNER: owner,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: options.apiUrl,
      GITHUB_GRAPHQL_URL: options.graphqlUrl,
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_RUN_NUMBER: '7',
      GITHUB_JOB: 'prepare',
      GITHUB_WORKFLOW: 'tech-lead-bot',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SHA: '0'.repeat(40),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_WORKSPACE: work,
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: work,
      ...options.env,
    };
    for (const [name, value] of Object.entries(inputs)) {
      // The runner upper-cases the name and turns spaces (not hyphens) into underscores.
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    }

    const main = resolve(dirname(actionYml), manifest.runs.main);
    const started = Date.now();
    const node = actionNode(manifest.runs.using);
    const { exitCode, log } = await spawnNode(node, main, env, work, options.timeoutMs ?? 60_000);
    return {
      exitCode,
      log,
      durationMs: Date.now() - started,
      outputs: parseOutputFile(await readFile(files.output, 'utf8')),
      summary: await readFile(files.summary, 'utf8'),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function spawnNode(
  node: string,
  main: string,
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
): Promise<{ exitCode: number | null; log: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, [main], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ exitCode: code, log });
    });
  });
}

/** Reads the `name<<delimiter` blocks (and plain `name=value` lines) of a GITHUB_OUTPUT file. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc?.[1] && heredoc[2]) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i] ?? '');
      outputs[heredoc[1]] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}
