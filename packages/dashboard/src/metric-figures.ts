import type { MetricFamily, MetricSample } from './prometheus-text.js';

/** Metric families as prom-client's `getMetricsAsJSON()` or `parsePrometheusText` give them. */
export type MetricFamilies = readonly MetricFamily[];

/** Keeps the samples whose labels match every given label value. */
export type LabelFilter = Readonly<Record<string, string>>;

function samples(
  families: MetricFamilies,
  name: string,
  filter: LabelFilter = {},
): MetricSample[] | undefined {
  const family = families.find((f) => f.name === name);
  if (family === undefined) return undefined;
  return family.values.filter(
    (s) =>
      (s.metricName === undefined || s.metricName === name) &&
      Object.entries(filter).every(([k, v]) => String(s.labels[k]) === v),
  );
}

/** Sum of a counter or gauge over its (matching) label sets; undefined when the metric is not registered. */
export function sumOf(families: MetricFamilies, name: string, filter?: LabelFilter): number | undefined {
  const list = samples(families, name, filter);
  return list?.reduce((acc, s) => acc + (Number.isFinite(s.value) ? s.value : 0), 0);
}

/**
 * Largest finite value of a gauge over its label sets; undefined when the metric is not registered or has no
 * finite sample yet.
 */
export function maxOf(families: MetricFamilies, name: string, filter?: LabelFilter): number | undefined {
  const finite = samples(families, name, filter)?.filter((s) => Number.isFinite(s.value)) ?? [];
  return finite.length === 0 ? undefined : Math.max(...finite.map((s) => s.value));
}

/** Cumulative histogram buckets summed over every label set, ascending by `le` (the last is +Inf). */
export interface HistogramBuckets {
  readonly le: readonly number[];
  readonly counts: readonly number[];
}

/** The `_bucket` samples of histogram `name` summed per `le`; undefined when the metric is not registered. */
export function histogramBuckets(families: MetricFamilies, name: string): HistogramBuckets | undefined {
  const family = families.find((f) => f.name === name);
  if (family === undefined) return undefined;
  const byLe = new Map<number, number>();
  for (const s of family.values) {
    if (s.metricName !== `${name}_bucket` || s.labels['le'] === undefined) continue;
    const leText = String(s.labels['le']);
    const le = leText === '+Inf' ? Infinity : Number(leText);
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  const le = [...byLe.keys()].sort((a, b) => a - b);
  return { le, counts: le.map((b) => byLe.get(b)!) };
}

/** `later − earlier` per bucket (observations between two snapshots); a reset (any count fell) gives `later`. */
export function bucketDelta(
  later: HistogramBuckets,
  earlier: HistogramBuckets | undefined,
): HistogramBuckets {
  if (earlier === undefined) return later;
  const before = new Map(earlier.le.map((le, i) => [le, earlier.counts[i]!]));
  const counts = later.counts.map((c, i) => c - (before.get(later.le[i]!) ?? 0));
  return counts.some((c) => c < 0) ? later : { le: later.le, counts };
}

/**
 * Prometheus' `histogram_quantile`: the bucket holding rank q·total, linearly interpolated inside it (from 0 for
 * the first bucket); a quantile in the +Inf bucket answers the largest finite bound. Undefined with no observations.
 */
export function histogramQuantile(q: number, buckets: HistogramBuckets): number | undefined {
  const { le, counts } = buckets;
  const total = counts[counts.length - 1] ?? 0;
  if (le.length === 0 || total <= 0 || le[le.length - 1] !== Infinity) return undefined;
  const rank = q * total;
  let i = counts.findIndex((c) => c >= rank);
  if (i < 0) i = counts.length - 1;
  if (le[i] === Infinity) return le.length >= 2 ? le[le.length - 2] : undefined;
  const lower = i === 0 ? 0 : le[i - 1]!;
  const below = i === 0 ? 0 : counts[i - 1]!;
  const inBucket = counts[i]! - below;
  if (inBucket <= 0) return le[i];
  return lower + (le[i]! - lower) * ((rank - below) / inBucket);
}
