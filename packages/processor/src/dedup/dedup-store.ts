import { EVENT_TIME_DEFAULTS } from '@tributary/schema';
import type { ChangelogEntry } from '../task/partition-task.js';
import { checkOption, nonEmptyString, positiveInt } from '../config/option-schemas.js';
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
  ttlMs: EVENT_TIME_DEFAULTS.dedupTtlMs,
  /**
   * The default bucket is `max(1, floor(ttlMs / bucketsPerTtl))` ms of event time: 500 ms for a 10-minute TTL
   * (~1 000–1 500 ids of a busy partition per changelog record; ids live at most one bucket past their TTL).
   */
  bucketsPerTtl: 1_200,
  /** Soft cap of one changelog record (Kafka's default max message is ~1 MB); a fuller bucket opens a new chunk. */
  maxEntryBytes: 65_536,
  /**
   * Cap of remembered ids per store (per input partition): at the cap the oldest event-time buckets are forgotten.
   * 2 000 000 holds every id of 3 300 events/s per partition for the default 10-minute TTL — above the reference
   * load of 10 000 events/s over 4 partitions (1 500 000 ids in steady state). At the cap a store takes about
   * 400 MB of heap with 36-character ids (~195 bytes per id) and ~120 MB of changelog (20 bytes + the id per id).
   */
  maxEntries: 2_000_000,
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
  /**
   * Most ids remembered at once; beyond it the oldest buckets (by event time) are evicted whole, and a duplicate of
   * an evicted id is then accepted. @defaultValue 2000000
   */
  maxEntries?: number;
}

/** The verdicts of `check`, as an allowed-values array. */
export const DEDUP_VERDICTS = ['new', 'duplicate', 'replay'] as const;
export type DedupVerdict = (typeof DEDUP_VERDICTS)[number];

/**
 * The ids of one event-time bucket (`floor(tsOfFirst / bucketMs)`): the unit of expiry and of eviction at the cap.
 * What it holds is a function of the ids alone, never of how they are split into chunks.
 */
interface Bucket {
  readonly index: number;
  /** Largest first-timestamp of its ids: the bucket expires, as a whole, once `watermark >= maxT + ttlMs`. */
  maxT: number;
  readonly chunks: Set<Chunk>;
  /** The chunk still taking ids (chunks created since construction or restore). */
  open: Chunk | undefined;
  dead: boolean;
}

/** The ids checkpointed together in one changelog record (one key); one bucket may need several. */
interface Chunk {
  /** Changelog key: the id that opened the chunk, unique among live chunks. */
  readonly key: string;
  readonly bucket: Bucket;
  /** Ids added to this chunk; an id that moved to another chunk since is skipped (its `Seen.chunk` differs). */
  ids: string[];
  /** How many of `ids` still belong here. */
  live: number;
  /** Approximate encoded bytes. */
  bytes: number;
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
 * Ids are grouped by event-time bucket (`floor(tsOfFirst / bucketMs)`). A bucket is evicted as a whole once the
 * watermark passes its newest id's expiry (`expire`), and — when an accepted id makes the store hold more than
 * `maxEntries` ids — the OLDEST buckets are evicted, whole, until it holds at most `maxEntries` (counted in
 * `evictedIds`; a duplicate of an id forgotten this way is accepted again). Both depend only on the ids the store
 * holds, so a store restored from its changelog evicts exactly what the live one would have.
 *
 * Changelog: a bucket's ids are written in chunks of at most ~`maxEntryBytes`; a drain writes one record per chunk
 * that changed (all its ids and offsets), and an evicted bucket's chunks are tombstoned. So a busy partition writes
 * one record per bucket instead of one per event.
 */
export class DedupStore {
  readonly ttlMs: number;
  readonly bucketMs: number;
  readonly maxEntryBytes: number;
  readonly maxEntries: number;
  readonly name: string;
  readonly #seen = new Map<string, Seen>();
  readonly #chunks = new Map<string, Chunk>();
  readonly #buckets = new Map<number, Bucket>();
  /** Live buckets, oldest first: the next to expire is also the next to evict at the cap. */
  readonly #byAge = new MinHeap<Bucket>((a, b) => a.index - b.index);
  /** Changed since the last drain: the chunk to write, or null for a tombstone. */
  readonly #dirty = new Map<string, Chunk | null>();
  #evictedIds = 0;
  #evictedBuckets = 0;
  #sampledBytes = 0;
  #sampledIds = 0;

