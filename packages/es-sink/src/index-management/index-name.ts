import { invalidOption } from '../errors.js';

const TOKEN = /\{([^{}]+)\}/g;
const DATE_PARTS = /yyyy|MM|dd|HH|mm/g;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Formats `date` (UTC) with the tokens yyyy, MM, dd, HH, mm; other characters are kept. */
export function formatUtcDate(date: Date, format: string): string {
  return format.replace(DATE_PARTS, (part) => {
    switch (part) {
      case 'yyyy':
        return pad(date.getUTCFullYear(), 4);
      case 'MM':
        return pad(date.getUTCMonth() + 1);
      case 'dd':
        return pad(date.getUTCDate());
      case 'HH':
        return pad(date.getUTCHours());
      default:
        return pad(date.getUTCMinutes());
    }
  });
}

/** Reads a dotted path (`a.b.c`) from a plain object. */
export function readPath(document: unknown, path: string): unknown {
  let value: unknown = document;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  if (typeof value === 'string' && value !== '') {
    const asNumber = Number(value);
    const date = Number.isFinite(asNumber) ? new Date(asNumber) : new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

/** Thrown by a compiled index-name function when the document has no usable date; the sink dead-letters it. */
export class IndexNameError extends Error {
  override readonly name = 'IndexNameError';
}

/**
 * Compiles an index name pattern. `clickstream-metrics-{yyyy.MM.dd}` with `dateField: 'window_start'` names the
 * daily index from the document's `window_start` (epoch ms, ISO string or Date; UTC). A pattern without `{…}` is
 * a constant. Lowercase is enforced because Elasticsearch rejects uppercase index names.
 */
export function compileIndexPattern(
  pattern: string,
  dateField: string | undefined,
): (document: unknown) => string {
  if (pattern === '' || /[A-Z]/.test(pattern.replace(TOKEN, ''))) {
    throw invalidOption('index', 'must be a non-empty lowercase index name or pattern');
  }
  const tokens = patternTokens(pattern);
  if (tokens.length === 0) return () => pattern;
  for (const token of tokens) {
    if (token.replace(DATE_PARTS, '').replace(/[.\-_]/g, '') !== '') {
      throw invalidOption(
        'index',
        `pattern token {${token}} may contain only yyyy, MM, dd, HH, mm and . - _`,
      );
    }
  }
  if (dateField === undefined || dateField === '') {
    throw invalidOption('indexDateField', 'is required when index is a date pattern like {yyyy.MM.dd}');
  }
  return (document) => {
    const date = toDate(readPath(document, dateField));
    if (date === undefined) throw new IndexNameError(`field ${dateField} is missing or not a date`);
    return formatIndexPattern(pattern, date);
  };
}

/** The date formats of a pattern's `{…}` tokens (`['yyyy.MM.dd']` for `metrics-{yyyy.MM.dd}`); none for a constant. */
export function patternTokens(pattern: string): string[] {
  return [...pattern.matchAll(TOKEN)].map((m) => m[1] ?? '');
}

/** The index a pattern names for `date`: each `{…}` token formatted in UTC. */
export function formatIndexPattern(pattern: string, date: Date): string {
  return pattern.replace(TOKEN, (_m, format: string) => formatUtcDate(date, format));
}

/** The wildcard matching every index a pattern can produce: `clickstream-metrics-{yyyy.MM.dd}` → `clickstream-metrics-*`. */
export function patternWildcard(pattern: string): string {
  return pattern.replace(TOKEN, '*');
}
