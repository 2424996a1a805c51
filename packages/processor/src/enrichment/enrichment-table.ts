import { checkOption, fn } from '../config/option-schemas.js';

/** A record of the compacted reference-data topic: key → value, `value: null` deletes the key. */
export interface TableRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

export interface EnrichmentTableOptions<V> {
  /** Decodes a value. @defaultValue UTF-8 JSON */
  decodeValue?: (bytes: Buffer) => V;
  /** Decodes a key. @defaultValue UTF-8 */
  decodeKey?: (bytes: Buffer) => string;
}

/** Counters of what the table has applied. */
export interface EnrichmentTableStats {
  upserts: number;
  deletes: number;
  /** Records without a key, or whose value failed to decode (the previous value is kept). */
  skipped: number;
}

/**
 * Reference data for per-event enrichment (Kafka Streams' GlobalKTable, Flink's broadcast state): a keyed table
 * fed by the records of a compacted topic, in order (last write wins, `null` value deletes), and a lookup join.
 * Pure: the runtime reads the topic (from the beginning, on every instance) and calls `apply`.
 */
export class EnrichmentTable<V> {
  readonly stats: EnrichmentTableStats = { upserts: 0, deletes: 0, skipped: 0 };
  readonly #rows = new Map<string, V>();
  readonly #decodeValue: (bytes: Buffer) => V;
  readonly #decodeKey: (bytes: Buffer) => string;

  constructor(options: EnrichmentTableOptions<V> = {}) {
    checkOption('decodeValue', fn().optional(), options.decodeValue);
    checkOption('decodeKey', fn().optional(), options.decodeKey);
    this.#decodeValue = options.decodeValue ?? ((b) => JSON.parse(b.toString('utf8')) as V);
    this.#decodeKey = options.decodeKey ?? ((b) => b.toString('utf8'));
  }

  /** Applies one compacted-topic record. Returns false when it was skipped (no key or undecodable value). */
  apply(record: TableRecord): boolean {
    if (record.key === null) {
      this.stats.skipped++;
      return false;
    }
    const key = this.#decodeKey(record.key);
    if (record.value === null) {
      this.delete(key);
      return true;
    }
    let value: V;
    try {
      value = this.#decodeValue(record.value);
    } catch {
      this.stats.skipped++;
      return false;
    }
    this.set(key, value);
    return true;
  }

  set(key: string, value: V): void {
    this.#rows.set(key, value);
    this.stats.upserts++;
  }

  delete(key: string): void {
    this.#rows.delete(key);
    this.stats.deletes++;
  }

  lookup(key: string): V | undefined {
    return this.#rows.get(key);
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Joins one event with its row (`undefined` when the key is absent: a left join). */
  join<E, O>(event: E, keyOf: (event: E) => string, joiner: (event: E, row: V | undefined) => O): O {
    return joiner(event, this.#rows.get(keyOf(event)));
  }

  /** A reusable per-event enrichment function over this table. */
  enricher<E, O>(keyOf: (event: E) => string, joiner: (event: E, row: V | undefined) => O): (event: E) => O {
    checkOption('keyOf', fn(), keyOf);
    checkOption('joiner', fn(), joiner);
    return (event) => joiner(event, this.#rows.get(keyOf(event)));
  }
}
