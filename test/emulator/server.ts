/**
 * The request pipeline, in the order GitHub applies it: faults (as infrastructure would), auth,
 * the primary rate limit, routing, request validation, the handler, response validation,
 * conditional requests, and the rate-limit bookkeeping on every answer.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { faultResponse, type Faults } from './faults.js';
import type { GraphqlEndpoint } from './graphql.js';
import type { Operation, Spec } from './openapi.js';
import type { RateBudget } from './rate-limit.js';
import type { Renderer } from './render.js';
import { HttpError, type RouteResponse, type Router } from './router.js';
import type { State, TokenRecord } from './state.js';
import type { RequestLogEntry } from './types.js';

const GENERIC_DOCS = 'https://docs.github.com/rest';
const RATE_LIMIT_DOCS =
  'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit';

export interface ServerDeps {
  spec: Spec;
  state: State;
  router: Router;
  budget: RateBudget;
  faults: Faults;
  render: Renderer;
  origin: string;
  /** When the emulator started: Last-Modified of answers that carry no timestamp of their own. */
  startedAt: number;
  requests: RequestLogEntry[];
  schemaViolations: string[];
  graphql: GraphqlEndpoint;
}

interface Answer extends RouteResponse {
  /** Whether the answer counts against the primary rate limit. */
  spend: boolean;
}

function errorBody(status: number, message: string, docs: string, errors?: unknown[]): unknown {
  return errors === undefined
    ? { message, documentation_url: docs, status: String(status) }
    : { message, errors, documentation_url: docs, status: String(status) };
}

function tokenOf(req: IncomingMessage, state: State): TokenRecord | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
  return match?.[1] === undefined ? undefined : state.tokens.get(match[1]);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Last-Modified: the newest `updated_at` in the answer, else the emulator's start. */
