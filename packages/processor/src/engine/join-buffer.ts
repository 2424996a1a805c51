import { KeyedStore, type StoreSize } from '../state/keyed-store.js';
import type { ChangelogEntry } from '../task/partition-task.js';
import { decodeJoinRecord, type JoinEventRecord } from './join-record-format.js';

/** One buffered event of a side: its join record (as received, checkpointed as is) and the decoded event. */
export interface BufferedEvent<E> {
  /** `${upstreamPartition}:${sourceOffset}`: unique per event of a side. */
  readonly id: string;
  readonly record: JoinEventRecord;
  readonly bytes: Buffer;
  readonly event: E;
}

export interface JoinBufferOptions<E> {
  /** Store name; also the changelog topic suffix. */
  name: string;
  /**
   * The other side's watermark at which a buffered event can no longer match anything that side may still send
   * (its expiry: it is dropped once the other side's watermark reaches it).
   */
  expiresAt: (eventTime: number) => number;
  /** Decodes a restored record's event again (the side's decoder); throwing means the state is corrupt. */
  eventOf: (record: JoinEventRecord) => E;
}

/**
 * The buffered events of one side of an interval join, by join key, each dropped once the other side's watermark
 * passes its expiry. Checkpointed as a store of join records (the bytes received), tombstoned when dropped.
 */
export class JoinBuffer<E> {
  /** The other side's watermark at which an event at `eventTime` is dropped. */
  readonly expiresAt: (eventTime: number) => number;
  readonly #store: KeyedStore<BufferedEvent<E>>;
  readonly #byKey = new Map<string, Map<string, BufferedEvent<E>>>();

  constructor(options: JoinBufferOptions<E>) {
    this.expiresAt = options.expiresAt;
    this.#store = new KeyedStore<BufferedEvent<E>>({
      name: options.name,
      codec: {
        encode: (b) => b.bytes,
        decode: (bytes) => {
          const record = decodeJoinRecord(bytes);
          if (record.type !== 'event') throw new Error('not an event record');
          return { id: idOf(record), record, bytes, event: options.eventOf(record) };
        },
      },
      expiresAt: (b) => options.expiresAt(b.record.eventTime),
    });
  }

  get name(): string {
    return this.#store.name;
  }

  get count(): number {
    return this.#store.count;
  }

  get size(): StoreSize {
    return this.#store.size;
  }

  /** The buffered events of `joinKey`, oldest first (empty when none). */
  eventsOf(joinKey: string): Iterable<BufferedEvent<E>> {
    return this.#byKey.get(joinKey)?.values() ?? [];
  }

  add(record: JoinEventRecord, bytes: Buffer, event: E): void {
    const b: BufferedEvent<E> = { id: idOf(record), record, bytes, event };
    this.#store.set(b.id, b);
    this.#index(b);
  }

  /** Drops every event whose expiry is at or below `otherWatermark`; returns how many. */
  expire(otherWatermark: number): number {
    const dropped = this.#store.expire(otherWatermark);
    for (const [id, b] of dropped) {
      const events = this.#byKey.get(b.record.joinKey);
      events?.delete(id);
      if (events?.size === 0) this.#byKey.delete(b.record.joinKey);
    }
    return dropped.length;
  }

  drainChangelog(): ChangelogEntry[] {
    return this.#store.drainChangelog();
  }

  restoreEntry(entry: ChangelogEntry): void {
    this.#store.restoreEntry(entry);
  }

  /** Rebuilds the index by join key from the store (after a restore). */
  reindex(): void {
    this.#byKey.clear();
    for (const [, b] of this.#store.entries()) this.#index(b);
  }

  #index(b: BufferedEvent<E>): void {
    let events = this.#byKey.get(b.record.joinKey);
    if (events === undefined) this.#byKey.set(b.record.joinKey, (events = new Map()));
    events.set(b.id, b);
  }
}

function idOf(record: JoinEventRecord): string {
  return `${record.upstreamPartition}:${record.source.offset}`;
}
