import { describe, expect, it } from 'vitest';
import { parseConsumerPerformance, parseProducerPerformance } from '../../src/scenarios/kafka-perf-tools.js';

describe('parseProducerPerformance', () => {
  it('reads the last summary line', () => {
    const out = [
      '61234 records sent, 12246.8 records/sec (1.05 MB/sec), 900.1 ms avg latency, 1400.0 ms max latency.',
      '100000 records sent, 28571.428571 records/sec (2.45 MB/sec), 512.34 ms avg latency, 1402.00 ms max latency, 480 ms 50th, 1200 ms 95th, 1350 ms 99th, 1401 ms 99.9th.',
    ].join('\n');
    expect(parseProducerPerformance(out)).toEqual({
      records: 100_000,
      recordsPerSec: 28571.428571,
      mbPerSec: 2.45,
      avgMs: 512.34,
      maxMs: 1402,
      p50Ms: 480,
      p99Ms: 1350,
      summary:
        '100000 records sent, 28571.428571 records/sec (2.45 MB/sec), 512.34 ms avg latency, 1402.00 ms max latency, 480 ms 50th, 1200 ms 95th, 1350 ms 99th, 1401 ms 99.9th.',
    });
  });
  it('fails with TRIB_BENCH_IO without a summary', () => {
    expect(() => parseProducerPerformance('oops')).toThrow(/no ProducerPerformance summary line/);
  });
});

describe('parseConsumerPerformance', () => {
  it('reads the CSV line after the header', () => {
    const out = [
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
      '2026-11-22 11:48:40:123, 2026-11-22 11:48:44:573, 4.2915, 0.9644, 50000, 11235.9551, 3012, 1438, 2.9844, 34770.5146',
    ].join('\n');
    expect(parseConsumerPerformance(out)).toEqual({
      mb: 4.2915,
      messages: 50_000,
      messagesPerSec: 11235.9551,
      rebalanceMs: 3012,
      fetchMs: 1438,
      fetchMessagesPerSec: 34770.5146,
    });
  });
  it('fails without a result line', () => {
    expect(() => parseConsumerPerformance('start.time, end.time\n')).toThrow(
      /no ConsumerPerformance result line/,
    );
  });
});
