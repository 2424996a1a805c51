/** Why a batch was closed. */
export const FLUSH_REASONS = {
  docs: 'docs',
  bytes: 'bytes',
  age: 'age',
  flush: 'flush',
} as const;
export type FlushReason = (typeof FLUSH_REASONS)[keyof typeof FLUSH_REASONS];

export interface BatchLimits {
  /** Close a batch when it holds this many documents. */
  maxDocs: number;
  /** Close a batch when its uncompressed size reaches this many bytes; never start one that would exceed it. */
  maxBytes: number;
  /** Close a batch when its OLDEST document has waited this long (not an idle timer). */
  maxAgeMs: number;
}

export interface Batch<T> {
  items: T[];
  bytes: number;
  reason: FlushReason;
}

/**
 * Pure batching policy: documents go in with their serialized size; batches come out by count, by bytes and by the
 * age of the oldest buffered document, measured on an injected clock. No timers here: the caller asks
 * `msUntilDue()` and calls `takeDue()` when that time has come.
 */
export class BatchBuffer<T> {
  readonly #limits: BatchLimits;
  readonly #now: () => number;
  #items: T[] = [];
  #bytes = 0;
  #oldestAt: number | undefined;

  constructor(limits: BatchLimits, now: () => number) {
    this.#limits = limits;
    this.#now = now;
  }

  get docs(): number {
    return this.#items.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Adds one document. Returns the batches that became ready: the current one is closed first if this document
   * would push it past `maxBytes`, and the new one if it reached `maxDocs` or `maxBytes`.
   */
  add(item: T, bytes: number): Batch<T>[] {
    const ready: Batch<T>[] = [];
    if (this.#items.length > 0 && this.#bytes + bytes > this.#limits.maxBytes) {
      ready.push(this.#close(FLUSH_REASONS.bytes));
    }
    if (this.#items.length === 0) this.#oldestAt = this.#now();
    this.#items.push(item);
    this.#bytes += bytes;
    if (this.#items.length >= this.#limits.maxDocs) ready.push(this.#close(FLUSH_REASONS.docs));
    else if (this.#bytes >= this.#limits.maxBytes) ready.push(this.#close(FLUSH_REASONS.bytes));
    return ready;
  }

  /** Milliseconds until the oldest buffered document reaches `maxAgeMs` (0 when overdue); undefined when empty. */
  msUntilDue(): number | undefined {
    if (this.#oldestAt === undefined) return undefined;
    return Math.max(0, this.#oldestAt + this.#limits.maxAgeMs - this.#now());
  }

  /** The buffered batch if its oldest document has reached `maxAgeMs`, otherwise undefined. */
  takeDue(): Batch<T> | undefined {
    const wait = this.msUntilDue();
    return wait === 0 ? this.#close(FLUSH_REASONS.age) : undefined;
  }

  /** Everything buffered, regardless of limits (for `flush()`); undefined when empty. */
  drain(): Batch<T> | undefined {
    return this.#items.length === 0 ? undefined : this.#close(FLUSH_REASONS.flush);
  }

  #close(reason: FlushReason): Batch<T> {
    const batch = { items: this.#items, bytes: this.#bytes, reason };
    this.#items = [];
    this.#bytes = 0;
    this.#oldestAt = undefined;
    return batch;
  }
}
