import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/random/prng.js';
import { ZipfDistribution } from '../../src/workload/zipf.js';

describe('ZipfDistribution', () => {
  it('has probabilities summing to 1 and decreasing as 1/k^s', () => {
    const zipf = new ZipfDistribution(100, 1.1);
    let sum = 0;
    for (let k = 1; k <= 100; k++) sum += zipf.probability(k);
    expect(sum).toBeCloseTo(1, 9);
    expect(zipf.probability(1) / zipf.probability(2)).toBeCloseTo(2 ** 1.1, 6);
    expect(zipf.probability(0)).toBe(0);
    expect(zipf.probability(101)).toBe(0);
  });

  it('samples with roughly the Zipf shape', () => {
    const zipf = new ZipfDistribution(1000, 1.1);
    const rng = new Prng(3);
    const counts = new Map<number, number>();
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const k = zipf.sample(rng);
      expect(k >= 1 && k <= 1000).toBe(true);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const k of [1, 2, 5, 10]) {
      const expected = zipf.probability(k) * n;
      expect(Math.abs((counts.get(k) ?? 0) - expected)).toBeLessThan(expected * 0.1);
    }
    // The head dominates: rank 1 is seen far more often than rank 100.
    expect(counts.get(1)!).toBeGreaterThan(50 * (counts.get(100) ?? 0));
  });

  it('is uniform with exponent 0 and rejects bad arguments', () => {
    const zipf = new ZipfDistribution(4, 0);
    expect(zipf.probability(3)).toBeCloseTo(0.25, 12);
    expect(() => new ZipfDistribution(0, 1)).toThrow(/n must be/);
    expect(() => new ZipfDistribution(10, -1)).toThrow(/exponent/);
  });
});
