import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/random/prng.js';

describe('Prng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const seqA = Array.from({ length: 16 }, () => a.nextUint32());
    const seqB = Array.from({ length: 16 }, () => b.nextUint32());
    const seqC = Array.from({ length: 16 }, () => c.nextUint32());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
    for (const x of seqA) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });

  it('draws floats in [0, 1) with a mean near 1/2 and integers in range', () => {
    const rng = new Prng(7);
    let sum = 0;
    const n = 20_000;
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < n; i++) {
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
      sum += f;
      buckets[rng.int(10)]!++;
    }
    expect(sum / n).toBeGreaterThan(0.49);
    expect(sum / n).toBeLessThan(0.51);
    for (const b of buckets) expect(Math.abs(b - n / 10)).toBeLessThan(n / 10 / 5);
  });

  it('draws exponentials with the requested mean', () => {
    const rng = new Prng(1);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += rng.exponential(5);
    expect(sum / 20_000).toBeGreaterThan(4.7);
    expect(sum / 20_000).toBeLessThan(5.3);
  });
});
