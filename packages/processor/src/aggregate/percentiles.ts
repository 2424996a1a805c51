import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { z } from '@tributary/options';
import { checkOption } from '../config/option-schemas.js';
import type { Aggregator } from './aggregator.js';

export interface PercentilesOptions<P extends number> {
  /** The percentiles to report, each in (0, 100], e.g. `[50, 95, 99]`. */
  readonly percentiles: readonly P[];
  /** Largest value kept exactly; larger values count as this value. @defaultValue 3 600 000 (an hour in ms) */
  readonly highestTrackableValue?: number;
  /** Significant decimal digits kept (1–5): 3 means within 0.1 %. @defaultValue 3 */
  readonly significantDigits?: 1 | 2 | 3 | 4 | 5;
}

/**
 * A window's percentiles (`p50`, `p95`, …), its count and its maximum, each value to the histogram's precision (the
 * highest value of its bucket, like the percentiles); every figure `null` for an empty window.
 */
export type PercentilesResult<P extends number> = { readonly [K in P as `p${K}`]: number | null } & {
  readonly count: number;
  readonly max: number | null;
};

/**
 * Percentiles of `select(event)` (non-negative integers: milliseconds, bytes …) in an HDR histogram of fixed
 * shape. Partial histograms merge exactly (bucket counts add up), so the result is the same however the events are
 * split across partitions and stages, and a histogram round-trips through the changelog and the repartition topic
 * bit for bit (HdrHistogram's compressed encoding, as bytes). Values are rounded to integers; negative values count as 0.
 */
export function percentilesAggregator<E, const P extends number>(
  select: (event: E) => number,
  options: PercentilesOptions<P>,
): Aggregator<E, Histogram, PercentilesResult<P>> {
  checkOption(
    'percentiles',
    z.array(z.number().gt(0).max(100)).min(1, 'must name at least one percentile'),
    options.percentiles,
  );
  const highest = checkOption(
    'highestTrackableValue',
    z.int().min(2).default(3_600_000),
    options.highestTrackableValue,
  );
  const digits = checkOption(
    'significantDigits',
    z.int().min(1).max(5).default(3),
    options.significantDigits,
  );
  const create = (): Histogram =>
    hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: highest,
      numberOfSignificantValueDigits: digits as 1 | 2 | 3 | 4 | 5,
      autoResize: false,
      bitBucketSize: 'packed',
      useWebAssembly: false,
    });
  return {
    create,
    add: (histogram, event) => {
      histogram.recordValue(Math.min(highest, Math.max(0, Math.round(select(event)))));
      return histogram;
    },
    merge: (a, b) => {
      a.add(b);
      return a;
    },
    result: (histogram) => {
      const empty = histogram.totalCount === 0;
      const out: Record<string, number | null> = {
        count: histogram.totalCount,
        max: empty ? null : histogram.getValueAtPercentile(100),
      };
      for (const p of options.percentiles) out[`p${p}`] = empty ? null : histogram.getValueAtPercentile(p);
      return out as PercentilesResult<P>;
    },
    serialize: (histogram) => Buffer.from(hdr.encodeIntoCompressedBase64(histogram), 'base64'),
    deserialize: (bytes) => {
      const decoded = hdr.decodeFromCompressedBase64(bytes.toString('base64'), 'packed', false);
      // A decoded histogram takes the range of its encoding; record into one of the configured shape.
      const histogram = create();
      histogram.add(decoded);
      return histogram;
    },
  };
}
