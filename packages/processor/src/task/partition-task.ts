/**
 * The seam between the pure engine and the Kafka runtime.
 *
 * The runtime owns one PartitionTask per assigned input partition. It feeds records in offset order, calls
 * `tick` with the wall clock, and at every commit interval drains the task's outputs and changelog entries into
 * ONE Kafka transaction together with the input offset (`nextOffset`). On assignment it restores the task from
 * its changelog before the first record. A task never touches Kafka itself.
 */

/** A consumed record as the task sees it (already read from Kafka, not yet decoded). */
export interface InputRecord {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset (exact: the runtime rejects offsets of 2^53 or more where they come in from kafkajs). */
  readonly offset: number;
  /** Kafka record timestamp, ms since epoch. */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Header values as UTF-8 strings (the first of a repeated header; a header with a null value is absent). */
  readonly headers: Readonly<Record<string, string>>;
  /** The headers exactly as read (bytes, null values, repeated headers as arrays), for byte-exact copies. */
  readonly rawHeaders?: Readonly<RecordHeaders>;
}

/** Kafka record headers: a value per name, an array for a repeated name, null for a header without value. */
export type RecordHeaders = Record<string, string | Buffer | null | ReadonlyArray<string | Buffer | null>>;

/** Where an output record goes. */
export type OutputDestination =
  /** a partition chosen by the key with Kafka's default (murmur2) partitioner */
  | { readonly kind: 'by-key' }
  /** one explicit partition */
  | { readonly kind: 'partition'; readonly partition: number }
  /** a copy to every partition of the topic (watermark records on a repartition topic) */
  | { readonly kind: 'broadcast' };

export interface OutputRecord {
  /** Logical output name, mapped to a topic by the runtime: 'results', 'repartition', 'late', 'dead-letter', … */
  readonly output: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<RecordHeaders>;
  readonly destination: OutputDestination;
  /**
   * Optional record timestamp (ms); the runtime uses the commit's wall-clock time when absent — what engine tasks
   * do, so that time-based retention of an output topic counts from when a record was written, not from the
   * (possibly old) event time it is about.
   */
  readonly timestamp?: number;
  /** The event time this output stands for (a window result: its window end), for event-time latency metrics. */
  readonly eventTime?: number;
}

/** One changelog entry of a state store; `value: null` is a tombstone. Keys are unique per store. */
export interface ChangelogEntry {
  readonly store: string;
  readonly key: string;
  readonly value: Buffer | null;
}

export interface PartitionTask {
  /** Process one record. Records arrive in offset order; the task decides validity, lateness, dedup. */
  process(record: InputRecord): void;
  /** Advance processing time (idleness detection, early/periodic emissions, wall-clock watermark advance). */
  tick(nowMs: number): void;
  /** Outputs produced since the last drain, in production order. */
  drainOutputs(): OutputRecord[];
  /** State changes since the last drain (latest value per key), to write to the changelog topics. */
  drainChangelog(): ChangelogEntry[];
  /** Rebuild state from the changelog (all entries, oldest first, last one per key wins). Called before `process`. */
  restore(entries: Iterable<ChangelogEntry>): void;
  /** Names of the state stores this task writes (one compacted changelog topic each). */
  readonly stores: readonly string[];
  /**
   * The offset of the last input record the state reflects (after `restore`: what the changelog says was applied),
   * undefined when none. The runtime checks it against the input partition: a log that ends before it, or (under
   * exactly-once) a committed offset at or below it, means the topic was recreated or its offsets were reset — the
   * job stops instead of silently skipping every new record below it. Tasks that do not track it omit it.
   */
  lastAppliedOffset?(): number | undefined;
  /**
   * True when the task holds outputs that complete a window — a fired result, or a watermark that passed a window's
   * end — so the runtime commits them at once instead of at the next commit interval: the window path's latency is
   * then the commits' own, not the interval's. Tasks that never ask omit it.
   */
  commitRequested?(): boolean;
}
