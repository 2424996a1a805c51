import type { Clock } from '../clock.js';
import { channels, publish } from '../diagnostics.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import { formatProgress } from './perf-summary.js';
import type { ProgressFigures } from './perf-summary.js';

export interface ProgressCounters {
  /** Records handed to the producer so far. */
  sent: number;
  acked: number;
  errors: number;
}

/**
 * The periodic progress line of a run: interval rate and p99s of the last interval (ack latency, schedule lag),
 * totals so far. Published on `tributary:producer:progress` and passed to `onProgress`; idle when neither listens.
 */
export class ProgressReporter {
  readonly #latency = new LatencyHistogram();
  readonly #lag = new LatencyHistogram();
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #onProgress: ((line: string, figures: ProgressFigures) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #startMs = 0;
  #lastAt = 0;
  #lastSent = 0;

  constructor(
    intervalMs: number,
    clock: Clock,
    onProgress: ((line: string, figures: ProgressFigures) => void) | undefined,
  ) {
    this.#intervalMs = intervalMs;
    this.#clock = clock;
    this.#onProgress = onProgress;
  }

  get active(): boolean {
    return this.#timer !== undefined;
  }

  recordLatencyMs(ms: number): void {
    if (this.#timer !== undefined) this.#latency.recordMs(ms);
  }

  recordLagMs(ms: number): void {
    if (this.#timer !== undefined) this.#lag.recordMs(ms);
  }

  start(startMs: number, counters: () => ProgressCounters): void {
    if (this.#intervalMs === 0 || (this.#onProgress === undefined && !channels.progress.hasSubscribers))
      return;
    this.#startMs = startMs;
    this.#lastAt = startMs;
    this.#lastSent = 0;
    this.#timer = setInterval(() => this.#tick(counters()), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(c: ProgressCounters): void {
    const now = this.#clock.now();
    const figures: ProgressFigures = {
      elapsedMs: now - this.#startMs,
      intervalSent: c.sent - this.#lastSent,
      intervalMs: now - this.#lastAt,
      sent: c.sent,
      acked: c.acked,
      errors: c.errors,
      p99AckMs: this.#latency.percentileMs(99),
      p99ScheduleLagMs: this.#lag.percentileMs(99),
    };
    this.#lastAt = now;
    this.#lastSent = c.sent;
    this.#latency.reset();
    this.#lag.reset();
    publish(channels.progress, figures);
    this.#onProgress?.(formatProgress(figures), figures);
  }
}
