import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Hands the event loop back every `every` records of a long synchronous run. A fetched batch holds thousands of
 * records and `sink.write()` resolves at once while there is room, so without it a batch is mapped and serialized in
 * one task of 100–300 ms — and whatever shares the process (the clickstream app's stages, its other connector)
 * waits that long: it showed as the Kafka → processor p99 of the bench's table.
 */
export class EventLoopTurns {
  readonly #every: number;
  #count = 0;

  constructor(every: number) {
    if (!Number.isInteger(every) || every < 1)
      throw new RangeError(`every must be a positive integer (got ${every})`);
    this.#every = every;
  }

  /** Counts one record; every `every`-th call returns a promise that resolves on the next turn of the event loop. */
  count(): Promise<void> | undefined {
    if (++this.#count < this.#every) return undefined;
    this.#count = 0;
    return nextTurn();
  }
}