function lastModified(body: unknown, fallback: number): string {
  const items = Array.isArray(body) ? body : [body];
  let newest = fallback;
  for (const item of items) {
    if (typeof item === 'object' && item !== null && 'updated_at' in item) {
      const parsed = typeof item.updated_at === 'string' ? Date.parse(item.updated_at) : NaN;
      if (!Number.isNaN(parsed)) newest = Math.max(newest, parsed);
    }
  }
  return new Date(newest).toUTCString();
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = (tag: string): string => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

export function createRequestHandler(
  deps: ServerDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const violation = (entry: RequestLogEntry, what: string, details: string[]): void => {
    const op = entry.operationId ? ` (${entry.operationId})` : '';
    for (const detail of details) {
      deps.schemaViolations.push(`${entry.method} ${entry.path}${op} ${what}: ${detail}`);
    }
  };

  const answer = async (
    req: IncomingMessage,
    entry: RequestLogEntry,
    requestId: string,
  ): Promise<Answer> => {
    const raw = await readBody(req);
    if (raw.trim() !== '') {
      try {
        entry.requestBody = JSON.parse(raw);
      } catch (error: unknown) {
        const reason = error instanceof Error ? error.message : String(error);
        violation(entry, 'request', [`body is not JSON (${reason})`]);
        return {
          status: 400,
          body: errorBody(400, 'Problems parsing JSON', GENERIC_DOCS),
          spend: true,
        };
      }
    }
    const matched = deps.spec.match(entry.method, entry.path);
    const operation = typeof matched === 'object' ? matched.operation : undefined;
    entry.operationId = operation?.operationId;

    const fault = deps.faults.take(entry.method, entry.path);
    if (fault?.delayMs !== undefined) await sleep(fault.delayMs);

    const token = tokenOf(req, deps.state);
    if (!token) {
      return { status: 401, body: errorBody(401, 'Bad credentials', GENERIC_DOCS), spend: false };
    }
    if (deps.budget.remaining() === 0) {
      const who =
        token.user.type === 'Bot' ? `installation ID ${token.user.id}` : `user ID ${token.user.id}`;
      return {
        status: 403,
        body: errorBody(403, `API rate limit exceeded for ${who}.`, RATE_LIMIT_DOCS),
        spend: false,
      };
    }
    if (fault?.status !== undefined) {
      return { ...faultResponse(fault, requestId), spend: true };
    }

    if (entry.method === 'POST' && entry.path === '/graphql') {
      const graphql = deps.graphql.answer(entry.requestBody, token);
      violation(entry, 'graphql', graphql.violations);
      entry.graphqlCost = graphql.cost;
      return { status: graphql.status, body: graphql.body, spend: true };
    }
    if (typeof matched !== 'object' || !operation) {
      // /graphql is reserved for the GraphQL emulator; it is not part of the REST description.
      if (entry.path !== '/graphql') {
        violation(entry, 'request', ["no such operation in GitHub's OpenAPI description"]);
      }
      return { status: 404, body: errorBody(404, 'Not Found', GENERIC_DOCS), spend: true };
    }
    const route = deps.router.get(entry.method, operation.template);
    if (!route) {
      return {
        status: 404,
        body: errorBody(404, 'Not Found', operation.docsUrl),
        headers: { 'x-emulator-unimplemented': operation.operationId },
        spend: true,
      };
    }

    const invalid = [
      ...deps.spec.queryErrors(operation, entry.query),
      ...deps.spec.requestBodyErrors(operation, entry.requestBody),
    ];
    if (invalid.length > 0) {
      violation(entry, 'request', invalid);
      const message = `Invalid request.\n\n${invalid.join('\n')}`;
      return { status: 422, body: errorBody(422, message, operation.docsUrl), spend: true };
    }

    const bug = (message: string): void => violation(entry, 'emulator', [message]);
    const routed = run(operation, bug, () =>
      route.handler({
        state: deps.state,
        render: deps.render,
        params: matched.params,
        query: entry.query,
        body: entry.requestBody,
        token,
        origin: deps.origin,
        path: entry.path,
        budget: deps.budget,
      }),
    );
    const errors = deps.spec.responseErrors(operation, routed.status, routed.body);
    violation(entry, `response ${routed.status}`, errors);
    // GitHub does not count a request against the primary limit when /rate_limit answers it.
    return { ...routed, spend: operation.operationId !== 'rate-limit/get' };
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', deps.origin);
    const entry: RequestLogEntry = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      spentRateLimit: false,
      at: Date.now(),
    };
    deps.requests.push(entry);
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    let result: Answer;
    try {
      result = await answer(req, entry, requestId);
    } catch (error: unknown) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      violation(entry, 'emulator', [message]);
      result = { status: 500, body: { message: 'Server Error' }, spend: false };
    }

    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': requestId,
      ...result.headers,
    };
    const payload = result.body === undefined ? '' : JSON.stringify(result.body);
    if (entry.method === 'GET' && result.status >= 200 && result.status < 300) {
      const etag = `W/"${createHash('sha256').update(payload).digest('hex')}"`;
      headers.etag = etag;
      headers['last-modified'] = lastModified(result.body, deps.startedAt);
      headers['cache-control'] = 'private, max-age=60, s-maxage=60';
      headers.vary = 'Accept, Authorization, Cookie, X-GitHub-OTP';
      // A 304 is free: GitHub does not count it against the rate limit.
      if (etagMatches(req.headers['if-none-match'], etag)) result = { status: 304, spend: false };
    }
    if (result.spend) deps.budget.spend();
    entry.status = result.status;
    entry.spentRateLimit = result.spend;
    Object.assign(headers, deps.budget.headers());
    const body = result.status === 304 || result.status === 204 ? '' : payload;
    if (body === '') delete headers['content-type'];
    res.writeHead(result.status, headers);
    res.end(body);
  };
}

/** Runs a handler, turning its HttpErrors into GitHub error answers and its bugs into 500s. */
function run(
  operation: Operation,
  onBug: (message: string) => void,
  handler: () => RouteResponse,
): RouteResponse {
  try {
    return handler();
  } catch (error: unknown) {
    if (error instanceof HttpError) {
      return {
        status: error.status,
        body: errorBody(error.status, error.message, operation.docsUrl, error.extra.errors),
        headers: error.extra.headers,
      };
    }
    onBug(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return { status: 500, body: errorBody(500, 'Server Error', operation.docsUrl) };
  }
}
