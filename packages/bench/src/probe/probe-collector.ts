import { LatencyHistogram } from '@tributary/producer';
import type { EventLoopDelayFigures } from '../resources/event-loop-delay.js';
import {
  PROBE_HISTOGRAM_NAMES,
  isProbeInterval,
  type ProbeHistogramName,
  type ProbeIntervalMessage,
  type WindowAck,
} from './probe-protocol.js';

/** One interval as the parent saw it: records per second and p99 of each histogram's delta. */
export interface ProbeIntervalPoint {
  readonly atMs: number;
  readonly name: ProbeHistogramName;
  readonly perSec: number;
  /** p99 of the interval, ms; null when the interval recorded nothing. */
  readonly p99Ms: number | null;
}

/**
 * The parent's side of the probe: merges the per-interval histogram deltas the child sends over IPC into one
 * histogram per name (decode + `add`), keeps the latest cumulative event-loop delay, hands window acknowledgements
 * to `onWindowAck` and keeps a per-interval series. `reset()` starts a new measured window (max-throughput steps).
 */
export class ProbeCollector {
  readonly #onWindowAck: ((ack: WindowAck) => void) | undefined;
  #histograms = new Map<ProbeHistogramName, LatencyHistogram>();
  #eventLoop: EventLoopDelayFigures | null = null;
  #points: ProbeIntervalPoint[] = [];
  #lastAtMs: number | undefined;
  #intervals = 0;
  #rejected = 0;

  constructor(options: { readonly onWindowAck?: (ack: WindowAck) => void } = {}) {
    this.#onWindowAck = options.onWindowAck;
  }

  /** Takes one IPC message; returns false (and counts it) when it is not a well-formed probe interval. */
  accept(message: unknown): boolean {
    if (!isProbeInterval(message)) {
      this.#rejected++;
      return false;
    }
    this.#merge(message);
    return true;
  }

  #merge(m: ProbeIntervalMessage): void {
    const spanMs = this.#lastAtMs === undefined ? undefined : m.atMs - this.#lastAtMs;
    this.#lastAtMs = m.atMs;
    this.#intervals++;
    for (const name of PROBE_HISTOGRAM_NAMES) {
      const encoded = m.histograms[name];
      if (encoded === undefined) continue;
      const delta = LatencyHistogram.decode(encoded);
      try {
        let total = this.#histograms.get(name);
        if (total === undefined) {
          total = new LatencyHistogram();
          this.#histograms.set(name, total);
        }
        total.add(delta);
        if (spanMs !== undefined && spanMs > 0) {
          this.#points.push({
            atMs: m.atMs,
            name,
            perSec: (delta.totalCount * 1000) / spanMs,
            p99Ms: delta.totalCount === 0 ? null : delta.valueAtPercentileUs(99) / 1000,
          });
        }
      } finally {
        delta.destroy();
      }
    }
    if (m.eventLoop !== null) this.#eventLoop = m.eventLoop;
    for (const ack of m.windowAcks) this.#onWindowAck?.(ack);
  }

  /** The merged histogram of `name` since the last reset (empty when nothing was recorded). */
  histogram(name: ProbeHistogramName): LatencyHistogram {
    const merged = new LatencyHistogram();
    const total = this.#histograms.get(name);
    if (total !== undefined) merged.add(total);
    return merged;
  }

  /** The child's event-loop delay since measuring started, as last reported. */
  get eventLoop(): EventLoopDelayFigures | null {
    return this.#eventLoop;
  }

  get points(): readonly ProbeIntervalPoint[] {
    return this.#points;
  }

  /** Interval messages merged. */
  get intervals(): number {
    return this.#intervals;
  }

  /** Messages that were not well-formed probe intervals. */
  get rejected(): number {
    return this.#rejected;
  }

  /** Forgets the merged histograms and points (the event-loop figures stay until the child reports again). */
  reset(): void {
    for (const h of this.#histograms.values()) h.destroy();
    this.#histograms = new Map();
    this.#points = [];
  }
}
