/**
 * GitHub's published OpenAPI description (@octokit/openapi), used to find the operation a request
 * addresses and to check request and response bodies against it.
 *
 * The non-dereferenced file is used: it parses in a fraction of the time of the 73 MB
 * `.deref.json`, and Ajv resolves its `$ref`s itself. The spec is OpenAPI 3.0 (`nullable`), which
 * Ajv only half-understands, so each schema is converted when a validator first needs it; the
 * rest of the 13 MB is never touched. Everything is cached at module level, so several emulators
 * in one process share one parse and one set of compiled validators.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

export interface QueryParameter {
  name: string;
  type?: string;
  enum?: unknown[];
}

export interface Operation {
  method: string;
  template: string;
  operationId: string;
  docsUrl: string;
  query: QueryParameter[];
  /** 2xx/3xx/4xx/5xx codes the spec lists, with the JSON schema of each where it has one. */
  responses: Map<number, JsonObject | undefined>;
  requestBody?: { required: boolean; schema: JsonObject };
}

export interface MatchedOperation {
  operation: Operation;
  params: Record<string, string>;
}

type JsonObject = { [key: string]: unknown };

interface Template {
  template: string;
  /** Per segment: the literal text, or a matcher capturing parameters. */
  segments: ({ literal: string } | { pattern: RegExp; names: string[] })[];
  /** Raw operation objects by method; each becomes an Operation the first time it is asked for. */
  operations: Map<string, JsonObject>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const LOCAL_SCHEMA_REF = '#/components/schemas/';
const SCHEMA_BASE = 'https://api.github.com/components/schemas/';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy of an OpenAPI 3.0 schema as JSON Schema: `nullable` becomes a `null` type (Ajv only
 * takes `nullable` next to `type`, and never for an `enum` that does not list null), and
 * `#/components/schemas/x` refs point at the absolute id the component is added under; the
 * names met are collected in `refs`.
 */
function toJsonSchema(node: unknown, refs: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, refs));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' && typeof value === 'boolean') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(LOCAL_SCHEMA_REF)) {
      const name = value.slice(LOCAL_SCHEMA_REF.length);
      refs.add(name);
      out[key] = `${SCHEMA_BASE}${name}`;
    } else {
      out[key] = toJsonSchema(value, refs);
    }
  }
  if (node.nullable !== true) return out;
  if (typeof out.type !== 'string') return { anyOf: [{ type: 'null' }, out] };
  out.type = [out.type, 'null'];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

function makeNullable(schema: unknown, properties: string[]): void {
  if (!isObject(schema) || !isObject(schema.properties)) return;
  for (const name of properties) {
    const property = schema.properties[name];
    if (isObject(property)) schema.properties[name] = { anyOf: [{ type: 'null' }, property] };
  }
}

/**
 * Where GitHub's live API and its published description disagree, the emulator follows the API
 * and widens the schema here, so the validator does not flag GitHub's real behaviour.
 */
function patchKnownDeviations(name: string, schema: JsonObject): void {
  if (name === 'pull-request-review-comment') {
    // Outdated review comments (the line left the diff) come back with null line and position.
    makeNullable(schema, ['line', 'original_line', 'position', 'original_position']);
  }
}

function compileSegment(segment: string): Template['segments'][number] {
  if (!segment.includes('{')) return { literal: segment };
  const names: string[] = [];
  const source = segment
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  return { pattern: new RegExp(`^${source}$`), names };
}

class Spec {
  private readonly templates = new Map<number, Template[]>();
  private readonly operations = new Map<JsonObject, Operation>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly addedSchemas = new Set<string>();
  private readonly schemas: JsonObject;
  private readonly ajv: Ajv;
  private readonly root: JsonObject;

