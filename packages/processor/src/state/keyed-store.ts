import type { ChangelogEntry } from '../task/partition-task.js';
import { checkOption, nonEmptyString } from '../config/option-schemas.js';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import type { Codec } from './codec.js';
import { MinHeap } from './min-heap.js';

export interface KeyedStoreOptions<V> {
  /** Store name; also the changelog topic suffix. */
  name: string;
  codec: Codec<V>;
  /**
   * Event-time TTL: the watermark at which an entry becomes evictable, derived from its value so that it
   * survives restore. Entries whose `expiresAt(value) <= watermark` are removed by `expire(watermark)`.
   */
  expiresAt?: (value: V) => number;
}

/**
 * Size of a store: entry count and approximate bytes = entries × the mean encoded entry size (key as UTF-16 plus
 * value bytes) of everything written to or restored from the changelog so far.
 */
export interface StoreSize {
  readonly entries: number;
  readonly approxBytes: number;
}

/**
 * In-memory keyed state with dirty tracking. Every `set`/`delete` marks the key dirty; `drainChangelog()` returns
 * the latest value per dirty key (tombstone `null` for deletes) and clears the marks. `restore` replays changelog
 * entries (last one per key wins). Optional event-time TTL evicts entries once the watermark passes their expiry
 * (eviction is a delete: it produces a tombstone).
 */
export class KeyedStore<V> {
  readonly name: string;
  readonly #codec: Codec<V>;
  readonly #expiresAt: ((value: V) => number) | undefined;
  readonly #data = new Map<string, V>();
  readonly #dirty = new Set<string>();
  // Mean size of the entries encoded so far (key as UTF-16 + value bytes): approxBytes = entries × mean.
  #sampledBytes = 0;
  #sampledEntries = 0;
  readonly #ttl = new MinHeap<{ at: number; key: string }>((a, b) => a.at - b.at);
  readonly #scheduledAt = new Map<string, number>();

  constructor(options: KeyedStoreOptions<V>) {
    this.name = checkOption('name', nonEmptyString, options.name);
    this.#codec = options.codec;
    this.#expiresAt = options.expiresAt;
  }

  get(key: string): V | undefined {
    return this.#data.get(key);
  }

  has(key: string): boolean {
    return this.#data.has(key);
  }

  /** Sets `key` (marks it dirty). Mutating a stored object in place requires `touch(key)` afterwards. */
  set(key: string, value: V): void {
    this.#data.set(key, value);
    this.#dirty.add(key);
    this.#schedule(key, value);
  }

  /** Marks `key` dirty after its value was mutated in place (and re-reads its expiry). */
  touch(key: string): void {
    const value = this.#data.get(key);
    if (value === undefined) return;
    this.#dirty.add(key);
    this.#schedule(key, value);
  }

  /**
   * Marks `key` dirty after an in-place mutation that cannot change its expiry (cheaper than `touch`: the
   * expiry is not re-read).
   */
  markDirty(key: string): void {
    if (this.#data.has(key)) this.#dirty.add(key);
  }

  delete(key: string): boolean {
    if (!this.#data.delete(key)) return false;
    this.#scheduledAt.delete(key);
    this.#dirty.add(key);
    return true;
  }

  keys(): IterableIterator<string> {
    return this.#data.keys();
  }

  entries(): IterableIterator<[string, V]> {
    return this.#data.entries();
  }

  /** Number of entries (`size.entries` without the byte estimate). */
  get count(): number {
    return this.#data.size;
  }

  get size(): StoreSize {
    const mean = this.#sampledEntries === 0 ? 0 : this.#sampledBytes / this.#sampledEntries;
    return { entries: this.#data.size, approxBytes: Math.round(this.#data.size * mean) };
  }

  /**
   * Evicts every entry whose expiry is ≤ `watermark`; returns the evicted keys and values. Entries whose value
   * changed since they were scheduled are re-checked against their current expiry.
   */
  expire(watermark: number): [string, V][] {
    const evicted: [string, V][] = [];
    for (;;) {
      const top = this.#ttl.peek();
      if (top === undefined || top.at > watermark) break;
      this.#ttl.pop();
      const value = this.#data.get(top.key);
      if (value === undefined || this.#scheduledAt.get(top.key) !== top.at) continue; // rescheduled or deleted
      this.#scheduledAt.delete(top.key);
      this.#data.delete(top.key);
      this.#dirty.add(top.key);
      evicted.push([top.key, value]);
    }
    return evicted;
  }

  /** Latest value per key changed since the last drain (`null` = tombstone), then clears the dirty marks. */
  drainChangelog(): ChangelogEntry[] {
    const out: ChangelogEntry[] = [];
    for (const key of this.#dirty) {
      const value = this.#data.get(key);
      const bytes = value === undefined ? null : this.#codec.encode(value);
      if (bytes !== null) this.#sample(key, bytes);
      out.push({ store: this.name, key, value: bytes });
    }
    this.#dirty.clear();
    return out;
  }

  /** True when there are undrained changes. */
  get dirty(): boolean {
    return this.#dirty.size > 0;
  }

  /** Applies one changelog entry (entries of other stores are ignored). Does not mark anything dirty. */
  restoreEntry(entry: ChangelogEntry): void {
    if (entry.store !== this.name) return;
    if (entry.value === null) {
      this.#data.delete(entry.key);
      this.#scheduledAt.delete(entry.key);
      return;
    }
    let value: V;
    try {
      value = this.#codec.decode(entry.value);
    } catch (cause) {
      throw new ProcessorError(
        PROCESSOR_ERROR_CODES.STATE_CORRUPT,
        `store ${this.name}: cannot decode changelog entry for key ${JSON.stringify(entry.key)}`,
        { cause },
      );
    }
    this.#data.set(entry.key, value);
    this.#sample(entry.key, entry.value);
    this.#schedule(entry.key, value);
  }

  #schedule(key: string, value: V): void {
    if (this.#expiresAt === undefined) return;
    const at = this.#expiresAt(value);
    if (this.#scheduledAt.get(key) === at) return;
    this.#scheduledAt.set(key, at);
    this.#ttl.push({ at, key });
  }

  #sample(key: string, bytes: Buffer): void {
    this.#sampledBytes += bytes.length + key.length * 2;
    this.#sampledEntries++;
  }
}
