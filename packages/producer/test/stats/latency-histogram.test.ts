import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/stats/latency-histogram.js';

describe('LatencyHistogram', () => {
  it('summarises millisecond latencies with microsecond resolution', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.recordMs(i / 10); // 0.1 .. 100 ms
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.avgMs).toBeCloseTo(50.05, 1);
    expect(s.maxMs).toBeCloseTo(100, 1);
    expect(s.p50Ms).toBeCloseTo(50, 0);
    expect(s.p99Ms).toBeCloseTo(99, 0);
    expect(s.p999Ms).toBeCloseTo(99.9, 0);
  });

  it('records a value several times at once like recording it one by one', () => {
    const bulk = new LatencyHistogram();
    const single = new LatencyHistogram();
    bulk.recordMs(2.5, 40);
    bulk.recordMs(7, 0);
    bulk.recordMs(0, 3);
    for (let i = 0; i < 40; i++) single.recordMs(2.5);
    for (let i = 0; i < 3; i++) single.recordMs(0);
    expect(bulk.count).toBe(43);
    expect(bulk.summary()).toEqual(single.summary());
  });

  it('clamps negatives to 0 and huge values to one hour, and merges', () => {
    const a = new LatencyHistogram();
    a.recordMs(-5);
    a.recordMs(10 * 3_600_000);
    const b = new LatencyHistogram();
    b.recordMs(1);
    a.add(b);
    expect(a.count).toBe(3);
    expect(a.summary().maxMs).toBeCloseTo(3_600_000, -4);
    expect(new LatencyHistogram().summary()).toEqual({
      count: 0,
      avgMs: 0,
      maxMs: 0,
      p50Ms: 0,
      p95Ms: 0,
      p99Ms: 0,
      p999Ms: 0,
    });
  });

  it('exports an .hgrm percentile distribution in milliseconds', () => {
    const h = new LatencyHistogram();
    h.recordMs(1.5);
    h.recordMs(2.5);
    const hgrm = h.toHgrm();
    const lines = hgrm.split('\n');
    expect(lines[0]).toMatch(/^\s+Value\s+Percentile\s+TotalCount\s+1\/\(1-Percentile\)$/);
    expect(hgrm).toMatch(/^\s+1\.500 0\.000000000000\s+1\s+1\.00$/m);
    expect(hgrm).toMatch(/#\[Max\s+=\s+2\.500, Total count\s+=\s+2\]/);
  });
});
