import type { ChangelogEntry } from '../task/partition-task.js';
import { checkNonEmptyString, checkPositiveInteger } from '../engine/option-checks.js';
import type { Codec } from '../state/codec.js';
import { KeyedStore, type StoreSize } from '../state/keyed-store.js';

/** Defaults of the dedup store. */
export const DEDUP_DEFAULTS = {
  /** How long (event time) an accepted id is remembered: 10 minutes. */
  ttlMs: 600_000,
} as const;

export interface DedupStoreOptions {
  /** Store (and changelog) name. */
  name: string;
  /** @defaultValue 600000 */
  ttlMs?: number;
}

/** The verdicts of `check`, as an allowed-values array. */
export const DEDUP_VERDICTS = ['new', 'duplicate', 'replay'] as const;
export type DedupVerdict = (typeof DEDUP_VERDICTS)[number];

interface Seen {
  /** Event timestamp of the first accepted occurrence. */
  t: number;
  /** Offset (decimal string) at which it was accepted. */
  o: string;
}

/**
 * Changelog value of a remembered id: 16 bytes, big-endian float64 timestamp then float64 offset (exact below
 * 2^53).
 */
const SEEN_CODEC: Codec<Seen> = {
  encode: (seen) => {
    const b = Buffer.allocUnsafe(16);
    b.writeDoubleBE(seen.t, 0);
    b.writeDoubleBE(Number(seen.o), 8);
    return b;
  },
  decode: (b) => {
    if (b.length !== 16) throw new RangeError(`dedup entry must be 16 bytes (got ${b.length})`);
    return { t: b.readDoubleBE(0), o: String(b.readDoubleBE(8)) };
  },
};

/**
 * Dedup by event id with an event-time TTL, offset-aware. Implements the shared contract:
 * an id is a duplicate when it was already accepted in this partition and has not expired, where it expires
 * once `watermark >= tsOfFirst + ttlMs` (checked against the watermark BEFORE the current event, so physical
 * eviction timing never changes a verdict).
 *
 * The offset of the first acceptance is remembered: the same id at the SAME offset is the same record being
 * replayed after a crash or restore (`'replay'`), not a duplicate.
 */
export class DedupStore {
  readonly ttlMs: number;
  readonly #store: KeyedStore<Seen>;

  constructor(options: DedupStoreOptions) {
    this.ttlMs = checkPositiveInteger('dedupTtlMs', options.ttlMs ?? DEDUP_DEFAULTS.ttlMs);
    this.#store = new KeyedStore<Seen>({
      name: checkNonEmptyString('name', options.name),
      codec: SEEN_CODEC,
      expiresAt: (seen) => seen.t + this.ttlMs,
    });
  }

  get name(): string {
    return this.#store.name;
  }

  /** Verdict for `eventId` at `offset`, given the partition watermark before this event. Does not record. */
  check(eventId: string, offset: string, watermark: number): DedupVerdict {
    const seen = this.#store.get(eventId);
    if (seen === undefined || watermark >= seen.t + this.ttlMs) return 'new';
    return seen.o === offset ? 'replay' : 'duplicate';
  }

  /** Records an accepted id (first occurrence, or a re-accepted id whose previous entry expired). */
  accept(eventId: string, offset: string, timestampMs: number): void {
    this.#store.set(eventId, { t: timestampMs, o: offset });
  }

  /** Evicts ids that expired at `watermark`; returns how many. */
  expire(watermark: number): number {
    return this.#store.expire(watermark).length;
  }

  get size(): StoreSize {
    return this.#store.size;
  }

  drainChangelog(): ChangelogEntry[] {
    return this.#store.drainChangelog();
  }

  restoreEntry(entry: ChangelogEntry): void {
    this.#store.restoreEntry(entry);
  }
}
