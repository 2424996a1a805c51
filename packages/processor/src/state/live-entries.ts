import type { ChangelogEntry } from '../task/partition-task.js';

/**
 * What a compacted changelog holds once read in order: the latest value of each key, in the order of their last
 * write, keys whose latest record is a tombstone left out. A later record replaces a key's entry and a tombstone
 * removes it as they come, so memory is what the restored state needs, not what the (uncompacted) log holds.
 */
export class LiveEntries {
  readonly #store: string;
  readonly #latest = new Map<string, ChangelogEntry>();

  constructor(store: string) {
    this.#store = store;
  }

  /** Applies the next changelog record (`value: null` is a tombstone). */
  apply(key: string, value: Buffer | null): void {
    this.#latest.delete(key); // re-inserted last: the order of the last writes
    if (value !== null) this.#latest.set(key, { store: this.#store, key, value });
  }

  get size(): number {
    return this.#latest.size;
  }

  /** The live entries, oldest last write first: what `PartitionTask.restore` takes. */
  entries(): ChangelogEntry[] {
    return [...this.#latest.values()];
  }
}
