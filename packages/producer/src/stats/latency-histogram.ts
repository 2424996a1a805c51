import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  count: number;
  avgMs: number;
  maxMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
}

/** Highest trackable latency: one hour, in microseconds. Larger values are clamped (and counted as that). */
const HIGHEST_US = 3_600_000_000;

/**
 * An HDR histogram of latencies recorded in microseconds (3 significant digits, 1 µs .. 1 h), in hdr-histogram-js's
 * default JS mode, so nothing needs destroying. Values are recorded as measured: never "corrected" with an expected
 * interval — open-loop pacing already measures from the intended time.
 */
export class LatencyHistogram {
  readonly #h: Histogram;

  constructor() {
    this.#h = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: HIGHEST_US,
      numberOfSignificantValueDigits: 3,
      autoResize: false,
    });
  }

  /** Records a latency given in (fractional) milliseconds, `count` times (default once). Negative values count as 0. */
  recordMs(ms: number, count = 1): void {
    if (count <= 0) return;
    const us = Math.round(ms * 1000);
    const value = us <= 0 ? 0 : us >= HIGHEST_US ? HIGHEST_US : us;
    if (count === 1) this.#h.recordValue(value);
    else this.#h.recordValueWithCount(value, count);
  }

  get count(): number {
    return this.#h.totalCount;
  }

  percentileMs(p: number): number {
    return this.#h.totalCount === 0 ? 0 : this.#h.getValueAtPercentile(p) / 1000;
  }

  summary(): LatencySummary {
    const h = this.#h;
    if (h.totalCount === 0) return { count: 0, avgMs: 0, maxMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0 };
    return {
      count: h.totalCount,
      avgMs: h.mean / 1000,
      maxMs: h.maxValue / 1000,
      p50Ms: h.getValueAtPercentile(50) / 1000,
      p95Ms: h.getValueAtPercentile(95) / 1000,
      p99Ms: h.getValueAtPercentile(99) / 1000,
      p999Ms: h.getValueAtPercentile(99.9) / 1000,
    };
  }

  /** The `.hgrm` percentile distribution (HdrHistogram's text format), values in milliseconds. */
  toHgrm(): string {
    return this.#h.outputPercentileDistribution(5, 1000);
  }

  /** Merges another histogram into this one. */
  add(other: LatencyHistogram): void {
    this.#h.add(other.#h);
  }

  reset(): void {
    this.#h.reset();
  }
}
