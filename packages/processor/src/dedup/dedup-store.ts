import type { ChangelogEntry } from '../task/partition-task.js';
import { checkNonEmptyString, checkPositiveInteger } from '../engine/option-checks.js';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import type { StoreSize } from '../state/keyed-store.js';
import { MinHeap } from '../state/min-heap.js';
import {
  DEDUP_ITEM_OVERHEAD_BYTES,
  decodeDedupChunk,
  encodeDedupChunk,
  type DedupChunkItem,
} from './dedup-chunk-codec.js';

/** Defaults of the dedup store. */
export const DEDUP_DEFAULTS = {
  /** How long (event time) an accepted id is remembered: 10 minutes. */
  ttlMs: 600_000,
  /**
   * The default bucket is `max(1, floor(ttlMs / bucketsPerTtl))` ms of event time: 500 ms for a 10-minute TTL
   * (~1 000–1 500 ids of a busy partition per changelog record; ids live at most one bucket past their TTL).
   */
  bucketsPerTtl: 1_200,
  /** Soft cap of one changelog record (Kafka's default max message is ~1 MB); a fuller bucket opens a new chunk. */
  maxEntryBytes: 65_536,
} as const;

export interface DedupStoreOptions {
  /** Store (and changelog) name. */
  name: string;
  /** @defaultValue 600000 */
  ttlMs?: number;
  /** Event-time width of a changelog bucket. @defaultValue max(1, floor(ttlMs / 1200)) */
  bucketMs?: number;
  /** Soft cap of one changelog record's value in bytes. @defaultValue 65536 */
  maxEntryBytes?: number;
}

/** The verdicts of `check`, as an allowed-values array. */
export const DEDUP_VERDICTS = ['new', 'duplicate', 'replay'] as const;
export type DedupVerdict = (typeof DEDUP_VERDICTS)[number];

/** The ids checkpointed together in one changelog record (one key); one bucket may need several. */
interface Chunk {
  /** Changelog key: the id that opened the chunk, unique among live chunks. */
  readonly key: string;
  /** Ids added to this chunk; an id that moved to another chunk since is skipped (its `Seen.chunk` differs). */
  ids: string[];
  /** How many of `ids` still belong here. */
  live: number;
  /** Approximate encoded bytes. */
  bytes: number;
  /** Largest first-timestamp of its ids: the chunk is evicted once `watermark >= maxT + ttlMs`. */
  maxT: number;
  dead: boolean;
  /** Queued in `#dirty` for a rewrite (cleared by the drain). */
  dirty: boolean;
}

interface Seen {
  /** Event timestamp of the first accepted occurrence. */
  t: number;
  /** Offset at which it was accepted (a number: no string per remembered id; exact below 2^53). */
  o: number;
  chunk: Chunk;
}

/**
 * Dedup by event id with an event-time TTL, offset-aware. Implements the shared contract:
 * an id is a duplicate when it was already accepted in this partition and has not expired, where it expires
 * once `watermark >= tsOfFirst + ttlMs` (checked against the watermark BEFORE the current event, so physical
 * eviction timing never changes a verdict).
 *
 * The offset of the first acceptance is remembered: the same id at the SAME offset is the same record being
 * replayed after a crash or restore (`'replay'`), not a duplicate.
 *
 * Changelog: ids are grouped by event-time bucket (`floor(tsOfFirst / bucketMs)`) into chunks of at most
 * ~`maxEntryBytes`; a drain writes one record per chunk that changed (all its ids and offsets), and a chunk is
 * evicted as a whole, with a tombstone, once the watermark passes its newest id's expiry. So a busy partition
 * writes one record per bucket instead of one per event.
 */
export class DedupStore {
  readonly ttlMs: number;
  readonly bucketMs: number;
  readonly maxEntryBytes: number;
  readonly name: string;
  readonly #seen = new Map<string, Seen>();
  readonly #chunks = new Map<string, Chunk>();
  /** The chunk still taking ids, per bucket (chunks created since construction or restore). */
  readonly #open = new Map<number, Chunk>();
  /** Changed since the last drain: the chunk to write, or null for a tombstone. */
  readonly #dirty = new Map<string, Chunk | null>();
  readonly #expiry = new MinHeap<{ at: number; chunk: Chunk }>((a, b) => a.at - b.at);
  #sampledBytes = 0;
  #sampledIds = 0;

