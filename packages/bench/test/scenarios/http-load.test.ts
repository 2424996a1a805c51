import { describe, expect, it } from 'vitest';
import {
  httpLoadFigures,
  resolveHttpLoadOptions,
  summarizeAutocannon,
  type HttpLoadOptions,
} from '../../src/scenarios/http-load.js';

const autocannonResult = {
  duration: 5.02,
  requests: { total: 1000, average: 200 },
  '2xx': 990,
  non2xx: 10,
  errors: 1,
  timeouts: 2,
  statusCodeStats: { '200': { count: 990 }, '503': { count: 10 } },
  latency: { p50: 4, p90: 9, p99: 31, p99_9: 80, max: 120, average: 5 },
};

describe('summarizeAutocannon', () => {
  it('reads counts, status codes and latency percentiles', () => {
    expect(summarizeAutocannon(autocannonResult)).toEqual({
      durationSec: 5.02,
      requestsTotal: 1000,
      requests2xx: 990,
      non2xx: 10,
      errors: 1,
      timeouts: 2,
      statusCounts: { '200': 990, '503': 10 },
      latencyMs: { p50: 4, p90: 9, p99: 31, p99_9: 80, max: 120 },
    });
  });

  it('treats missing fields as 0', () => {
    expect(summarizeAutocannon({})).toMatchObject({
      requestsTotal: 0,
      statusCounts: {},
      latencyMs: { p99: 0 },
    });
  });
});

describe('httpLoadFigures', () => {
  it('gives rates over the duration, units per request and a count per status code', () => {
    const figures = httpLoadFigures(
      'gateway',
      summarizeAutocannon({ ...autocannonResult, duration: 5 }),
      200,
      {
        unitName: 'events',
        unitsPerRequest: 50,
      },
    );
    const value = (name: string): number | null | undefined => figures.find((f) => f.name === name)?.value;
    expect(value('gateway.requests')).toBe(200);
    expect(value('gateway.requests-2xx')).toBe(198);
    expect(value('gateway.events')).toBe(9900);
    expect(value('gateway.latency.p99')).toBe(31);
    expect(value('gateway.errors')).toBe(3);
    expect(value('gateway.status.503')).toBe(10);
    expect(figures.find((f) => f.name === 'gateway.requests')?.note).toBe('intended 200 req/s');
  });

  it('reports no latency when no request succeeded', () => {
    const figures = httpLoadFigures(
      'q',
      summarizeAutocannon({ duration: 1, requests: { total: 5 }, non2xx: 5 }),
      10,
    );
    expect(figures.find((f) => f.name === 'q.latency.p50')?.value).toBeNull();
    expect(figures.find((f) => f.name === 'q.requests')?.value).toBe(5);
  });
});

describe('resolveHttpLoadOptions', () => {
  const ok: HttpLoadOptions = {
    url: 'http://127.0.0.1:1/x',
    method: 'GET',
    ratePerSec: 10,
    durationMs: 1000,
    connections: 1,
    timeoutMs: 1000,
  };
  it.each([
    [{ url: 'ftp://x' }, /^url must be an http\(s\) URL/],
    [{ ratePerSec: 0 }, /^ratePerSec must be at least 1/],
    [{ durationMs: 10 }, /^durationMs must be at least 1000 ms/],
    [{ connections: 1.5 }, /^connections must be a positive integer/],
    [{ timeoutMs: 0 }, /^timeoutMs must be a positive number/],
  ])('rejects %o naming the option', (patch, message) => {
    expect(() => resolveHttpLoadOptions({ ...ok, ...patch })).toThrow(message);
  });
  it('accepts valid options', () => {
    expect(resolveHttpLoadOptions(ok)).toBe(ok);
  });
});
