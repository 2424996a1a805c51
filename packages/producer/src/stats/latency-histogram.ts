import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { ProducerError, ProducerErrorCodes, invalidOption } from '../errors.js';

/** Latency percentiles in milliseconds (`summary()`). */
export interface LatencySummary {
  count: number;
  avgMs: number;
  maxMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
}

/**
 * Defaults for every latency histogram (the producer's and the bench's): values in microseconds, 1 µs … 1 h, 3 significant digits
 * (0.1 % relative error), fixed range (no auto-resize, so two histograms always have the same shape and can be
 * merged and compared), plain-JS storage (WebAssembly is faster to record into but must be `destroy()`ed).
 */
export const HISTOGRAM_DEFAULTS = {
  lowestDiscernibleValueUs: 1,
  highestTrackableValueUs: 3_600_000_000,
  significantDigits: 3,
  useWebAssembly: false,
} as const;

export interface LatencyHistogramOptions {
  /** Smallest value distinguishable from 0, in µs. @defaultValue 1 */
  readonly lowestDiscernibleValueUs?: number;
  /** Largest value tracked, in µs; larger values are clamped to it and counted in `clampedHigh`. @defaultValue 3.6e9 (1 h) */
  readonly highestTrackableValueUs?: number;
  /** Significant decimal digits kept (1–5). @defaultValue 3 */
  readonly significantDigits?: 1 | 2 | 3 | 4 | 5;
  /** Record into a WebAssembly histogram (about 4× faster recording; call `destroy()`). @defaultValue false */
  readonly useWebAssembly?: boolean;
}

type ResolvedOptions = {
  -readonly [K in keyof LatencyHistogramOptions]-?: NonNullable<LatencyHistogramOptions[K]>;
};

let wasmReady = false;

function resolve(options: LatencyHistogramOptions): ResolvedOptions {
  const o: ResolvedOptions = { ...HISTOGRAM_DEFAULTS, ...options };
  if (!Number.isSafeInteger(o.lowestDiscernibleValueUs) || o.lowestDiscernibleValueUs < 1) {
    throw invalidOption('lowestDiscernibleValueUs', 'must be an integer >= 1', o.lowestDiscernibleValueUs);
  }
  if (
    !Number.isSafeInteger(o.highestTrackableValueUs) ||
    o.highestTrackableValueUs < 2 * o.lowestDiscernibleValueUs
  ) {
    throw invalidOption(
      'highestTrackableValueUs',
      'must be an integer >= 2 × lowestDiscernibleValueUs',
      o.highestTrackableValueUs,
    );
  }
  if (![1, 2, 3, 4, 5].includes(o.significantDigits)) {
    throw invalidOption('significantDigits', 'must be an integer from 1 to 5', o.significantDigits);
  }
  if (typeof o.useWebAssembly !== 'boolean') {
    throw invalidOption('useWebAssembly', 'must be a boolean', o.useWebAssembly);
  }
  return o;
}

function build(o: ResolvedOptions): Histogram {
  if (o.useWebAssembly && !wasmReady) {
    hdr.initWebAssemblySync();
    wasmReady = true;
  }
  return hdr.build({
    lowestDiscernibleValue: o.lowestDiscernibleValueUs,
    highestTrackableValue: o.highestTrackableValueUs,
    numberOfSignificantValueDigits: o.significantDigits,
    autoResize: false,
    useWebAssembly: o.useWebAssembly,
  });
}

/**
 * An HDR latency histogram in microseconds with a fixed range.
 *
 * Values above the range are clamped to its top and negative values (clock skew between hosts) to 0; both are
 * counted so a report can say so instead of silently bending the tail. Record latencies measured from the
 * *intended* time of an operation (open-loop pacing: see `PacingSchedule`); this class never applies
 * `recordValueWithExpectedInterval`, so there is exactly one coordinated-omission treatment.
 */
export class LatencyHistogram {
  readonly #options: ResolvedOptions;
  #histogram: Histogram | undefined;
  #clampedHigh = 0;
  #clampedLow = 0;

  constructor(options: LatencyHistogramOptions = {}) {
    this.#options = resolve(options);
    this.#histogram = build(this.#options);
  }

  /** Rebuilds a histogram sent from another process with `encode()`. */
  static decode(base64: string, options: LatencyHistogramOptions = {}): LatencyHistogram {
    const target = new LatencyHistogram(options);
    let decoded: Histogram;
    try {
      decoded = hdr.decodeFromCompressedBase64(base64, 32, false);
    } catch (cause) {
      target.destroy();
      throw new ProducerError(ProducerErrorCodes.HISTOGRAM_DECODE, 'not a compressed base64 HDR histogram', {
        cause,
      });
    }
    try {
      target.#addRaw(decoded);
    } finally {
      decoded.destroy();
    }
    return target;
  }

  get options(): Readonly<ResolvedOptions> {
    return this.#options;
  }

  /** Number of recorded values. */
  get totalCount(): number {
    return this.#live().totalCount;
  }

  /** Values recorded above `highestTrackableValueUs` (clamped to it). */
  get clampedHigh(): number {
    return this.#clampedHigh;
  }

  /** Negative values recorded (clamped to 0). */
  get clampedLow(): number {
    return this.#clampedLow;
  }

  /** Largest recorded value in µs (equivalent-value precision), 0 when empty. */
  get maxUs(): number {
    return this.totalCount === 0 ? 0 : this.#live().maxValue;
  }

