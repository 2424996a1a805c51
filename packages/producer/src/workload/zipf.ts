import type { Prng } from '../random/prng.js';

/**
 * Zipf(s) over ranks 1..n: P(k) ∝ 1 / k^s. The cumulative distribution is precomputed once (n doubles), a sample is
 * one uniform draw and a binary search, so page popularity costs O(log n) per event.
 */
export class ZipfDistribution {
  readonly n: number;
  readonly exponent: number;
  readonly #cdf: Float64Array;

  constructor(n: number, exponent: number) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1 (got ${n})`);
    if (!Number.isFinite(exponent) || exponent < 0)
      throw new RangeError(`exponent must be >= 0 (got ${exponent})`);
    this.n = n;
    this.exponent = exponent;
    this.#cdf = new Float64Array(n);
    let sum = 0;
    for (let k = 1; k <= n; k++) {
      sum += 1 / Math.pow(k, exponent);
      this.#cdf[k - 1] = sum;
    }
    for (let i = 0; i < n; i++) this.#cdf[i]! /= sum;
    this.#cdf[n - 1] = 1;
  }

  /** Probability of rank k (1-based). */
  probability(k: number): number {
    if (k < 1 || k > this.n) return 0;
    return this.#cdf[k - 1]! - (k > 1 ? this.#cdf[k - 2]! : 0);
  }

  /** A rank in 1..n. */
  sample(rng: Prng): number {
    const u = rng.float();
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo + 1;
  }
}
