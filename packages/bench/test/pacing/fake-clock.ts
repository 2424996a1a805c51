import type { Clock, Sleep } from '../../src/pacing/clock.js';

/** A clock that only moves when told to: `sleep` advances it, `advance` simulates a blocked event loop. */
export class FakeClock implements Clock {
  #now: number;
  readonly sleeps: number[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  readonly sleep: Sleep = async (ms) => {
    this.sleeps.push(ms);
    this.#now += Math.max(0, ms);
  };
}