  constructor(options: DedupStoreOptions) {
    this.name = checkOption('name', nonEmptyString, options.name);
    this.ttlMs = checkOption('dedupTtlMs', positiveInt, options.ttlMs ?? DEDUP_DEFAULTS.ttlMs);
    this.bucketMs = checkOption(
      'dedupBucketMs',
      positiveInt,
      options.bucketMs ?? Math.max(1, Math.floor(this.ttlMs / DEDUP_DEFAULTS.bucketsPerTtl)),
    );
    this.maxEntryBytes = checkOption(
      'dedupMaxEntryBytes',
      positiveInt,
      options.maxEntryBytes ?? DEDUP_DEFAULTS.maxEntryBytes,
    );
    this.maxEntries = checkOption(
      'maxDedupEntries',
      positiveInt,
      options.maxEntries ?? DEDUP_DEFAULTS.maxEntries,
    );
  }

  /** Ids forgotten at the `maxEntries` cap before their TTL, since construction (not checkpointed). */
  get evictedIds(): number {
    return this.#evictedIds;
  }

  /** Buckets evicted at the `maxEntries` cap since construction (not checkpointed). */
  get evictedBuckets(): number {
    return this.#evictedBuckets;
  }

  /** Verdict for `eventId` at `offset`, given the partition watermark before this event. Does not record. */
  check(eventId: string, offset: number, watermark: number): DedupVerdict {
    const seen = this.#seen.get(eventId);
    if (seen === undefined || watermark >= seen.t + this.ttlMs) return 'new';
    return seen.o === offset ? 'replay' : 'duplicate';
  }

  /**
   * `check`, and when the verdict is not `'duplicate'` also `accept` — with one lookup of the id (the per-event
   * path of a task).
   */
  checkAndAccept(eventId: string, offset: number, watermark: number, timestampMs: number): DedupVerdict {
    const seen = this.#seen.get(eventId);
    let verdict: DedupVerdict = 'new';
    if (seen !== undefined && watermark < seen.t + this.ttlMs) {
      if (seen.o !== offset) return 'duplicate';
      verdict = 'replay';
    }
    this.#accept(eventId, offset, timestampMs, seen);
    return verdict;
  }

  /** Records an accepted id (first occurrence, or a re-accepted id whose previous entry expired). */
  accept(eventId: string, offset: number, timestampMs: number): void {
    this.#accept(eventId, offset, timestampMs, this.#seen.get(eventId));
  }

  #accept(eventId: string, offset: number, timestampMs: number, previous: Seen | undefined): void {
    const index = Math.floor(timestampMs / this.bucketMs);
    let chunk = this.#buckets.get(index)?.open;
    if (previous !== undefined && previous.chunk === chunk) {
      previous.t = timestampMs; // re-accepted into the chunk it is in: update in place
      previous.o = offset;
    } else {
      if (previous !== undefined) this.#leave(previous.chunk);
      const bucket = this.#buckets.get(index) ?? this.#newBucket(index);
      chunk = bucket.open;
      if (chunk === undefined || chunk.bytes >= this.maxEntryBytes) {
        chunk = this.#newChunk(this.#freeKey(eventId, index), bucket);
        bucket.open = chunk;
      }
      chunk.ids.push(eventId);
      chunk.live++;
      chunk.bytes += DEDUP_ITEM_OVERHEAD_BYTES + eventId.length;
      this.#seen.set(eventId, { t: timestampMs, o: offset, chunk });
    }
    if (timestampMs > chunk.bucket.maxT) chunk.bucket.maxT = timestampMs;
    this.#markDirty(chunk);
    while (this.#seen.size > this.maxEntries) if (!this.#evictOldest()) break;
  }

  /** Queues `chunk` for the next drain (one map write per chunk and drain, not per id). */
  #markDirty(chunk: Chunk): void {
    if (chunk.dirty) return;
    chunk.dirty = true;
    this.#dirty.set(chunk.key, chunk);
  }

  /** Evicts the buckets whose newest id expired at `watermark` (every id in them did); returns how many ids. */
  expire(watermark: number): number {
    let evicted = 0;
    for (let top = this.#byAge.peek(); top !== undefined; top = this.#byAge.peek()) {
      if (!top.dead && top.maxT + this.ttlMs > watermark) break;
      this.#byAge.pop();
      if (!top.dead) evicted += this.#evictBucket(top);
    }
    return evicted;
  }

