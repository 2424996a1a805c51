/**
 * Re-establishes each partition's log order from acknowledgements: every acknowledged chunk of records carries the
 * base offset Kafka appended it at, and chunks are handed to the sink strictly in offset order, starting from the
 * partition's end offset before the run. Retries or concurrent sends may complete out of order; the sink (the ground
 * truth) still sees exactly the log's order.
 */
export class LogOrderFeeder<T> {
  readonly #next: number[];
  readonly #pending: Map<number, T[]>[];
  readonly #sink: (partition: number, item: T) => void;
  #buffered = 0;

  /** @param startOffsets each partition's end offset (high watermark) before the first send */
  constructor(startOffsets: readonly number[], sink: (partition: number, item: T) => void) {
    this.#next = [...startOffsets];
    this.#pending = startOffsets.map(() => new Map<number, T[]>());
    this.#sink = sink;
  }

  /** Records waiting for an earlier chunk of their partition. */
  get buffered(): number {
    return this.#buffered;
  }

  /** A chunk of `items` appended to `partition` at offsets baseOffset, baseOffset + 1, … */
  add(partition: number, baseOffset: number, items: T[]): void {
    const pending = this.#pending[partition];
    if (pending === undefined) throw new RangeError(`partition ${partition} out of range`);
    if (baseOffset !== this.#next[partition]) {
      pending.set(baseOffset, items);
      this.#buffered += items.length;
      return;
    }
    this.#feed(partition, items);
    for (;;) {
      const offset = this.#next[partition]!;
      const chunk = pending.get(offset);
      if (chunk === undefined) break;
      pending.delete(offset);
      this.#buffered -= chunk.length;
      this.#feed(partition, chunk);
    }
  }

  /**
   * Feeds whatever is still waiting, in offset order. Only needed when offsets have gaps, i.e. someone else wrote to
   * the partition during the run (the manifest then covers only our records).
   */
  flush(): void {
    this.#pending.forEach((pending, partition) => {
      for (const offset of [...pending.keys()].sort((a, b) => a - b)) {
        const chunk = pending.get(offset)!;
        pending.delete(offset);
        this.#buffered -= chunk.length;
        this.#next[partition] = offset;
        this.#feed(partition, chunk);
      }
    });
  }

  #feed(partition: number, items: T[]): void {
    for (const item of items) this.#sink(partition, item);
    this.#next[partition]! += items.length;
  }
}
