import { InvalidOptionError } from '../errors.js';

/** Defaults of a constant-rate schedule. */
export const SCHEDULE_DEFAULTS = {
  /** Operations scheduled before the measured window starts; issued but never recorded. */
  warmupMs: 0,
} as const;

export interface ConstantRateScheduleOptions {
  /** Operations per second; > 0. */
  readonly ratePerSec: number;
  /** Length of the measured window, ms; > 0. */
  readonly durationMs: number;
  /** Warm-up before the measured window, ms; >= 0. @defaultValue 0 */
  readonly warmupMs?: number;
  /** Clock reading at which operation 0 is intended. */
  readonly startMs: number;
}

/** One scheduled operation. */
export interface ScheduledOperation {
  readonly index: number;
  /** When the operation should be issued (clock ms). Latency and schedule lag are measured from here. */
  readonly intendedMs: number;
  /** True for operations of the warm-up, which are excluded from every histogram. */
  readonly warmup: boolean;
}

/**
 * A fixed open-loop schedule: operation `i` is intended at `startMs + i × 1000 / ratePerSec`, whatever happened to
 * the operations before it. Intended times are computed by multiplication (no accumulated drift). The schedule
 * covers `warmupMs + durationMs`; operations intended before `startMs + warmupMs` are warm-up.
 */
export class ConstantRateSchedule {
  readonly ratePerSec: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly startMs: number;
  /** Milliseconds between two intended operations. */
  readonly intervalMs: number;
  /** All operations, warm-up included. */
  readonly totalOperations: number;
  /** Operations of the warm-up. */
  readonly warmupOperations: number;

  constructor(options: ConstantRateScheduleOptions) {
    const { ratePerSec, durationMs, startMs } = options;
    const warmupMs = options.warmupMs ?? SCHEDULE_DEFAULTS.warmupMs;
    if (typeof ratePerSec !== 'number' || !Number.isFinite(ratePerSec) || ratePerSec <= 0) {
      throw new InvalidOptionError('ratePerSec', 'must be a finite number > 0', ratePerSec);
    }
    if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs <= 0) {
      throw new InvalidOptionError('durationMs', 'must be a finite number > 0', durationMs);
    }
    if (typeof warmupMs !== 'number' || !Number.isFinite(warmupMs) || warmupMs < 0) {
      throw new InvalidOptionError('warmupMs', 'must be a finite number >= 0', warmupMs);
    }
    if (typeof startMs !== 'number' || !Number.isFinite(startMs)) {
      throw new InvalidOptionError('startMs', 'must be a finite number', startMs);
    }
    this.ratePerSec = ratePerSec;
    this.durationMs = durationMs;
    this.warmupMs = warmupMs;
    this.startMs = startMs;
    this.intervalMs = 1000 / ratePerSec;
    this.warmupOperations = Math.ceil((warmupMs * ratePerSec) / 1000);
    this.totalOperations = Math.ceil(((warmupMs + durationMs) * ratePerSec) / 1000);
  }

  /** Start of the measured window (clock ms). */
  get measuredFromMs(): number {
    return this.startMs + this.warmupMs;
  }

  /** End of the schedule (clock ms, exclusive). */
  get endMs(): number {
    return this.startMs + this.warmupMs + this.durationMs;
  }

  /** Operations of the measured window. */
  get measuredOperations(): number {
    return this.totalOperations - this.warmupOperations;
  }

  intendedMs(index: number): number {
    return this.startMs + (index * 1000) / this.ratePerSec;
  }

  operation(index: number): ScheduledOperation {
    if (!Number.isInteger(index) || index < 0 || index >= this.totalOperations) {
      throw new RangeError(
        `operation index must be an integer in [0, ${this.totalOperations}) (got ${index})`,
      );
    }
    return { index, intendedMs: this.intendedMs(index), warmup: index < this.warmupOperations };
  }

  /** Number of operations whose intended time is <= `nowMs` (capped at `totalOperations`). */
  dueCount(nowMs: number): number {
    if (nowMs < this.startMs) return 0;
    const due = Math.floor(((nowMs - this.startMs) * this.ratePerSec) / 1000) + 1;
    return Math.min(due, this.totalOperations);
  }
}