  /** Evicts the oldest bucket (the cap); false when there is none. */
  #evictOldest(): boolean {
    for (let top = this.#byAge.pop(); top !== undefined; top = this.#byAge.pop()) {
      if (top.dead) continue;
      this.#evictedIds += this.#evictBucket(top);
      this.#evictedBuckets++;
      return true;
    }
    return false;
  }

  /** Forgets every id of `bucket` and tombstones its chunks; returns how many ids. */
  #evictBucket(bucket: Bucket): number {
    let evicted = 0;
    for (const chunk of bucket.chunks) {
      for (const id of chunk.ids) {
        if (this.#seen.get(id)?.chunk !== chunk) continue;
        this.#seen.delete(id);
        evicted++;
      }
      chunk.dead = true;
      if (this.#chunks.get(chunk.key) === chunk) this.#chunks.delete(chunk.key);
      this.#dirty.set(chunk.key, null);
    }
    bucket.chunks.clear();
    this.#dropBucket(bucket);
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

  /**
   * Applies one changelog record (records of other stores are ignored). Does not mark anything dirty, and does not
   * evict: a store restored over `maxEntries` (the cap was lowered) evicts at its next accepted id.
   */
  restoreEntry(entry: ChangelogEntry): void {
    if (entry.store !== this.name) return;
    const previous = this.#chunks.get(entry.key);
    if (previous !== undefined) {
      for (const id of previous.ids) {
        if (this.#seen.get(id)?.chunk !== previous) continue;
        this.#seen.delete(id);
        previous.live--;
      }
      this.#dropChunk(previous);
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
    // A chunk holds the ids of one bucket: the bucket of its newest id (also with a bucket width changed since).
    let maxT = Number.NEGATIVE_INFINITY;
    for (const item of items) if (item.t > maxT) maxT = item.t;
    const index = Math.floor(maxT / this.bucketMs);
    const bucket = this.#buckets.get(index) ?? this.#newBucket(index);
    const chunk = this.#newChunk(entry.key, bucket);
    for (const item of items) {
      const seen = this.#seen.get(item.id);
      if (seen?.chunk === chunk) {
        seen.t = item.t;
        seen.o = item.o;
        continue;
      }
      if (seen !== undefined) {
        // An older record of another chunk still listed this id: it lives here now.
        seen.chunk.live--;
        if (seen.chunk.live === 0) this.#dropChunk(seen.chunk);
      }
      chunk.ids.push(item.id);
      chunk.live++;
      this.#seen.set(item.id, { t: item.t, o: item.o, chunk });
    }
    if (maxT > bucket.maxT) bucket.maxT = maxT;
    chunk.bytes = entry.value.length;
    this.#sample(entry.value.length, items.length);
  }

  #newBucket(index: number): Bucket {
    const bucket: Bucket = {
      index,
      maxT: Number.NEGATIVE_INFINITY,
      chunks: new Set(),
      open: undefined,
      dead: false,
    };
    this.#buckets.set(index, bucket);
    this.#byAge.push(bucket);
    return bucket;
  }

  #newChunk(key: string, bucket: Bucket): Chunk {
    const chunk: Chunk = { key, bucket, ids: [], live: 0, bytes: 5, dead: false, dirty: false };
    this.#chunks.set(key, chunk);
    bucket.chunks.add(chunk);
    return chunk;
  }

  /** An id left `chunk` (re-accepted elsewhere): rewrite it, or tombstone it when nothing is left. */
  #leave(chunk: Chunk): void {
    chunk.live--;
    if (chunk.live > 0) {
      this.#markDirty(chunk);
      return;
    }
    this.#dropChunk(chunk);
    this.#dirty.set(chunk.key, null);
  }

  /** Forgets `chunk` (its ids are gone or moved); its bucket goes with its last chunk. */
  #dropChunk(chunk: Chunk): void {
    chunk.dead = true;
    if (this.#chunks.get(chunk.key) === chunk) this.#chunks.delete(chunk.key);
    const bucket = chunk.bucket;
    bucket.chunks.delete(chunk);
    if (bucket.open === chunk) bucket.open = undefined;
    if (bucket.chunks.size === 0) this.#dropBucket(bucket);
  }

  /** Removes `bucket` from the index; its entry in `#byAge` is skipped when it comes up. */
  #dropBucket(bucket: Bucket): void {
    bucket.dead = true;
    bucket.open = undefined;
    if (this.#buckets.get(bucket.index) === bucket) this.#buckets.delete(bucket.index);
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
