import { LatencyHistogram, type LatencyHistogramOptions } from '@tributary/producer';

/** The histograms an open-loop run fills, encoded for the results file or another process. */
export interface EncodedOpenLoopHistograms {
  readonly latency: string;
  readonly scheduleLag: string;
  readonly serviceTime: string;
}

/**
 * Records an open-loop operation (a produce, a bulk request, a query) the way OpenMessaging Benchmark does:
 *
 * - `latency` = completion − **intended** start: what a caller that wanted the operation at its scheduled time
 *   experienced. A stalled sender makes every queued operation late, so stalls show up in the tail
 *   (no coordinated omission).
 * - `scheduleLag` = actual start − intended start: how far the load generator itself fell behind ("publish delay").
 * - `serviceTime` = completion − actual start: what a closed-loop tool such as kafka-producer-perf-test reports.
 *
 * Times are milliseconds from one monotonic clock (e.g. `performance.now()`); histograms store microseconds.
 * `recordValueWithExpectedInterval` is never used: measuring from the intended time is the correction.
 */
export class OpenLoopRecorder {
  readonly latency: LatencyHistogram;
  readonly scheduleLag: LatencyHistogram;
  readonly serviceTime: LatencyHistogram;

  constructor(options: LatencyHistogramOptions = {}) {
    this.latency = new LatencyHistogram(options);
    this.scheduleLag = new LatencyHistogram(options);
    this.serviceTime = new LatencyHistogram(options);
  }

  /** Records the start of an operation; call once per operation, when it was actually issued. */
  recordStart(intendedMs: number, actualStartMs: number): void {
    this.scheduleLag.recordMs(actualStartMs - intendedMs);
  }

  /** Records the completion of an operation started with `recordStart`. */
  recordCompletion(intendedMs: number, actualStartMs: number, completedMs: number): void {
    this.latency.recordMs(completedMs - intendedMs);
    this.serviceTime.recordMs(completedMs - actualStartMs);
  }

  /** Merges another recorder (another worker) into this one. */
  add(other: OpenLoopRecorder): void {
    this.latency.add(other.latency);
    this.scheduleLag.add(other.scheduleLag);
    this.serviceTime.add(other.serviceTime);
  }

  encode(): EncodedOpenLoopHistograms {
    return {
      latency: this.latency.encode(),
      scheduleLag: this.scheduleLag.encode(),
      serviceTime: this.serviceTime.encode(),
    };
  }

  static decode(encoded: EncodedOpenLoopHistograms, options: LatencyHistogramOptions = {}): OpenLoopRecorder {
    const recorder = new OpenLoopRecorder(options);
    const merge = (target: LatencyHistogram, base64: string): void => {
      const decoded = LatencyHistogram.decode(base64, options);
      try {
        target.add(decoded);
      } finally {
        decoded.destroy();
      }
    };
    merge(recorder.latency, encoded.latency);
    merge(recorder.scheduleLag, encoded.scheduleLag);
    merge(recorder.serviceTime, encoded.serviceTime);
    return recorder;
  }

  destroy(): void {
    this.latency.destroy();
    this.scheduleLag.destroy();
    this.serviceTime.destroy();
  }
}
