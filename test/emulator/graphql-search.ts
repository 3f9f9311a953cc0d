/**
 * GitHub's issue-search syntax, for the qualifiers the emulator understands: `repo:`, `is:pr`,
 * `author:`, `reviewed-by:`, `created:` and `updated:` (comparisons and ranges, dates with or
 * without a time) and `sort:(created|updated)-(asc|desc)`. Anything else is refused loudly rather than ignored.
 */

export interface SearchQuery {
  repo: string;
  author?: string;
  reviewedBy?: string;
  /** Creation time range: from (inclusive) to (exclusive), epoch milliseconds. */
  created: TimeRange;
  /** Last-update time range, the same way. */
  updated: TimeRange;
  sort: (typeof SORTS)[number];
}

export interface TimeRange {
  from: number;
  to: number;
}

const SORTS = ['created-desc', 'created-asc', 'updated-desc', 'updated-asc'] as const;

function isSort(value: string): value is SearchQuery['sort'] {
  return (SORTS as readonly string[]).includes(value);
}

export class SearchSyntaxError extends Error {}

export function parseSearch(text: string): SearchQuery {
  let repo: string | undefined;
  let isPull = false;
  const query: Omit<SearchQuery, 'repo'> = {
    created: { from: -Infinity, to: Infinity },
    updated: { from: -Infinity, to: Infinity },
    sort: 'created-desc',
  };
  for (const term of text.split(/\s+/).filter(Boolean)) {
    const colon = term.indexOf(':');
    const key = colon < 0 ? '' : term.slice(0, colon).toLowerCase();
    const value = term.slice(colon + 1);
    switch (key) {
      case 'repo':
        repo = value;
        break;
      case 'is':
      case 'type':
        if (value !== 'pr') throw new SearchSyntaxError(`unsupported qualifier '${term}'`);
        isPull = true;
        break;
      case 'author':
        query.author = value;
        break;
      case 'reviewed-by':
        query.reviewedBy = value;
        break;
      case 'created':
        query.created = intersect(query.created, dateRange(value));
        break;
      case 'updated':
        query.updated = intersect(query.updated, dateRange(value));
        break;
      case 'sort':
        if (!isSort(value)) {
          throw new SearchSyntaxError(`unsupported sort '${value}'`);
        }
        query.sort = value;
        break;
      default:
        throw new SearchSyntaxError(`unsupported search term '${term}'`);
    }
  }
  if (repo === undefined || !isPull) {
    throw new SearchSyntaxError(`the emulator searches pull requests of one repository only`);
  }
  return { repo, ...query };
}

function intersect(a: TimeRange, b: TimeRange): TimeRange {
  return { from: Math.max(a.from, b.from), to: Math.min(a.to, b.to) };
}

/** `2024-05-01`, `2024-05-01T12:00:00Z`, `2024-05-01T12:00:00+02:00` as [start, end) of that moment or day. */
function moment(text: string): { start: number; end: number } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const start = Date.parse(`${text}T00:00:00Z`);
    return { start, end: start + 86_400_000 };
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$/.test(text)) {
    const start = Date.parse(/Z|[+-]\d{2}:\d{2}$/.test(text) ? text : `${text}Z`);
    // Search compares to the second.
    return { start, end: start + 1000 };
  }
  throw new SearchSyntaxError(`invalid date '${text}'`);
}

function dateRange(value: string): TimeRange {
  const range = /^(.+)\.\.(.+)$/.exec(value);
  if (range?.[1] && range[2]) {
    const from = range[1] === '*' ? -Infinity : moment(range[1]).start;
    const to = range[2] === '*' ? Infinity : moment(range[2]).end;
    return { from, to };
  }
  const compared = /^(<=|>=|<|>)?(.+)$/.exec(value);
  const op = compared?.[1] ?? '';
  const at = moment(compared?.[2] ?? '');
  switch (op) {
    case '<':
      return { from: -Infinity, to: at.start };
    case '<=':
      return { from: -Infinity, to: at.end };
    case '>':
      return { from: at.end, to: Infinity };
    case '>=':
      return { from: at.start, to: Infinity };
    default:
      return { from: at.start, to: at.end };
  }
}