  constructor(options: DedupStoreOptions) {
    this.name = checkNonEmptyString('name', options.name);
    this.ttlMs = checkPositiveInteger('dedupTtlMs', options.ttlMs ?? DEDUP_DEFAULTS.ttlMs);
    this.bucketMs = checkPositiveInteger(
      'dedupBucketMs',
      options.bucketMs ?? Math.max(1, Math.floor(this.ttlMs / DEDUP_DEFAULTS.bucketsPerTtl)),
    );
    this.maxEntryBytes = checkPositiveInteger(
      'dedupMaxEntryBytes',
      options.maxEntryBytes ?? DEDUP_DEFAULTS.maxEntryBytes,
    );
  }

  /** Verdict for `eventId` at `offset`, given the partition watermark before this event. Does not record. */
  check(eventId: string, offset: string, watermark: number): DedupVerdict {
    const seen = this.#seen.get(eventId);
    if (seen === undefined || watermark >= seen.t + this.ttlMs) return 'new';
    return seen.o === Number(offset) ? 'replay' : 'duplicate';
  }

  /**
   * `check`, and when the verdict is not `'duplicate'` also `accept` — with one lookup of the id (the per-event
   * path of a task).
   */
  checkAndAccept(eventId: string, offset: string, watermark: number, timestampMs: number): DedupVerdict {
    const seen = this.#seen.get(eventId);
    const at = Number(offset);
    let verdict: DedupVerdict = 'new';
    if (seen !== undefined && watermark < seen.t + this.ttlMs) {
      if (seen.o !== at) return 'duplicate';
      verdict = 'replay';
    }
    this.#accept(eventId, at, timestampMs, seen);
    return verdict;
  }

  /** Records an accepted id (first occurrence, or a re-accepted id whose previous entry expired). */
  accept(eventId: string, offset: string, timestampMs: number): void {
    this.#accept(eventId, Number(offset), timestampMs, this.#seen.get(eventId));
  }

