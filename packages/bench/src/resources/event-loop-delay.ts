import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Event-loop delay of one Node process over a measured window, ms. */
export interface EventLoopDelayFigures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Samples behind the figures (one per resolution tick the loop managed to run). */
  readonly samples: number;
}

/** What `perf_hooks.monitorEventLoopDelay()` returns, as far as this module reads it (ns). */
export interface DelayHistogramLike {
  readonly count: number;
  readonly max: number;
  percentile(p: number): number;
}

const NS_PER_MS = 1e6;

/** The figures of a delay histogram in ms; null when it holds no sample. */
export function eventLoopDelayFigures(h: DelayHistogramLike): EventLoopDelayFigures | null {
  if (h.count === 0) return null;
  return {
    p50: h.percentile(50) / NS_PER_MS,
    p99: h.percentile(99) / NS_PER_MS,
    max: h.max / NS_PER_MS,
    samples: h.count,
  };
}

/**
 * The event-loop delay of this process since the last `reset()`, from `perf_hooks.monitorEventLoopDelay` at a
 * resolution of `resolutionMs` (the delay is measured with that granularity: a loop that is never blocked reports
 * about the resolution's timer jitter, not 0).
 */
export class EventLoopDelayMonitor {
  readonly #h: ReturnType<typeof monitorEventLoopDelay>;

  constructor(resolutionMs = 5) {
    this.#h = monitorEventLoopDelay({ resolution: resolutionMs });
    this.#h.enable();
  }

  reset(): void {
    this.#h.reset();
  }

  figures(): EventLoopDelayFigures | null {
    return eventLoopDelayFigures(this.#h);
  }

  stop(): void {
    this.#h.disable();
  }
}
