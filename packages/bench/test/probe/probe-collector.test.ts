import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '@tributary/producer';
import { ProbeCollector } from '../../src/probe/probe-collector.js';
import {
  PROBE_MESSAGE_KIND,
  type ProbeIntervalMessage,
  type WindowAck,
} from '../../src/probe/probe-protocol.js';

/** What the child sends: the interval's histogram delta, encoded, then reset (as child-probe.ts does). */
function interval(seq: number, atMs: number, valuesMs: readonly number[], acks: WindowAck[] = []): unknown {
  const h = new LatencyHistogram();
  for (const v of valuesMs) h.recordMs(v);
  const message: ProbeIntervalMessage = {
    kind: PROBE_MESSAGE_KIND,
    type: 'interval',
    seq,
    atMs,
    histograms: h.totalCount === 0 ? {} : { 'kafka-to-processor': h.encode() },
    windowAcks: acks,
    eventLoop: { p50: 10, p99: 20 + seq, max: 40, samples: 100 * seq },
  };
  h.destroy();
  // Through the structured clone of the IPC channel.
  return structuredClone(message);
}

describe('ProbeCollector', () => {
  it('merges the per-interval deltas sent over IPC into one histogram equal to recording everything at once', () => {
    const values = [[1, 2, 3], [], [5, 8, 13, 21], [1000]];
    const collector = new ProbeCollector();
    values.forEach((v, i) => expect(collector.accept(interval(i + 1, 1000 * (i + 1), v))).toBe(true));
    const merged = collector.histogram('kafka-to-processor');
    const direct = new LatencyHistogram();
    for (const v of values.flat()) direct.recordMs(v);
    expect(merged.totalCount).toBe(8);
    for (const p of [50, 90, 99, 100])
      expect(merged.valueAtPercentileUs(p)).toBe(direct.valueAtPercentileUs(p));
    expect(merged.maxUs).toBeGreaterThanOrEqual(1_000_000);
    expect(merged.maxUs).toBeLessThanOrEqual(1_001_000); // 3 significant digits
    expect(collector.histogram('raw-indexed').totalCount).toBe(0);
    expect(collector.intervals).toBe(4);
    expect(collector.eventLoop).toEqual({ p50: 10, p99: 24, max: 40, samples: 400 });
  });

  it('keeps a per-interval rate and p99 from the second interval on', () => {
    const collector = new ProbeCollector();
    collector.accept(interval(1, 1000, [1]));
    collector.accept(interval(2, 1500, [4, 4, 4, 4, 4]));
    expect(collector.points).toHaveLength(1);
    expect(collector.points[0]).toMatchObject({ atMs: 1500, name: 'kafka-to-processor', perSec: 10 });
    expect(collector.points[0]!.p99Ms).toBeCloseTo(4, 2);
  });

  it('hands every window acknowledgement to onWindowAck', () => {
    const acks: WindowAck[] = [];
    const collector = new ProbeCollector({ onWindowAck: (a) => acks.push(a) });
    collector.accept(interval(1, 1000, [], [['/a', 0, 10_000, 16_000]]));
    collector.accept(interval(2, 2000, [], [['/b', 0, 10_000, 16_500]]));
    expect(acks).toEqual([
      ['/a', 0, 10_000, 16_000],
      ['/b', 0, 10_000, 16_500],
    ]);
  });

  it('ignores and counts messages that are not probe intervals', () => {
    const collector = new ProbeCollector();
    expect(collector.accept({ kind: 'other', type: 'interval' })).toBe(false);
    expect(collector.accept({ ...(interval(1, 1, [1]) as object), histograms: { bogus: 'x' } })).toBe(false);
    expect(collector.accept('hello')).toBe(false);
    expect(collector.rejected).toBe(3);
    expect(collector.intervals).toBe(0);
  });

  it('reset() starts a new measured window (a max-throughput step)', () => {
    const collector = new ProbeCollector();
    collector.accept(interval(1, 1000, [100, 200]));
    collector.reset();
    collector.accept(interval(2, 2000, [7]));
    const h = collector.histogram('kafka-to-processor');
    expect(h.totalCount).toBe(1);
    expect(h.maxUs).toBeLessThan(8000);
    expect(collector.points.map((p) => p.atMs)).toEqual([2000]);
  });
});
