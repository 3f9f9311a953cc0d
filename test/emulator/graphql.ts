/**
 * POST /graphql: queries run with graphql-js against GitHub's published schema
 * (`@octokit/graphql-schema`), so a query GitHub would reject fails validation here the same way:
 * HTTP 200 with `{"errors": [...]}`, and an entry in the emulator's schema violations. Resolvers
 * cover what the history collector asks for (see graphql-resolvers.ts). Points are counted as
 * GitHub documents: one per 100 connection requests a query implies, at least one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  buildSchema,
  executeSync,
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import {
  GitHubGraphqlError,
  rootValue,
  SEARCH_RESULT_CAP,
  UnsupportedError,
} from './graphql-resolvers.js';
import type { State, TokenRecord } from './state.js';

/** What GitHub grants a user or app per hour, in points. */
const POINTS_PER_HOUR = 5000;
const WINDOW_SECONDS = 3600;
/** GitHub refuses queries that could return more nodes than this. */
const MAX_NODES = 500_000;
const MAX_PAGE = 100;

let cachedSchema: GraphQLSchema | undefined;

/** GitHub's schema, built once per process (it takes a few hundred milliseconds). */
export function githubSchema(): GraphQLSchema {
  if (!cachedSchema) {
    const require = createRequire(import.meta.url);
    // The package exports only its ESM entry, so find its folder on the resolution paths.
    const file = (require.resolve.paths('@octokit/graphql-schema') ?? [])
      .map((dir) => join(dir, '@octokit/graphql-schema/schema.graphql'))
      .find((candidate) => existsSync(candidate));
    if (!file) throw new Error('@octokit/graphql-schema is not installed.');
    // The published SDL repeats a few fields (EnterpriseOwnerInfo); GitHub serves it as is.
    cachedSchema = buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true });
  }
  return cachedSchema;
}

export interface GraphqlAnswer {
  status: number;
  body: unknown;
  /** Points the query cost against the GraphQL rate limit. */
  cost: number;
  /** Problems with the query (as GitHub would see them) or with the emulator, human-readable. */
  violations: string[];
}

interface InjectedError {
  message: string;
  type?: string;
  remaining: number;
}

interface Price {
  cost: number;
  nodes: number;
}

export class GraphqlEndpoint {
  /** Results one search can reach; GitHub's is 1,000. Lower it to exercise windowing cheaply. */
  searchCap = SEARCH_RESULT_CAP;
  readonly pointsLimit: number;
  private pointsUsed = 0;
  private resetAt = nowSeconds() + WINDOW_SECONDS;
  private readonly injected: InjectedError[] = [];

  constructor(
    private readonly state: State,
    options: { pointsLimit?: number } = {},
  ) {
    this.pointsLimit = options.pointsLimit ?? POINTS_PER_HOUR;
  }

  /**
   * The next `times` queries fail as GitHub fails a query it accepted: HTTP 200, `data: null` and
   * the error, e.g. "Something went wrong while executing your query. This may be the result of a
   * timeout, or it could be a GitHub bug."
   */
  failNext(error: { message: string; type?: string }, times = 1): void {
    this.injected.push({ ...error, remaining: times });
  }

  pointsRemaining(): number {
    this.refill();
    return this.pointsLimit - this.pointsUsed;
  }

  /** Sets what is left of this hour's points: 0 makes the next query rate limited. */
  setPointsRemaining(points: number): void {
    this.refill();
    this.pointsUsed = Math.max(0, this.pointsLimit - points);
  }

  answer(body: unknown, token: TokenRecord): GraphqlAnswer {
    const request = asRequest(body);
    if (typeof request === 'string') return rejected([request]);
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error: unknown) {
      if (error instanceof GraphQLError) return rejected([error.message], [error]);
      throw error;
    }
    const schema = githubSchema();
    const invalid = validate(schema, document);
    if (invalid.length > 0)
      return rejected(
        invalid.map((e) => e.message),
        invalid,
      );

    const operation = pickOperation(document, request.operationName);
    if (typeof operation === 'string') return rejected([operation]);
    let price: Price;
    try {
      price = priceOf(schema, document, operation, request.variables);
    } catch (error: unknown) {
      if (error instanceof GitHubGraphqlError) return rejected([error.message], [error]);
      throw error;
    }
    if (price.nodes > MAX_NODES) {
      const error = new GitHubGraphqlError(
        'MAX_NODE_LIMIT_EXCEEDED',
        `This query requests up to ${price.nodes.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString('en-US')}.`,
      );
      return rejected([error.message], [error]);
    }
    if (this.pointsRemaining() < price.cost) {
      return {
        status: 200,
        body: {
          errors: [
            {
              type: 'RATE_LIMITED',
              code: 'graphql_rate_limit',
              message: `API rate limit already exceeded for user ID ${token.user.id}.`,
            },
          ],
        },
        cost: 0,
        violations: [],
      };
    }
    this.pointsUsed += price.cost;

    const fault = this.injected.find((f) => f.remaining > 0);
    if (fault) {
      fault.remaining -= 1;
      const error = fault.type === undefined ? {} : { type: fault.type };
      return {
        status: 200,
        body: { data: null, errors: [{ ...error, message: fault.message }] },
        cost: price.cost,
        violations: [],
      };
    }

