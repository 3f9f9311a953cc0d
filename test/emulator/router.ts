/**
 * The route table: each route names the spec's path template, so a new endpoint is one entry in a
 * `routes/*.ts` file and the server finds its OpenAPI operation by the same key.
 */
import type { RateBudget } from './rate-limit.js';
import type { Renderer } from './render.js';
import { normalizeScope, type RepoRecord, type State, type TokenRecord } from './state.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  readonly state: State;
  readonly render: Renderer;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** The parsed JSON body, already checked against the operation's request schema. */
  readonly body: unknown;
  readonly token: TokenRecord;
  /** The emulator's origin, e.g. http://127.0.0.1:43123. */
  readonly origin: string;
  readonly path: string;
  readonly budget: RateBudget;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: Method;
  /** The path template exactly as the OpenAPI description spells it. */
  path: string;
  handler: (ctx: RouteContext) => RouteResponse;
}

/** An error answer in GitHub's shape; `errors` is added for 422s that carry details. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { errors?: unknown[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export function notFound(): HttpError {
  return new HttpError(404, 'Not Found');
}

export function unprocessable(errors: string[]): HttpError {
  return new HttpError(422, 'Unprocessable Entity', { errors });
}

export function repoFrom(ctx: RouteContext): RepoRecord {
  const repo = ctx.state.repo(ctx.params.owner ?? '', ctx.params.repo ?? '');
  if (!repo) throw notFound();
  return repo;
}

export function numberParam(ctx: RouteContext, name: string): number {
  const raw = ctx.params[name] ?? '';
  // GitHub answers a non-numeric id in the path with 404, not 422.
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

function granted(token: TokenRecord, scope: string): 'read' | 'write' | undefined {
  return token.permissions.get(normalizeScope(scope));
}

/**
 * Writes need one of the scopes at `write`. GitHub names what would have worked in
 * x-accepted-github-permissions, alternatives separated by semicolons.
 */
export function requireWrite(ctx: RouteContext, scopes: string[]): void {
  if (scopes.some((scope) => granted(ctx.token, scope) === 'write')) return;
  throw new HttpError(403, 'Resource not accessible by integration', {
    headers: {
      'x-accepted-github-permissions': scopes
        .map((scope) => `${scope.replace(/-/g, '_')}=write`)
        .join('; '),
    },
  });
}

/**
 * Reads of a public repository need no scope (any token may read public data); a private one needs
 * one of the scopes at read or better. Metadata is always granted, so repository reads pass.
 */
export function requireRead(ctx: RouteContext, repo: RepoRecord, scopes: string[]): void {
  if (!repo.private || scopes.some((scope) => granted(ctx.token, scope) !== undefined)) return;
  // GitHub hides private data it will not show behind a 404 rather than a 403.
  throw notFound();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body as an object; the schema check has already run, so this only narrows. */
export function bodyObject(ctx: RouteContext): Record<string, unknown> {
  return isRecord(ctx.body) ? ctx.body : {};
}

export function optionalString(obj: Record<string, unknown>, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

export function optionalInteger(obj: Record<string, unknown>, key: string): number | undefined {
  const value = obj[key];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** A page of a list, with GitHub's Link header; only the page's items are rendered. */
export function paginate<T>(
  ctx: RouteContext,
  items: T[],
  render: (item: T) => unknown,
): RouteResponse {
  const requested = Number(ctx.query.per_page ?? 30);
  const perPage = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 100) : 30;
  const requestedPage = Number(ctx.query.page ?? 1);
  const page = Number.isInteger(requestedPage) && requestedPage > 0 ? requestedPage : 1;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage).map(render);
  const link = (target: number, rel: string): string => {
    const url = new URL(ctx.path, ctx.origin);
    for (const [key, value] of Object.entries(ctx.query)) url.searchParams.set(key, value);
    url.searchParams.set('page', String(target));
    return `<${url.href}>; rel="${rel}"`;
  };
  // GitHub's order: prev, next, last, first; only the relations that lead somewhere.
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { status: 200, body, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

export class Router {
  private readonly routes = new Map<string, Route>();

  add(routes: Route[]): void {
    for (const route of routes) this.routes.set(`${route.method} ${route.path}`, route);
  }

  get(method: string, template: string): Route | undefined {
    return this.routes.get(`${method} ${template}`);
  }

  all(): Route[] {
    return [...this.routes.values()];
  }
}
