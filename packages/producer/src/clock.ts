import { performance } from 'node:perf_hooks';

/** Time source, injected so pacing and batching are testable without waiting. */
export interface Clock {
  /** Monotonic milliseconds (fractional), for intervals and latencies. */
  now(): number;
  /** Wall-clock epoch milliseconds, for event timestamps only. */
  wallNow(): number;
}

export const systemClock: Clock = Object.freeze({
  now: () => performance.now(),
  wallNow: () => Date.now(),
});

/** A clock that only moves when told to: for tests. */
export class ManualClock implements Clock {
  #now: number;
  #wall: number;

  constructor(startMs = 0, wallStartMs = 1_700_000_000_000) {
    this.#now = startMs;
    this.#wall = wallStartMs;
  }

  now(): number {
    return this.#now;
  }

  wallNow(): number {
    return this.#wall;
  }

  advance(ms: number): void {
    this.#now += ms;
    this.#wall += ms;
  }
}
