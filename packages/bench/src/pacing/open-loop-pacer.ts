import type { PacingSchedule } from '@tributary/producer';
import { InvalidOptionError } from '../errors.js';
import type { OpenLoopRecorder } from '../histograms/open-loop-recorder.js';
import type { Clock, Sleep } from './clock.js';

/** Defaults of `runOpenLoop`. */
export const PACER_DEFAULTS = {
  /** Operations intended in the first `warmupMs` of the schedule are issued but never recorded. */
  warmupMs: 0,
  /** Operations allowed in flight; when reached, issuing waits (and the wait shows up as schedule lag). */
  maxInFlight: 10_000,
  /** Upper bound of one sleep between two bursts, ms, so a stopped clock or a long interval stays responsive. */
  maxSleepMs: 100,
} as const;

/** One scheduled operation. */
export interface ScheduledOperation {
  readonly index: number;
  /** When the operation should be issued (clock ms). Latency and schedule lag are measured from here. */
  readonly intendedMs: number;
  /** True for operations of the warm-up, which are excluded from every histogram. */
  readonly warmup: boolean;
}

export interface OpenLoopRunOptions {
  /**
   * `@tributary/producer`'s open-loop schedule: operation `i` is intended at `startMs + i × 1000 / rate`; the run
   * ends after `schedule.total` operations (or on `signal` when the total is infinite).
   */
  readonly schedule: PacingSchedule;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** Issues one operation; resolves when it is acknowledged. Rejections are counted as failures. */
  readonly issue: (operation: ScheduledOperation) => Promise<void>;
  /** Receives start and completion times of measured (non-warm-up) operations. */
  readonly recorder?: OpenLoopRecorder;
  /** Warm-up at the start of the schedule, ms; its operations are issued but not recorded. @defaultValue 0 */
  readonly warmupMs?: number;
  /** @defaultValue 10 000 */
  readonly maxInFlight?: number;
  /** @defaultValue 100 */
  readonly maxSleepMs?: number;
  readonly signal?: AbortSignal;
}

export interface OpenLoopRunStats {
  readonly issued: number;
  readonly completed: number;
  readonly failed: number;
  /** Measured (non-warm-up) operations issued. */
  readonly measured: number;
  /** True when the run stopped on `signal` before the schedule ended. */
  readonly aborted: boolean;
  /** First failure, if any (the others are only counted). */
  readonly firstError?: unknown;
}

/**
 * Drives `issue` along an open-loop schedule: at each wake-up every operation whose intended time has passed is
 * issued at once (a burst, so rates far above the timer resolution work), without waiting for earlier operations
 * to complete. Latency and schedule lag are recorded from each operation's intended time.
 */
export async function runOpenLoop(options: OpenLoopRunOptions): Promise<OpenLoopRunStats> {
  const { schedule, clock, sleep, issue, recorder, signal } = options;
  const maxInFlight = options.maxInFlight ?? PACER_DEFAULTS.maxInFlight;
  const maxSleepMs = options.maxSleepMs ?? PACER_DEFAULTS.maxSleepMs;
  const warmupMs = options.warmupMs ?? PACER_DEFAULTS.warmupMs;
  if (typeof warmupMs !== 'number' || !Number.isFinite(warmupMs) || warmupMs < 0) {
    throw new InvalidOptionError('warmupMs', 'must be a finite number >= 0', warmupMs);
  }
  if (!Number.isSafeInteger(maxInFlight) || maxInFlight < 1) {
    throw new InvalidOptionError('maxInFlight', 'must be an integer >= 1', maxInFlight);
  }
  if (!(typeof maxSleepMs === 'number' && maxSleepMs > 0 && Number.isFinite(maxSleepMs))) {
    throw new InvalidOptionError('maxSleepMs', 'must be a finite number > 0', maxSleepMs);
  }

  let next = 0;
  let inFlight = 0;
  let completed = 0;
  let failed = 0;
  let measured = 0;
  let firstError: unknown;
  let hasError = false;
  const pending = new Set<Promise<void>>();
  let slotFreed: (() => void) | undefined;

  const measuredFromMs = schedule.startMs + warmupMs;
  const operation = (index: number): ScheduledOperation => {
    const intendedMs = schedule.intendedAt(index);
    return { index, intendedMs, warmup: intendedMs < measuredFromMs };
  };

  const start = (op: ScheduledOperation): void => {
    const startedMs = clock.now();
    if (!op.warmup) {
      measured++;
      recorder?.recordStart(op.intendedMs, startedMs);
    }
    inFlight++;
    const settle = (ok: boolean, error?: unknown): void => {
      inFlight--;
      if (ok) {
        completed++;
        if (!op.warmup) recorder?.recordCompletion(op.intendedMs, startedMs, clock.now());
      } else {
        failed++;
        if (!hasError) {
          hasError = true;
          firstError = error;
        }
      }
      slotFreed?.();
    };
    let p: Promise<void>;
    try {
      p = issue(op).then(
        () => settle(true),
        (error: unknown) => settle(false, error),
      );
    } catch (error) {
      settle(false, error);
      return;
    }
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  while (next < schedule.total && !signal?.aborted) {
    const due = schedule.dueCount(clock.now());
    while (next < due && !signal?.aborted) {
      if (inFlight >= maxInFlight) {
        await new Promise<void>((resolve) => {
          slotFreed = resolve;
          signal?.addEventListener('abort', () => resolve(), { once: true });
        });
        slotFreed = undefined;
        continue;
      }
      start(operation(next++));
    }
    if (next >= schedule.total) break;
    const wait = Math.min(schedule.intendedAt(next) - clock.now(), maxSleepMs);
    await sleep(wait);
  }
  await Promise.all([...pending]);
  const stats = { issued: next, completed, failed, measured, aborted: signal?.aborted === true };
  return hasError ? { ...stats, firstError } : stats;
}
