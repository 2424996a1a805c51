import { PROCESSOR_METRIC_NAMES } from '@tributary/schema';
import { bucketDelta, histogramBuckets, histogramQuantile, maxOf, sumOf } from './metric-figures.js';
import type { HistogramBuckets, MetricFamilies } from './metric-figures.js';
import type { MinutePoint, TopPageRow } from './queries.js';

/** What the page draws: one JSON document, served by `/api/dashboard`. `null` figures are shown as "—". */
export interface DashboardView {
  readonly title: string;
  /** `off` when the job does not index into Elasticsearch: the page shows those panels as off. */
  readonly elasticsearch: 'on' | 'off';
  /** Wall clock of this view (epoch ms). */
  readonly generatedAt: number;
  readonly topPages: {
    readonly minutes: number;
    readonly rows: readonly TopPageRow[];
    readonly error: string | null;
  };
  readonly clicksVsViews: {
    readonly minutes: number;
    /** One point per minute from `now − minutes` to now, zero where Elasticsearch has no window. */
    readonly points: readonly MinutePoint[];
    readonly error: string | null;
  };
  readonly pipeline: PipelineFigures & {
    /** Records in per second over time (one point per metrics sample), oldest first. */
    readonly throughputHistory: readonly { readonly t: number; readonly v: number }[];
    readonly error: string | null;
  };
}

/** Pipeline figures from the job's metrics; `null` when the metric is missing or has no data yet. */
export interface PipelineFigures {
  /** Rate of tributary_processor_records_in_total (of `inputTopic` / `inputStage` when set) over the rate window. */
  readonly recordsInPerSecond: number | null;
  /** Rate of tributary_processor_records_out_total over the rate window. */
  readonly recordsOutPerSecond: number | null;
  /** Sum of tributary_processor_consumer_lag over every stage and partition (records). */
  readonly consumerLag: number | null;
  /** Largest tributary_processor_watermark_lag_seconds over partitions. */
  readonly watermarkLagSeconds: number | null;
  /** p99 of tributary_processor_event_time_latency_seconds over the latency window (since start if none in it). */
  readonly p99LatencySeconds: number | null;
  readonly recordsInTotal: number | null;
}

export interface DashboardModelOptions {
  readonly title: string;
  /** Counters' rates are computed over the samples of the last `rateWindowMs`. */
  readonly rateWindowMs: number;
  /** The p99 latency covers the observations of the last `latencyWindowMs`. */
  readonly latencyWindowMs: number;
  /** Points kept in the throughput history. */
  readonly historyPoints: number;
  readonly topPagesMinutes: number;
  readonly chartMinutes: number;
  /** Only records read from this topic count as pipeline input (all stages' inputs when undefined). */
  readonly inputTopic: string | undefined;
  /** Only records read by this stage (`stage` label) count as pipeline input (every stage when undefined). */
  readonly inputStage?: string | undefined;
  readonly now: () => number;
}

interface Sample {
  readonly t: number;
  readonly recordsIn: number | undefined;
  readonly recordsOut: number | undefined;
  readonly latency: HistogramBuckets | undefined;
}

/** Rate per second of a counter between two samples; a reset (the counter fell) counts from zero. */
function rate(later: number | undefined, earlier: number | undefined, dtMs: number): number | null {
  if (later === undefined || earlier === undefined || dtMs <= 0) return null;
  const delta = later >= earlier ? later - earlier : later;
  return (delta * 1000) / dtMs;
}

/** Fills the minutes from `now − minutes` (floored to the minute) to now with zero where no point exists. */
export function fillMinutes(points: readonly MinutePoint[], nowMs: number, minutes: number): MinutePoint[] {
  const end = Math.floor(nowMs / 60_000) * 60_000;
  const start = end - (minutes - 1) * 60_000;
  const byMinute = new Map(points.map((p) => [p.t, p]));
  const out: MinutePoint[] = [];
  for (let t = start; t <= end; t += 60_000) out.push(byMinute.get(t) ?? { t, clicks: 0, views: 0 });
  return out;
}

/**
 * Turns metric snapshots (taken at intervals, on the injected clock) and the Elasticsearch answers into the view
 * the page draws. Pure: no I/O, no timers.
 */
export class DashboardModel {
  readonly #options: DashboardModelOptions;
  readonly #samples: Sample[] = [];
  readonly #history: { t: number; v: number }[] = [];
  #latest: MetricFamilies | undefined;
  #metricsError: string | null = null;

  constructor(options: DashboardModelOptions) {
    this.#options = options;
  }

