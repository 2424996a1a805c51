import { describe, expect, it } from 'vitest';
import { formatPerfSummary, formatProgress } from '../../src/report/perf-summary.js';

describe('formatPerfSummary', () => {
  it('prints the kafka-producer-perf-test final line', () => {
    const line = formatPerfSummary(
      { records: 500_000, bytes: 500_000 * 90, elapsedMs: 10_000 },
      { count: 500_000, avgMs: 12.3456, maxMs: 456.789, p50Ms: 10.4, p95Ms: 20.6, p99Ms: 30.2, p999Ms: 40.9 },
    );
    expect(line).toBe(
      '500000 records sent, 50000.000000 records/sec (4.29 MB/sec), 12.35 ms avg latency, 456.79 ms max latency, ' +
        '10 ms 50th, 21 ms 95th, 30 ms 99th, 41 ms 99.9th.',
    );
  });

  it('does not divide by zero', () => {
    expect(
      formatPerfSummary(
        { records: 0, bytes: 0, elapsedMs: 0 },
        { count: 0, avgMs: 0, maxMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0 },
      ),
    ).toMatch(/^0 records sent, 0\.000000 records\/sec \(0\.00 MB\/sec\)/);
  });
});

describe('formatProgress', () => {
  it('prints rate, sent, acked, errors and p99s', () => {
    expect(
      formatProgress({
        elapsedMs: 5000,
        intervalSent: 50_000,
        intervalMs: 5000,
        sent: 50_000,
        acked: 49_000,
        errors: 2,
        p99AckMs: 12.34,
        p99ScheduleLagMs: 0.5,
      }),
    ).toBe(
      '[5.0s] 10000.0 records/sec, sent 50000, acked 49000, errors 2, p99 ack latency 12.3 ms, p99 schedule lag 0.5 ms',
    );
  });
});
