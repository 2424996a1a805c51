import type { ClickstreamEvent } from '@tributary/schema';

/** A record waiting to be sent, with the times the latency and lag figures are measured from. */
export interface PendingRecord {
  seq: number;
  partition: number;
  key: string;
  value: Uint8Array;
  headers: Record<string, string> | undefined;
  /** Monotonic ms the record was meant to be sent at (open loop), or built at (unthrottled). */
  intendedMs: number;
  /** Fault the record carries, for the manifest's injected counts. */
  fault: string;
  /** The decoded event when `value` is a valid encoding of it (lets the ground truth skip decoding); else undefined. */
  event: ClickstreamEvent | undefined;
}

export interface AccumulatorLimits {
  /** A partition is ready once it holds this many records. */
  batchSize: number;
  /** A partition is ready once its oldest record has waited this long (ms). */
  lingerMs: number;
}

/**
 * kafkajs has no linger: this accumulates records per partition and says when to send. Like the Java client, once
 * any partition is ready (full, or its oldest record lingered long enough) every partition's batch (up to batchSize
 * records each) goes out in the same request. Driven by the caller's clock: pure and deterministic.
 */
export class RecordAccumulator {
  readonly limits: AccumulatorLimits;
  readonly #buckets: PendingRecord[][];
  readonly #firstAt: Float64Array;
  #size = 0;
  #full = 0;

  constructor(partitions: number, limits: AccumulatorLimits) {
    this.limits = limits;
    this.#buckets = Array.from({ length: partitions }, () => []);
    this.#firstAt = new Float64Array(partitions).fill(Number.POSITIVE_INFINITY);
  }

  /** Records buffered. */
  get size(): number {
    return this.#size;
  }

  add(record: PendingRecord, nowMs: number): void {
    const bucket = this.#buckets[record.partition];
    if (bucket === undefined) throw new RangeError(`partition ${record.partition} out of range`);
    if (bucket.length === 0) this.#firstAt[record.partition] = nowMs;
    bucket.push(record);
    this.#size++;
    if (bucket.length === this.limits.batchSize) this.#full++;
  }

  /** Earliest monotonic time at which a partition becomes ready by linger; Infinity when empty. */
  nextDeadline(): number {
    let min = Number.POSITIVE_INFINITY;
    for (let p = 0; p < this.#firstAt.length; p++) if (this.#firstAt[p]! < min) min = this.#firstAt[p]!;
    return min + this.limits.lingerMs;
  }

  ready(nowMs: number): boolean {
    return this.#size > 0 && (this.#full > 0 || this.nextDeadline() <= nowMs);
  }

  /**
   * When some partition is ready (or when forced): up to `batchSize` records of every partition that has any, in
   * per-partition order; else []. Records left behind keep their partition's age, so they go out next.
   */
  drain(nowMs: number, force = false): PendingRecord[] {
    if (!(force ? this.#size > 0 : this.ready(nowMs))) return [];
    const out: PendingRecord[] = [];
    const max = this.limits.batchSize;
    this.#full = 0;
    for (let p = 0; p < this.#buckets.length; p++) {
      const bucket = this.#buckets[p]!;
      if (bucket.length === 0) continue;
      if (bucket.length <= max) {
        for (const r of bucket) out.push(r);
        this.#buckets[p] = [];
        this.#firstAt[p] = Number.POSITIVE_INFINITY;
        this.#size -= bucket.length;
      } else {
        for (let i = 0; i < max; i++) out.push(bucket[i]!);
        const rest = bucket.slice(max);
        this.#buckets[p] = rest;
        this.#size -= max;
        if (rest.length >= max) this.#full++;
      }
    }
    return out;
  }
}
