import autocannon from 'autocannon';
import { InvalidOptionError } from '../errors.js';
import type { Figure } from '../report/results.js';

/** What one HTTP load run is: an autocannon run at a fixed overall request rate, HTTP/1.1, no pipelining. */
export interface HttpLoadOptions {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Requests per second over all connections (autocannon `overallRate`). */
  readonly ratePerSec: number;
  readonly durationMs: number;
  readonly connections: number;
  /** Per-request timeout, ms. */
  readonly timeoutMs: number;
}

export const HTTP_LOAD_DEFAULTS = {
  connections: 8,
  timeoutMs: 10_000,
} as const;

/** The part of autocannon's result the figures come from; latencies are ms, successful (2xx) requests only. */
export interface HttpLoadSummary {
  readonly durationSec: number;
  readonly requestsTotal: number;
  readonly requests2xx: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly p99_9: number;
    readonly max: number;
  };
}

/** The sentence every report of an autocannon-driven scenario carries. */
export const COORDINATED_OMISSION_NOTE =
  'autocannon ran with ignoreCoordinatedOmission: true (its correction off); latencies are per-request service ' +
  'time from the actual send on each connection, successful (2xx) requests only. With overallRate, a connection ' +
  'waits for its response before its next request, so when the server slows the rate drops: compare achieved with ' +
  'intended requests/s.';

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Reads autocannon's result object into a summary; missing fields count as 0. */
export function summarizeAutocannon(result: Readonly<Record<string, unknown>>): HttpLoadSummary {
  const latency = (result.latency ?? {}) as Record<string, unknown>;
  const requests = (result.requests ?? {}) as Record<string, unknown>;
  const stats = (result.statusCodeStats ?? {}) as Record<string, { count?: unknown }>;
  const statusCounts: Record<string, number> = {};
  for (const [code, s] of Object.entries(stats)) statusCounts[code] = num(s.count);
  return {
    durationSec: num(result.duration),
    requestsTotal: num(requests.total),
    requests2xx: num(result['2xx']),
    non2xx: num(result.non2xx),
    errors: num(result.errors),
    timeouts: num(result.timeouts),
    statusCounts,
    latencyMs: {
      p50: num(latency.p50),
      p90: num(latency.p90),
      p99: num(latency.p99),
      p99_9: num(latency.p99_9),
      max: num(latency.max),
    },
  };
}

/**
 * Figures of one HTTP load run, named `<prefix>.…`: achieved and intended requests/s, 2xx/non-2xx/error counts,
 * latency percentiles (null when no request succeeded), one count per status code, and `unitsPerRequest` × 2xx/s
 * as `<prefix>.<unitName>` (events/s for the gateway) when given.
 */
export function httpLoadFigures(
  prefix: string,
  summary: HttpLoadSummary,
  intendedPerSec: number,
  perRequest?: { readonly unitName: string; readonly unitsPerRequest: number },
): Figure[] {
  const seconds = summary.durationSec > 0 ? summary.durationSec : null;
  const rate = (n: number): number | null => (seconds === null ? null : n / seconds);
  const hasLatency = summary.requests2xx > 0;
  const lat = (v: number): number | null => (hasLatency ? v : null);
  const figures: Figure[] = [
    {
      name: `${prefix}.requests`,
      unit: 'req/s',
      value: rate(summary.requestsTotal),
      note: `intended ${intendedPerSec} req/s`,
    },
    { name: `${prefix}.requests-2xx`, unit: 'req/s', value: rate(summary.requests2xx) },
  ];
  if (perRequest !== undefined) {
    figures.push({
      name: `${prefix}.${perRequest.unitName}`,
      unit: `${perRequest.unitName}/s`,
      value: rate(summary.requests2xx * perRequest.unitsPerRequest),
      note: `${perRequest.unitsPerRequest} per request, 2xx only`,
    });
  }
  figures.push(
    {
      name: `${prefix}.latency.p50`,
      unit: 'ms',
      value: lat(summary.latencyMs.p50),
      note: 'service time, CO correction off',
    },
    { name: `${prefix}.latency.p90`, unit: 'ms', value: lat(summary.latencyMs.p90) },
    { name: `${prefix}.latency.p99`, unit: 'ms', value: lat(summary.latencyMs.p99) },
    { name: `${prefix}.latency.p99.9`, unit: 'ms', value: lat(summary.latencyMs.p99_9) },
    { name: `${prefix}.latency.max`, unit: 'ms', value: lat(summary.latencyMs.max) },
    { name: `${prefix}.non-2xx`, unit: 'requests', value: summary.non2xx },
    {
      name: `${prefix}.errors`,
      unit: 'requests',
      value: summary.errors + summary.timeouts,
      note: 'socket errors and timeouts',
    },
  );
  for (const [code, count] of Object.entries(summary.statusCounts).sort()) {
    figures.push({ name: `${prefix}.status.${code}`, unit: 'requests', value: count });
  }
  return figures;
}

/** Validates the options once; messages name the option. */
export function resolveHttpLoadOptions(options: HttpLoadOptions): HttpLoadOptions {
  if (!/^https?:\/\//.test(options.url))
    throw new InvalidOptionError('url', 'must be an http(s) URL', options.url);
  if (!Number.isFinite(options.ratePerSec) || options.ratePerSec < 1) {
    throw new InvalidOptionError('ratePerSec', 'must be at least 1 request per second', options.ratePerSec);
  }
  if (!Number.isFinite(options.durationMs) || options.durationMs < 1000) {
    throw new InvalidOptionError('durationMs', 'must be at least 1000 ms', options.durationMs);
  }
  if (!Number.isSafeInteger(options.connections) || options.connections < 1) {
    throw new InvalidOptionError('connections', 'must be a positive integer', options.connections);
  }
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs < 1) {
    throw new InvalidOptionError('timeoutMs', 'must be a positive number of ms', options.timeoutMs);
  }
  return options;
}

/** One autocannon run (HTTP/1.1, no pipelining) with coordinated-omission correction off. */
export async function runHttpLoad(input: HttpLoadOptions): Promise<HttpLoadSummary> {
  const o = resolveHttpLoadOptions(input);
  const result = await autocannon({
    url: o.url,
    method: o.method,
    ...(o.headers === undefined ? {} : { headers: { ...o.headers } }),
    ...(o.body === undefined ? {} : { body: o.body }),
    connections: Math.min(o.connections, Math.max(1, Math.floor(o.ratePerSec))),
    overallRate: Math.round(o.ratePerSec),
    ignoreCoordinatedOmission: true,
    duration: o.durationMs / 1000,
    timeout: Math.ceil(o.timeoutMs / 1000),
    pipelining: 1,
  });
  return summarizeAutocannon(result);
}
