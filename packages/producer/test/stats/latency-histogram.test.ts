import { describe, expect, it } from 'vitest';
import { LatencyHistogram, HISTOGRAM_DEFAULTS } from '../../src/stats/latency-histogram.js';

function filled(values: number[], options = {}): LatencyHistogram {
  const h = new LatencyHistogram(options);
  for (const v of values) h.recordUs(v);
  return h;
}

const oneToTenThousand = Array.from({ length: 10_000 }, (_, i) => i + 1);

describe('LatencyHistogram', () => {
  it('uses the explicit 1 µs … 1 h range with 3 significant digits', () => {
    expect(HISTOGRAM_DEFAULTS).toMatchObject({
      lowestDiscernibleValueUs: 1,
      highestTrackableValueUs: 3_600_000_000,
      significantDigits: 3,
    });
  });

  it('computes percentiles of 1..10000 µs within the 3-digit precision', () => {
    const h = filled(oneToTenThousand);
    expect(h.totalCount).toBe(10_000);
    // 3 significant digits: the reported value is the highest equivalent value of the bucket (≤ 0.1 % above).
    for (const [p, exact] of [
      [50, 5000],
      [90, 9000],
      [99, 9900],
      [99.9, 9990],
    ] as const) {
      const v = h.valueAtPercentileUs(p);
      expect(v).toBeGreaterThanOrEqual(exact);
      expect(v).toBeLessThanOrEqual(exact * 1.001 + 1);
    }
    expect(h.maxUs).toBeGreaterThanOrEqual(10_000);
    expect(h.maxUs).toBeLessThanOrEqual(10_010);
    expect(h.minUs).toBe(1);
    expect(h.meanUs).toBeCloseTo(5000.5, -1);
  });

  it('keeps exact values below 2048 µs (unit resolution at 3 digits)', () => {
    const h = filled([1, 2, 3, 1000, 2000]);
    expect(h.valueAtPercentileUs(0)).toBe(1);
    expect(h.valueAtPercentileUs(60)).toBe(3);
    expect(h.valueAtPercentileUs(80)).toBe(1000);
    expect(h.maxUs).toBe(2000);
  });

  it('records milliseconds as microseconds', () => {
    const h = new LatencyHistogram();
    h.recordMs(1.5);
    expect(h.maxUs).toBe(1500);
  });

  it('clamps out-of-range values and counts them', () => {
    const h = filled([-5, 10, 5_000_000_000]);
    expect(h.clampedLow).toBe(1);
    expect(h.clampedHigh).toBe(1);
    expect(h.valueAtPercentileUs(0)).toBe(0);
    expect(h.maxUs).toBeGreaterThanOrEqual(3_600_000_000 * 0.999);
    expect(() => h.recordUs(Number.NaN)).toThrow(RangeError);
  });

  it('merges with add: the merged percentiles equal those of all values recorded together', () => {
    const a = filled(oneToTenThousand.filter((v) => v % 2 === 0));
    const b = filled(oneToTenThousand.filter((v) => v % 2 === 1));
    const all = filled(oneToTenThousand);
    a.add(b);
    expect(a.totalCount).toBe(10_000);
    for (const p of [50, 90, 99, 99.9, 100])
      expect(a.valueAtPercentileUs(p)).toBe(all.valueAtPercentileUs(p));
  });

  it('round-trips through compressed base64', () => {
    const h = filled([...oneToTenThousand, 250_000]);
    const encoded = h.encode();
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const back = LatencyHistogram.decode(encoded);
    expect(back.totalCount).toBe(h.totalCount);
    for (const p of [0, 50, 99, 99.99, 100])
      expect(back.valueAtPercentileUs(p)).toBe(h.valueAtPercentileUs(p));
  });

  it('rejects garbage on decode with a stable code', () => {
    expect(() => LatencyHistogram.decode('not-a-histogram')).toThrow(
      expect.objectContaining({ code: 'TRIB_PRODUCER_HISTOGRAM_DECODE' }),
    );
  });

  it('refuses to merge histograms of different ranges', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram({ highestTrackableValueUs: 60_000_000 });
    expect(() => a.add(b)).toThrow(expect.objectContaining({ code: 'TRIB_PRODUCER_HISTOGRAM_MISMATCH' }));
  });

  it('works in WebAssembly mode, merges across modes and must be destroyed', () => {
    const wasm = filled([100, 200, 300], { useWebAssembly: true });
    const js = filled([400]);
    wasm.add(js);
    js.add(wasm);
    expect(wasm.totalCount).toBe(4);
    expect(js.totalCount).toBe(5);
    expect(wasm.maxUs).toBe(400);
    wasm.destroy();
    wasm.destroy();
    expect(() => wasm.totalCount).toThrow(
      expect.objectContaining({ code: 'TRIB_PRODUCER_HISTOGRAM_DESTROYED' }),
    );
  });

  it('exports an .hgrm percentile distribution in milliseconds', () => {
    const h = filled(oneToTenThousand.map((v) => v * 10));
    const text = h.toHgrm();
    expect(text).toContain('Value     Percentile TotalCount 1/(1-Percentile)');
    expect(text).toMatch(/#\[Max\s+=\s+100\.\d+/);
    expect(text).toMatch(/Total count\s+=\s+10000\]/);
  });

  it('validates options, naming the option', () => {
    expect(() => new LatencyHistogram({ lowestDiscernibleValueUs: 0 })).toThrow(
      /lowestDiscernibleValueUs must be/,
    );
    expect(() => new LatencyHistogram({ highestTrackableValueUs: 1 })).toThrow(
      /highestTrackableValueUs must be/,
    );
    expect(() => new LatencyHistogram({ significantDigits: 7 as 3 })).toThrow(/significantDigits must be/);
  });

  it('resets values and clamp counters', () => {
    const h = filled([-1, 5]);
    h.reset();
    expect(h.totalCount).toBe(0);
    expect(h.clampedLow).toBe(0);
    expect(h.maxUs).toBe(0);
    expect(h.valueAtPercentileUs(99)).toBe(0);
  });
});

describe("LatencyHistogram in milliseconds (the load runner's view)", () => {
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
    expect(bulk.totalCount).toBe(43);
    expect(bulk.summary()).toEqual(single.summary());
  });

  it('clamps negatives to 0 and huge values to one hour, and merges', () => {
    const a = new LatencyHistogram();
    a.recordMs(-5);
    a.recordMs(10 * 3_600_000);
    const b = new LatencyHistogram();
    b.recordMs(1);
    a.add(b);
    expect(a.totalCount).toBe(3);
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
