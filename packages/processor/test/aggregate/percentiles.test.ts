import { describe, expect, it } from 'vitest';
import { percentilesAggregator } from '../../src/aggregate/percentiles.js';

interface Request {
  readonly latencyMs: number;
}

const agg = () => percentilesAggregator((r: Request) => r.latencyMs, { percentiles: [50, 95, 99] });

function fold(values: readonly number[]) {
  const a = agg();
  return values.reduce((acc, latencyMs) => a.add(acc, { latencyMs }), a.create());
}

describe('percentilesAggregator', () => {
  it('reports the percentiles, count and maximum of the values', () => {
    const a = agg();
    const values = Array.from({ length: 1000 }, (_, i) => i + 1); // below 2048: every value is its own bucket
    expect(a.result(fold(values))).toEqual({ count: 1000, max: 1000, p50: 500, p95: 950, p99: 990 });
  });

  it('gives null figures for an empty window', () => {
    const a = agg();
    expect(a.result(a.create())).toEqual({ count: 0, max: null, p50: null, p95: null, p99: null });
  });

  it('merges partial histograms into exactly the histogram of all values, in any split', () => {
    const a = agg();
    const values = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 20_000);
    const whole = a.result(fold(values));
    for (const cut of [1, 1234, 4999]) {
      const merged = a.merge(fold(values.slice(0, cut)), fold(values.slice(cut)));
      expect(a.result(merged)).toEqual(whole);
    }
  });

  it('round-trips through serialize and deserialize to the same bytes and figures', () => {
    const a = agg();
    const h = fold([3, 3, 17, 250, 9_000, 65_000]);
    const bytes = a.serialize(h);
    const back = a.deserialize(bytes);
    expect(a.result(back)).toEqual(a.result(h));
    expect(a.serialize(back).equals(bytes)).toBe(true);
    // a deserialized histogram keeps recording and merging like a fresh one
    expect(a.result(a.add(back, { latencyMs: 1 })).count).toBe(7);
  });

  it('clamps values outside the range instead of failing on them', () => {
    const a = percentilesAggregator((v: number) => v, { percentiles: [100], highestTrackableValue: 1000 });
    const h = [-5, 0.4, 5_000_000].reduce((acc, v) => a.add(acc, v), a.create());
    expect(a.result(h)).toEqual({ count: 3, max: 1000, p100: 1000 });
  });

  it('names the option on a bad configuration', () => {
    expect(() => percentilesAggregator((v: number) => v, { percentiles: [] })).toThrow(/percentiles/);
    expect(() => percentilesAggregator((v: number) => v, { percentiles: [101] })).toThrow(/percentiles\.0/);
    expect(() =>
      percentilesAggregator((v: number) => v, { percentiles: [50], significantDigits: 7 as 5 }),
    ).toThrow(/significantDigits/);
  });
});