  constructor(root: JsonObject) {
    this.root = root;
    const components = isObject(root.components) ? root.components : {};
    this.schemas = isObject(components.schemas) ? components.schemas : {};
    // strict off: the spec carries OpenAPI keywords (example, discriminator, x-*) Ajv does not know.
    // inlineRefs off: shared schemas (simple-user…) compile once, which halves compile time.
    this.ajv = new Ajv({
      strict: false,
      validateSchema: false,
      allErrors: true,
      inlineRefs: false,
    });
    // ajv-formats is CommonJS: Node hands over module.exports, which carries the plugin as .default.
    ajvFormats.default(this.ajv);
    const paths = isObject(root.paths) ? root.paths : {};
    for (const [template, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      const segments = template.split('/').slice(1).map(compileSegment);
      const entry: Template = { template, segments, operations: new Map() };
      for (const method of METHODS) {
        const op = item[method];
        if (isObject(op)) entry.operations.set(method.toUpperCase(), op);
      }
      const sameLength = this.templates.get(segments.length) ?? [];
      sameLength.push(entry);
      this.templates.set(segments.length, sameLength);
    }
  }

  /** Finds the operation; literal segments win over parameters, earliest segment first. */
  match(method: string, path: string): MatchedOperation | 'no-method' | undefined {
    const parts = path.split('/').slice(1);
    let best: { entry: Template; params: Record<string, string>; score: string } | undefined;
    for (const entry of this.templates.get(parts.length) ?? []) {
      const params: Record<string, string> = {};
      let score = '';
      const matches = entry.segments.every((segment, i) => {
        const part = parts[i] ?? '';
        if ('literal' in segment) {
          score += '1';
          return segment.literal === part;
        }
        score += '0';
        const found = segment.pattern.exec(part);
        if (!found) return false;
        segment.names.forEach((name, j) => (params[name] = decodeURIComponent(found[j + 1] ?? '')));
        return true;
      });
      if (matches && (!best || score > best.score)) best = { entry, params, score };
    }
    if (!best) return undefined;
    const operation = this.operation(best.entry, method);
    return operation ? { operation, params: best.params } : 'no-method';
  }

  find(method: string, template: string): Operation | undefined {
    const length = template.split('/').length - 1;
    const entry = this.templates.get(length)?.find((t) => t.template === template);
    return entry && this.operation(entry, method);
  }

  /** GitHub-style messages for a request body that does not match the operation's schema. */
  requestBodyErrors(operation: Operation, body: unknown): string[] {
    const spec = operation.requestBody;
    if (!spec) return [];
    if (body === undefined) return spec.required ? ['Request body is required.'] : [];
    const validate = this.validator(`${operation.operationId} request`, spec.schema);
    return validate(body) ? [] : githubMessages(validate.errors ?? [], body);
  }

  queryErrors(operation: Operation, query: Record<string, string>): string[] {
    const errors: string[] = [];
    for (const param of operation.query) {
      const value = query[param.name];
      if (value === undefined) continue;
      if (param.type === 'integer' && !/^-?\d+$/.test(value)) {
        errors.push(`For 'query/${param.name}', "${value}" is not an integer.`);
      } else if (param.enum && !param.enum.includes(value)) {
        errors.push(
          `For 'query/${param.name}', "${value}" is not a member of ${JSON.stringify(param.enum)}.`,
        );
      }
    }
    return errors;
  }

  /** Describes how a response differs from the spec; empty when it conforms. */
  responseErrors(operation: Operation, status: number, body: unknown): string[] {
    if (!operation.responses.has(status)) {
      return status < 400 ? [`status ${status} is not a documented response`] : [];
    }
    const schema = operation.responses.get(status);
    if (!schema) return [];
    const validate = this.validator(`${operation.operationId} ${status}`, schema);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  }

  private validator(key: string, schema: JsonObject): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      const refs = new Set<string>();
      const local = toJsonSchema(schema, refs);
      this.addSchemas(refs);
      validate = this.ajv.compile(isObject(local) ? local : {});
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Adds the named components and everything they reference, converting each only once. */
  private addSchemas(names: Iterable<string>): void {
    const pending = [...names];
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (this.addedSchemas.has(name)) continue;
      this.addedSchemas.add(name);
      const refs = new Set<string>();
      const schema = toJsonSchema(this.schemas[name], refs);
      if (!isObject(schema)) throw new Error(`The spec has no schema '${name}'.`);
      patchKnownDeviations(name, schema);
      this.ajv.addSchema({ ...schema, $id: `${SCHEMA_BASE}${name}` });
      pending.push(...refs);
    }
  }