  /** Smallest recorded non-zero value in µs, 0 when empty. */
  get minUs(): number {
    return this.totalCount === 0 ? 0 : this.#live().minNonZeroValue;
  }

  /** Mean of the recorded values in µs, 0 when empty. */
  get meanUs(): number {
    return this.totalCount === 0 ? 0 : this.#live().mean;
  }

  /** Records a value in microseconds (rounded to an integer, clamped into range) `count` times; 0 records nothing. */
  recordUs(valueUs: number, count = 1): void {
    const h = this.#live();
    if (!Number.isFinite(valueUs)) throw new RangeError(`latency value must be finite (got ${valueUs})`);
    if (count <= 0) return;
    let v = Math.round(valueUs);
    if (v < 0) {
      this.#clampedLow += count;
      v = 0;
    } else if (v > this.#options.highestTrackableValueUs) {
      this.#clampedHigh += count;
      v = this.#options.highestTrackableValueUs;
    }
    if (count === 1) h.recordValue(v);
    else h.recordValueWithCount(v, count);
  }

  /** Records one value given in milliseconds (e.g. a difference of `performance.now()` readings). */
  recordMs(valueMs: number, count = 1): void {
    this.recordUs(valueMs * 1000, count);
  }

  /** Value at `percentile` (0–100) in ms; 0 when empty. */
  percentileMs(percentile: number): number {
    return this.valueAtPercentileUs(percentile) / 1000;
  }

  /** Count, mean, max and p50/p95/p99/p99.9 in milliseconds; all zeros when empty. */
  summary(): LatencySummary {
    if (this.totalCount === 0)
      return { count: 0, avgMs: 0, maxMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0 };
    return {
      count: this.totalCount,
      avgMs: this.meanUs / 1000,
      maxMs: this.maxUs / 1000,
      p50Ms: this.percentileMs(50),
      p95Ms: this.percentileMs(95),
      p99Ms: this.percentileMs(99),
      p999Ms: this.percentileMs(99.9),
    };
  }

  /** Value at `percentile` (0–100) in µs; 0 when empty. */
  valueAtPercentileUs(percentile: number): number {
    if (!(percentile >= 0 && percentile <= 100))
      throw new RangeError(`percentile must be in [0, 100] (got ${percentile})`);
    return this.totalCount === 0 ? 0 : this.#live().getValueAtPercentile(percentile);
  }

  /** Merges `other` into this histogram (HdrHistogram `add`); both keep their own storage. */
  add(other: LatencyHistogram): void {
    const o = other.#options;
    const m = this.#options;
    if (
      o.lowestDiscernibleValueUs !== m.lowestDiscernibleValueUs ||
      o.highestTrackableValueUs !== m.highestTrackableValueUs ||
      o.significantDigits !== m.significantDigits
    ) {
      throw new ProducerError(
        ProducerErrorCodes.HISTOGRAM_MISMATCH,
        `cannot merge histograms with different ranges (${describeRange(m)} and ${describeRange(o)})`,
      );
    }
    if (o.useWebAssembly === m.useWebAssembly) {
      this.#live().add(other.#live());
    } else {
      const copy = hdr.decodeFromCompressedBase64(other.encode(), 32, m.useWebAssembly);
      try {
        this.#live().add(copy);
      } finally {
        copy.destroy();
      }
    }
    this.#clampedHigh += other.#clampedHigh;
    this.#clampedLow += other.#clampedLow;
  }

  /** Compressed base64 form, for moving a histogram between processes or storing it in the results JSON. */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.#live());
  }

  /**
   * HdrHistogram percentile distribution (`.hgrm` text), values scaled to milliseconds by default; load it in
   * the HdrHistogram plotter to compare runs.
   */
  toHgrm(options: { ticksPerHalfDistance?: number; unit?: 'ms' | 'us' } = {}): string {
    const scale = (options.unit ?? 'ms') === 'ms' ? 1000 : 1;
    return this.#live().outputPercentileDistribution(options.ticksPerHalfDistance ?? 5, scale);
  }

  reset(): void {
    this.#live().reset();
    this.#clampedHigh = 0;
    this.#clampedLow = 0;
  }

  /** Frees the storage (required in WebAssembly mode); further use throws. Idempotent. */
  destroy(): void {
    this.#histogram?.destroy();
    this.#histogram = undefined;
  }

  #addRaw(other: Histogram): void {
    if (
      other.highestTrackableValue > this.#options.highestTrackableValueUs &&
      other.maxValue > this.#options.highestTrackableValueUs
    ) {
      throw new ProducerError(
        ProducerErrorCodes.HISTOGRAM_MISMATCH,
        `decoded histogram holds values beyond the configured range (max ${other.maxValue} µs > highestTrackableValueUs ${this.#options.highestTrackableValueUs})`,
      );
    }
    this.#live().add(other);
  }

  #live(): Histogram {
    if (this.#histogram === undefined) {
      throw new ProducerError(ProducerErrorCodes.HISTOGRAM_DESTROYED, 'histogram used after destroy()');
    }
    return this.#histogram;
  }
}

function describeRange(o: ResolvedOptions): string {
  return `${o.lowestDiscernibleValueUs}..${o.highestTrackableValueUs} µs, ${o.significantDigits} digits`;
}