  /** Records one metrics snapshot taken now. */
  observeMetrics(families: MetricFamilies): void {
    const t = this.#options.now();
    const { inputTopic: topic, inputStage: stage } = this.#options;
    const inputFilter = {
      ...(topic === undefined ? {} : { topic }),
      ...(stage === undefined ? {} : { stage }),
    };
    const sample: Sample = {
      t,
      recordsIn: sumOf(families, PROCESSOR_METRIC_NAMES.recordsIn, inputFilter),
      recordsOut: sumOf(families, PROCESSOR_METRIC_NAMES.recordsOut),
      latency: histogramBuckets(families, PROCESSOR_METRIC_NAMES.eventTimeLatency),
    };
    this.#latest = families;
    this.#metricsError = null;
    this.#samples.push(sample);
    // Keep the newest sample at or before the longest window's start, so a figure always spans its whole window.
    const keepFrom = t - Math.max(this.#options.rateWindowMs, this.#options.latencyWindowMs);
    while (this.#samples.length > 2 && this.#samples[1]!.t <= keepFrom) this.#samples.shift();
    const v = this.#rates().recordsIn;
    if (v !== null) {
      this.#history.push({ t, v });
      if (this.#history.length > this.#options.historyPoints) this.#history.shift();
    }
  }

  /** Records that reading the metrics failed: the figures show "—" and the page shows the message. */
  metricsFailed(message: string): void {
    this.#latest = undefined;
    this.#metricsError = message;
  }

  /** The newest sample at or before `t` (the oldest kept when none is). */
  #sampleAt(t: number): Sample | undefined {
    let found = this.#samples[0];
    for (const s of this.#samples) if (s.t <= t) found = s;
    return found;
  }

  #rates(): { recordsIn: number | null; recordsOut: number | null } {
    const last = this.#samples[this.#samples.length - 1];
    const first = last === undefined ? undefined : this.#sampleAt(last.t - this.#options.rateWindowMs);
    if (last === undefined || first === undefined || first === last)
      return { recordsIn: null, recordsOut: null };
    const dt = last.t - first.t;
    return {
      recordsIn: rate(last.recordsIn, first.recordsIn, dt),
      recordsOut: rate(last.recordsOut, first.recordsOut, dt),
    };
  }

  /** The pipeline figures of the latest snapshot. */
  pipeline(): PipelineFigures {
    const families = this.#latest;
    const last = this.#samples[this.#samples.length - 1];
    if (families === undefined || last === undefined) {
      return {
        recordsInPerSecond: null,
        recordsOutPerSecond: null,
        consumerLag: null,
        watermarkLagSeconds: null,
        p99LatencySeconds: null,
        recordsInTotal: null,
      };
    }
    const rates = this.#rates();
    let p99: number | undefined;
    if (last.latency !== undefined) {
      const first = this.#sampleAt(last.t - this.#options.latencyWindowMs);
      const recent = bucketDelta(last.latency, first === last ? undefined : first?.latency);
      p99 = histogramQuantile(0.99, recent) ?? histogramQuantile(0.99, last.latency);
    }
    return {
      recordsInPerSecond: rates.recordsIn,
      recordsOutPerSecond: rates.recordsOut,
      consumerLag: sumOf(families, PROCESSOR_METRIC_NAMES.consumerLag) ?? null,
      watermarkLagSeconds: maxOf(families, PROCESSOR_METRIC_NAMES.watermarkLag) ?? null,
      p99LatencySeconds: p99 ?? null,
      recordsInTotal: last.recordsIn ?? null,
    };
  }

  /**
   * The whole view, from the latest metrics and the two Elasticsearch answers (or their errors); `'off'` when the
   * job does not index into Elasticsearch (no query was made).
   */
  view(
    topPages: { rows: readonly TopPageRow[] } | { error: string } | 'off',
    clicksVsViews: { points: readonly MinutePoint[] } | { error: string } | 'off',
  ): DashboardView {
    const now = this.#options.now();
    const o = this.#options;
    const off = topPages === 'off' || clicksVsViews === 'off';
    if (topPages === 'off') topPages = { rows: [] };
    if (clicksVsViews === 'off') clicksVsViews = { points: [] };
    return {
      title: o.title,
      elasticsearch: off ? 'off' : 'on',
      generatedAt: now,
      topPages: {
        minutes: o.topPagesMinutes,
        rows: 'rows' in topPages ? topPages.rows : [],
        error: 'error' in topPages ? topPages.error : null,
      },
      clicksVsViews: {
        minutes: o.chartMinutes,
        points: fillMinutes('points' in clicksVsViews ? clicksVsViews.points : [], now, o.chartMinutes),
        error: 'error' in clicksVsViews ? clicksVsViews.error : null,
      },
      pipeline: { ...this.pipeline(), throughputHistory: [...this.#history], error: this.#metricsError },
    };
  }
}
