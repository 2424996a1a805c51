import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/** A monotonic clock in milliseconds (fractional). Injected everywhere so pacing logic is testable without time. */
export interface Clock {
  now(): number;
}

/** Waits `ms` milliseconds (or not at all when `ms <= 0`). */
export type Sleep = (ms: number) => Promise<void>;

/** `performance.now()`: monotonic, sub-millisecond, shared by every module of one process. */
export const systemClock: Clock = { now: () => performance.now() };

/** Timer-based sleep; resolves on the next turn of the event loop when `ms <= 0`. */
export const systemSleep: Sleep = (ms) => delay(Math.max(0, ms));