    const result = executeSync({
      schema,
      document,
      operationName: request.operationName,
      variableValues: request.variables,
      rootValue: rootValue({
        state: this.state,
        token,
        searchCap: this.searchCap,
        rateLimit: () => ({
          cost: price.cost,
          limit: this.pointsLimit,
          nodeCount: price.nodes,
          remaining: this.pointsRemaining(),
          used: this.pointsUsed,
          resetAt: new Date(this.resetAt * 1000).toISOString().replace('.000Z', 'Z'),
        }),
      }),
    });
    const errors = result.errors ?? [];
    // Without `data`, the variables did not fit the query: the client's mistake.
    if (!('data' in result))
      return rejected(
        errors.map((e) => e.message),
        errors,
        price.cost,
      );
    const violations = errors.flatMap((error) => {
      const original = error.originalError;
      if (original instanceof GitHubGraphqlError) return [];
      if (original instanceof UnsupportedError) {
        return [`emulator does not implement: ${original.message}`];
      }
      return [`emulator: ${original?.stack ?? error.message}`];
    });
    const answer = errors.length > 0 ? { data: result.data, errors: errors.map(format) } : result;
    return { status: 200, body: answer, cost: price.cost, violations };
  }

  private refill(): void {
    if (nowSeconds() < this.resetAt) return;
    this.pointsUsed = 0;
    this.resetAt = nowSeconds() + WINDOW_SECONDS;
  }
}

interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

function asRequest(body: unknown): GraphqlRequest | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'A query attribute must be specified and must be a string.';
  }
  const fields = Object.fromEntries(Object.entries(body));
  const { query, variables, operationName } = fields;
  if (typeof query !== 'string') return 'A query attribute must be specified and must be a string.';
  if (variables !== undefined && variables !== null && typeof variables !== 'object') {
    return 'Variables are invalid JSON.';
  }
  return {
    query,
    ...(variables ? { variables: Object.fromEntries(Object.entries(variables)) } : {}),
    ...(typeof operationName === 'string' ? { operationName } : {}),
  };
}

/** GitHub's error shape: `type` for its own errors, then path, locations and message. */
function format(error: GraphQLError): Record<string, unknown> {
  const { message, locations, path, extensions } = error.toJSON();
  const type =
    error.originalError instanceof GitHubGraphqlError
      ? error.originalError.type
      : error instanceof GitHubGraphqlError
        ? error.type
        : undefined;
  return {
    ...(type === undefined ? {} : { type }),
    ...(path === undefined ? {} : { path }),
    ...(extensions === undefined || Object.keys(extensions).length === 0 ? {} : { extensions }),
    ...(locations === undefined ? {} : { locations }),
    message,
  };
}

/** A query GitHub refuses before running it: 200 with only `errors`, and a violation each. */
function rejected(messages: string[], errors?: readonly GraphQLError[], cost = 0): GraphqlAnswer {
  const body = {
    errors: errors ? errors.map(format) : messages.map((message) => ({ message })),
  };
  return { status: 200, body, cost, violations: messages.map((m) => `query refused: ${m}`) };
}

function pickOperation(
  document: DocumentNode,
  name: string | undefined,
): OperationDefinitionNode | string {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const chosen =
    name === undefined
      ? operations.length === 1
        ? operations[0]
        : undefined
      : operations.find((o) => o.name?.value === name);
  if (!chosen) {
    return name === undefined
      ? 'Must provide operation name if query contains multiple operations.'
      : `Unknown operation named "${name}".`;
  }
  if (chosen.operation !== 'query')
    return `The emulator answers queries only, not ${chosen.operation}s.`;
  return chosen;
}

/**
 * GitHub's rate-limit arithmetic: every connection must say `first` or `last` (1 to 100); the
 * requests a query implies are, per connection, the product of the page sizes above it; the cost
 * is their sum over 100, rounded, at least 1. Nodes are the same products including the
 * connection's own page size.
 */
function priceOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): Price {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const valueOf = (node: ValueNode | undefined): number | undefined => {
    if (node?.kind === Kind.INT) return Number(node.value);
    if (node?.kind === Kind.VARIABLE) {
      const value = variables?.[node.name.value];
      return typeof value === 'number' ? value : undefined;
    }
    return undefined;
  };
  let requests = 0;
  let nodes = 0;
  const walk = (set: SelectionSetNode, type: GraphQLNamedType | undefined, scale: number): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) {
          walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), scale);
        }
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const narrowed = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : type;
        walk(selection.selectionSet, narrowed, scale);
        continue;
      }
      const field =
        type && (isObjectType(type) || isInterfaceType(type))
          ? type.getFields()[selection.name.value]
          : undefined;
      if (!field || !selection.selectionSet) continue;
      const named = getNamedType(field.type);
      let inner = scale;
      if (named.name.endsWith('Connection')) {
        const arg = (name: string): ValueNode | undefined =>
          selection.arguments?.find((a) => a.name.value === name)?.value;
        const size = valueOf(arg('first')) ?? valueOf(arg('last'));
        if (size === undefined) {
          throw new GitHubGraphqlError(
            'MISSING_PAGINATION_BOUNDARIES',
            `You must provide a \`first\` or \`last\` value to properly paginate the \`${field.name}\` connection.`,
          );
        }
        if (size < 1 || size > MAX_PAGE) {
          throw new GitHubGraphqlError(
            'EXCESSIVE_PAGINATION',
            `Requesting ${size} records on the \`${field.name}\` connection exceeds the \`first\` limit of ${MAX_PAGE} records.`,
          );
        }
        requests += scale;
        inner = scale * size;
        nodes += inner;
      }
      walk(selection.selectionSet, named, inner);
    }
  };
  const root = schema.getQueryType() ?? undefined;
  walk(operation.selectionSet, root, 1);
  return { cost: Math.max(1, Math.round(requests / 100)), nodes };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