  #accept(eventId: string, offset: number, timestampMs: number, previous: Seen | undefined): void {
    const bucket = Math.floor(timestampMs / this.bucketMs);
    let chunk = this.#open.get(bucket);
    if (previous !== undefined && previous.chunk === chunk) {
      previous.t = timestampMs; // re-accepted into the chunk it is in: update in place
      previous.o = offset;
    } else {
      if (previous !== undefined) this.#leave(previous.chunk);
      if (chunk === undefined || chunk.bytes >= this.maxEntryBytes) {
        chunk = this.#newChunk(this.#freeKey(eventId, bucket), timestampMs);
        this.#open.set(bucket, chunk);
      }
      chunk.ids.push(eventId);
      chunk.live++;
      chunk.bytes += DEDUP_ITEM_OVERHEAD_BYTES + eventId.length;
      this.#seen.set(eventId, { t: timestampMs, o: offset, chunk });
    }
    if (timestampMs > chunk.maxT) chunk.maxT = timestampMs;
    this.#markDirty(chunk);
  }

  /** Queues `chunk` for the next drain (one map write per chunk and drain, not per id). */
  #markDirty(chunk: Chunk): void {
    if (chunk.dirty) return;
    chunk.dirty = true;
    this.#dirty.set(chunk.key, chunk);
  }

  /** Evicts ids whose chunk expired at `watermark` (every id in it did); returns how many. */
  expire(watermark: number): number {
    let evicted = 0;
    for (;;) {
      const top = this.#expiry.peek();
      if (top === undefined || top.at > watermark) break;
      this.#expiry.pop();
      const chunk = top.chunk;
      if (chunk.dead) continue;
      const at = chunk.maxT + this.ttlMs;
      if (at > watermark) {
        this.#expiry.push({ at, chunk }); // took newer ids since it was scheduled
        continue;
      }
      for (const id of chunk.ids) {
        if (this.#seen.get(id)?.chunk !== chunk) continue;
        this.#seen.delete(id);
        evicted++;
      }
      this.#drop(chunk);
      this.#dirty.set(chunk.key, null);
    }
    return evicted;
  }

  /** Entries = remembered ids; approxBytes = ids × the mean encoded bytes per id (key included) seen so far. */
  get size(): StoreSize {
    const mean = this.#sampledIds === 0 ? 0 : this.#sampledBytes / this.#sampledIds;
    return { entries: this.#seen.size, approxBytes: Math.round(this.#seen.size * mean) };
  }

  /** One record per chunk changed since the last drain (tombstone for an evicted chunk); clears the marks. */
  drainChangelog(): ChangelogEntry[] {
    const out: ChangelogEntry[] = [];
    for (const [key, chunk] of this.#dirty) {
      if (chunk === null) {
        out.push({ store: this.name, key, value: null });
        continue;
      }
      chunk.dirty = false;
      const items: DedupChunkItem[] = [];
      const ids: string[] = [];
      for (const id of chunk.ids) {
        const seen = this.#seen.get(id);
        if (seen?.chunk !== chunk) continue;
        ids.push(id);
        items.push({ id, t: seen.t, o: seen.o });
      }
      chunk.ids = ids; // compact away the ids that moved
      const value = encodeDedupChunk(items);
      chunk.bytes = value.length;
      this.#sample(value.length, items.length);
      out.push({ store: this.name, key, value });
    }
    this.#dirty.clear();
    return out;
  }

  /** Applies one changelog record (records of other stores are ignored). Does not mark anything dirty. */
  restoreEntry(entry: ChangelogEntry): void {
    if (entry.store !== this.name) return;
    const previous = this.#chunks.get(entry.key);
    if (previous !== undefined) {
      for (const id of previous.ids) if (this.#seen.get(id)?.chunk === previous) this.#seen.delete(id);
      this.#drop(previous);
    }
    if (entry.value === null) return;
    let items: DedupChunkItem[];
    try {
      items = decodeDedupChunk(entry.key, entry.value);
    } catch (cause) {
      throw new ProcessorError(
        PROCESSOR_ERROR_CODES.STATE_CORRUPT,
        `store ${this.name}: cannot decode changelog entry for key ${JSON.stringify(entry.key)}`,
        { cause },
      );
    }
    if (items.length === 0) return;
    const chunk = this.#newChunk(entry.key, Number.NEGATIVE_INFINITY);
    for (const item of items) {
      const previousChunk = this.#seen.get(item.id)?.chunk;
      if (previousChunk !== undefined) previousChunk.live--;
      chunk.ids.push(item.id);
      chunk.live++;
      if (item.t > chunk.maxT) chunk.maxT = item.t;
      this.#seen.set(item.id, { t: item.t, o: Number(item.o), chunk });
    }
    chunk.bytes = entry.value.length;
    this.#sample(entry.value.length, items.length);
    this.#expiry.push({ at: chunk.maxT + this.ttlMs, chunk });
  }

  #newChunk(key: string, firstTs: number): Chunk {
    const chunk: Chunk = { key, ids: [], live: 0, bytes: 5, maxT: firstTs, dead: false, dirty: false };
    this.#chunks.set(key, chunk);
    if (Number.isFinite(firstTs)) this.#expiry.push({ at: firstTs + this.ttlMs, chunk });
    return chunk;
  }

  /** An id left `chunk` (re-accepted elsewhere): rewrite it, or tombstone it when nothing is left. */
  #leave(chunk: Chunk): void {
    chunk.live--;
    if (chunk.live > 0) {
      this.#markDirty(chunk);
      return;
    }
    this.#drop(chunk);
    this.#dirty.set(chunk.key, null);
  }

  #drop(chunk: Chunk): void {
    chunk.dead = true;
    if (this.#chunks.get(chunk.key) === chunk) this.#chunks.delete(chunk.key);
    const bucket = Math.floor(chunk.maxT / this.bucketMs);
    if (this.#open.get(bucket) === chunk) this.#open.delete(bucket);
  }

  /** A changelog key no live chunk uses and no pending tombstone holds: the id itself when free. */
  #freeKey(eventId: string, bucket: number): string {
    const taken = (k: string) => this.#chunks.has(k) || this.#dirty.has(k);
    if (!taken(eventId)) return eventId;
    for (let n = 0; ; n++) {
      const key = `${eventId}\u0000${bucket}\u0000${n}`;
      if (!taken(key)) return key;
    }
  }

  #sample(bytes: number, ids: number): void {
    this.#sampledBytes += bytes;
    this.#sampledIds += ids;
  }
}
