import type { LatencyHistogram } from '@tributary/producer';

/** The percentiles every bench report prints, in this order. */
export const REPORTED_PERCENTILES = [50, 90, 95, 99, 99.9, 99.99] as const;

/** Percentiles of one histogram in milliseconds (`p99_9` is p99.9). */
export interface LatencySummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p99_9: number;
  readonly p99_99: number;
  readonly max: number;
}

const US_PER_MS = 1000;

/** p50/p90/p95/p99/p99.9/p99.99/max (plus count, min, mean) in milliseconds. All zeros when empty. */
export function summarize(histogram: LatencyHistogram): LatencySummary {
  const at = (p: number): number => histogram.valueAtPercentileUs(p) / US_PER_MS;
  return {
    count: histogram.totalCount,
    min: histogram.minUs / US_PER_MS,
    mean: histogram.meanUs / US_PER_MS,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p99_9: at(99.9),
    p99_99: at(99.99),
    max: histogram.maxUs / US_PER_MS,
  };
}

/** One point of a percentile-distribution plot. */
export interface PercentilePoint {
  /** Percentile, 0–100. */
  readonly percentile: number;
  /** Latency at that percentile, ms. */
  readonly valueMs: number;
}

/**
 * Points for a latency-by-percentile plot with the HdrHistogram log axis: `ticksPerDecade` points per "nine"
 * (0 → 90 → 99 → 99.9 …) up to `maxNines` nines, then the max. Stops early when the histogram holds too few
 * values to resolve further nines.
 */
export function percentileCurve(
  histogram: LatencyHistogram,
  ticksPerDecade = 10,
  maxNines = 5,
): PercentilePoint[] {
  const count = histogram.totalCount;
  if (count === 0) return [];
  const points: PercentilePoint[] = [];
  const resolvableNines = Math.min(maxNines, Math.log10(count));
  for (let i = 0; i <= resolvableNines * ticksPerDecade; i++) {
    const percentile = 100 * (1 - 10 ** (-i / ticksPerDecade));
    points.push({ percentile, valueMs: histogram.valueAtPercentileUs(percentile) / US_PER_MS });
  }
  points.push({ percentile: 100, valueMs: histogram.maxUs / US_PER_MS });
  return points;
}