  private resolve(node: unknown): unknown {
    if (!isObject(node) || typeof node.$ref !== 'string') return node;
    let target: unknown = this.root;
    for (const key of node.$ref.slice(2).split('/'))
      target = isObject(target) ? target[key] : undefined;
    return target;
  }

  private operation(entry: Template, method: string): Operation | undefined {
    const op = entry.operations.get(method);
    if (!op) return undefined;
    let operation = this.operations.get(op);
    if (!operation) {
      operation = this.describe(method, entry.template, op);
      this.operations.set(op, operation);
    }
    return operation;
  }

  private describe(method: string, template: string, op: JsonObject): Operation {
    const docs = isObject(op.externalDocs) ? op.externalDocs.url : undefined;
    const query: QueryParameter[] = [];
    for (const raw of Array.isArray(op.parameters) ? op.parameters : []) {
      const param = this.resolve(raw);
      if (!isObject(param) || param.in !== 'query' || typeof param.name !== 'string') continue;
      const schema = isObject(param.schema) ? param.schema : {};
      query.push({
        name: param.name,
        type: typeof schema.type === 'string' ? schema.type : undefined,
        enum: Array.isArray(schema.enum) ? schema.enum : undefined,
      });
    }
    const responses = new Map<number, JsonObject | undefined>();
    for (const [code, raw] of Object.entries(isObject(op.responses) ? op.responses : {})) {
      if (/^\d+$/.test(code)) responses.set(Number(code), jsonSchema(this.resolve(raw)));
    }
    const body = this.resolve(op.requestBody);
    const bodySchema = jsonSchema(body);
    return {
      method,
      template,
      operationId: typeof op.operationId === 'string' ? op.operationId : `${method} ${template}`,
      docsUrl: typeof docs === 'string' ? docs : 'https://docs.github.com/rest',
      query,
      responses,
      requestBody:
        bodySchema && isObject(body)
          ? { required: body.required === true, schema: bodySchema }
          : undefined,
    };
  }
}

function jsonSchema(responseOrBody: unknown): JsonObject | undefined {
  if (!isObject(responseOrBody) || !isObject(responseOrBody.content)) return undefined;
  const json = responseOrBody.content['application/json'];
  return isObject(json) && isObject(json.schema) ? json.schema : undefined;
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const key of pointer.split('/').slice(1)) {
    if (Array.isArray(value)) value = value[Number(key)];
    else value = isObject(value) ? value[key] : undefined;
  }
  return value;
}

/** Ajv errors in the words GitHub's request validator uses ("Invalid request.\n\n…"). */
function githubMessages(errors: ErrorObject[], body: unknown): string[] {
  const messages = errors
    // Branches of oneOf/anyOf that did not apply only add noise to the real error.
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if')
    .map((e) => {
      const where = e.instancePath
        .split('/')
        .slice(1)
        .map((key) => (/^\d+$/.test(key) ? 'items' : `properties/${key}`))
        .join('/');
      const value = JSON.stringify(valueAt(body, e.instancePath));
      if (e.keyword === 'required') {
        const missing: unknown = e.params.missingProperty;
        return `"${String(missing)}" wasn't supplied.`;
      }
      if (e.keyword === 'enum') {
        const allowed: unknown = e.params.allowedValues;
        return `For '${where}', ${value} is not a member of ${JSON.stringify(allowed)}.`;
      }
      if (e.keyword === 'type') {
        const type: unknown = e.params.type;
        return `For '${where}', ${value} is not ${/^[aeiou]/.test(String(type)) ? 'an' : 'a'} ${String(type)}.`;
      }
      return `For '${where}', ${value} ${e.message ?? 'is invalid'}.`;
    });
  return [...new Set(messages)];
}

let cached: { spec: Spec; loadMs: number } | undefined;

/** The parsed spec, loaded on first use; `loadMs` is how long that first load took. */
export function loadSpec(): { spec: Spec; loadMs: number } {
  if (!cached) {
    const started = performance.now();
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    const root: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isObject(root)) throw new Error(`${file} is not an OpenAPI document`);
    const spec = new Spec(root);
    cached = { spec, loadMs: performance.now() - started };
  }
  return cached;
}

export type { Spec };
