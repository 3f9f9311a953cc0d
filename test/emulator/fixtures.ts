/** Shared seeding and an HTTP helper for the emulator's own tests (plain fetch, not our client). */
import { GitHubEmulator } from './index.js';

export const REPO = 'acme/widgets';
export const TOKEN = 'ghs_write';
export const READ_ONLY_TOKEN = 'ghs_read_only';

/** A modified file with two hunks: lines 10-13 → 10-14 and 40-42 → 41-43 (a deletion and additions). */
export const SERVER_PATCH = [
  '@@ -10,4 +10,5 @@ export function start() {',
  ' const a = 1;',
  '-const b = 2;',
  '+const b = 3;',
  '+const c = 4;',
  ' const d = 5;',
  ' return a;',
  '@@ -40,3 +41,3 @@ function stop() {',
  ' close();',
  '-flush();',
  '+await flush();',
  ' done();',
].join('\n');

/** A renamed file with one added line (new line 3). */
export const RENAMED_PATCH = ['@@ -1,3 +1,4 @@', ' one', ' two', '+three', ' four'].join('\n');

export async function seededEmulator(options?: { rateLimit?: number }): Promise<GitHubEmulator> {
  const gh = await GitHubEmulator.start(options);
  gh.addRepo(REPO);
  gh.setPermission(REPO, 'alice', 'write');
  gh.addToken(TOKEN, { issues: 'write', 'pull-requests': 'write', contents: 'read' });
  gh.addToken(READ_ONLY_TOKEN, { issues: 'write', 'pull-requests': 'read', contents: 'read' });
  gh.addPullRequest(REPO, {
    number: 7,
    title: 'Start and stop',
    body: 'Adds c.',
    user: 'bob',
    files: [
      { filename: 'src/server.ts', status: 'modified', patch: SERVER_PATCH },
      {
        filename: 'src/renamed.ts',
        previous_filename: 'src/old-name.ts',
        status: 'renamed',
        patch: RENAMED_PATCH,
      },
      { filename: 'logo.png', status: 'added', binary: true },
    ],
  });
  return gh;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function call(
  gh: GitHubEmulator,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    ...options.headers,
  };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

export function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(Object.entries(value));
}

export function asList(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new Error(`expected an array, got ${JSON.stringify(value)}`);
  return value.map(asObject);
}

/** The URLs of a Link header by relation. */
export function links(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (headers.get('link') ?? '').split(', ').filter(Boolean)) {
    const match = /^<([^>]+)>; rel="([a-z]+)"$/.exec(part);
    if (!match?.[1] || !match[2]) throw new Error(`malformed link '${part}'`);
    out[match[2]] = match[1];
  }
  return out;
}
