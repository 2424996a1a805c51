import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '@tributary/producer';
import { REPORTED_PERCENTILES, percentileCurve, summarize } from '../../src/histograms/percentiles.js';

describe('summarize', () => {
  it('reports p50…p99.99 and max in milliseconds', () => {
    const h = new LatencyHistogram();
    // 99 989 values of 1 ms, 10 of 100 ms, 1 of 2 s: the 99 990th value (p99.99) is 100 ms, max is 2 s.
    h.recordUs(1000, 99_989);
    h.recordUs(100_000, 10);
    h.recordUs(2_000_000);
    const s = summarize(h);
    expect(s.count).toBe(100_000);
    expect(s.p50).toBe(1);
    expect(s.p90).toBe(1);
    expect(s.p95).toBe(1);
    expect(s.p99).toBe(1);
    expect(s.p99_9).toBe(1);
    expect(s.p99_99).toBeCloseTo(100, 0);
    expect(s.max).toBeCloseTo(2000, 0);
    expect(s.min).toBe(1);
  });

  it('is all zeros for an empty histogram', () => {
    expect(summarize(new LatencyHistogram())).toEqual({
      count: 0,
      min: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      p99_9: 0,
      p99_99: 0,
      max: 0,
    });
  });

  it('lists the reported percentiles in order', () => {
    expect(REPORTED_PERCENTILES).toEqual([50, 90, 95, 99, 99.9, 99.99]);
  });
});

describe('percentileCurve', () => {
  it('spaces points evenly on the 1/(1-p) log axis and ends with the max', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.recordUs(i * 1000);
    const curve = percentileCurve(h, 2);
    // 1000 values resolve 3 nines: 0, 68.4, 90, 96.8, 99, 99.68, 99.9 then max.
    expect(curve.map((p) => Number(p.percentile.toFixed(1)))).toEqual([
      0, 68.4, 90, 96.8, 99, 99.7, 99.9, 100,
    ]);
    expect(curve[2]?.valueMs).toBeCloseTo(900, 0);
    expect(curve.at(-1)?.valueMs).toBeCloseTo(1000, 0);
    for (let i = 1; i < curve.length; i++)
      expect(curve[i]!.valueMs).toBeGreaterThanOrEqual(curve[i - 1]!.valueMs);
  });

  it('is empty for an empty histogram', () => {
    expect(percentileCurve(new LatencyHistogram())).toEqual([]);
  });
});
