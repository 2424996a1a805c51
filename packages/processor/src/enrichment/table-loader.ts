import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import { RUNTIME_CHANNELS, publish } from '../runtime/diagnostics.js';
import type { TableRecord } from './enrichment-table.js';

/** One record of a reference-data topic partition. */
export interface TableSourceRecord extends TableRecord {
  /** Kafka offset. */
  readonly offset: number;
}

/**
 * Records of one partition, in offset order. `lastOffset` is the last offset the batch covers — transaction markers
 * and aborted records occupy offsets but are never delivered, so a batch may carry no records at all.
 */
export interface TableSourceBatch {
  readonly partition: number;
  readonly lastOffset: number;
  readonly records: readonly TableSourceRecord[];
}

/** Where each partition's initial load starts and ends (`end` = next offset after the last stable record). */
export interface PartitionRange {
  readonly start: number;
  readonly end: number;
}

/** The reads a TableLoader needs (Kafka: `CompactedTopicSource`; tests: an in-memory fake). */
export interface TableSource {
  /** The range of every partition at load time. */
  ranges(): Promise<ReadonlyMap<number, PartitionRange>>;
  /** Delivers every partition from its beginning, in offset order per partition, and keeps following it. */
  start(onBatch: (batch: TableSourceBatch) => void, onError: (error: unknown) => void): Promise<void>;
  stop(): Promise<void>;
}

/** Anything fed by table records (`EnrichmentTable` is). */
export interface TableSink {
  apply(record: TableRecord): boolean;
}

export interface TableLoaderOptions {
  /** Name used in errors and diagnostics (e.g. the topic). */
  readonly name: string;
  readonly source: TableSource;
  readonly table: TableSink;
  /** The initial load fails after this long. @defaultValue 300000 */
  readonly timeoutMs?: number;
  /** Called when the source fails after the initial load (the table stops being updated). */
  readonly onError?: (error: Error) => void;
  readonly now?: () => number;
}

export const TABLE_LOADER_DEFAULTS = {
  /** @defaultValue 300 000 — time allowed for the initial load. */
  timeoutMs: 300_000,
} as const;

/** What a loader has done. */
export interface TableLoaderStats {
  loaded: boolean;
  /** Records applied by the initial load. */
  loadedRecords: number;
  loadMs: number;
  /** Records applied after the initial load (live updates). */
  updates: number;
  /** Records at or below a partition's position, ignored (a re-delivered fetch). */
  skipped: number;
}

/**
 * Keeps a table equal to a compacted topic, like Kafka Streams' GlobalKTable: `start()` reads every partition
 * from its beginning to the end offsets taken at start (read_committed), applying records in offset order, and
 * resolves once all are reached; the same source keeps delivering later records, applied as they arrive. Records
 * below a partition's position are ignored, so a re-delivered batch never applies an older value over a newer one.
 */
export class TableLoader {
  readonly stats: TableLoaderStats = { loaded: false, loadedRecords: 0, loadMs: 0, updates: 0, skipped: 0 };
  readonly #o: TableLoaderOptions;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  /** Next offset to apply, per partition. */
  readonly #positions = new Map<number, number>();
  /** Partitions still short of their end offset during the initial load. */
  readonly #pending = new Map<number, number>();
  #settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #stopped = false;

  constructor(options: TableLoaderOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    const timeoutMs = options.timeoutMs ?? TABLE_LOADER_DEFAULTS.timeoutMs;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
      throw new ProcessorError(
        PROCESSOR_ERROR_CODES.INVALID_OPTION,
        `timeoutMs must be a positive integer (got ${String(timeoutMs)})`,
        { option: 'timeoutMs' },
      );
    }
    this.#timeoutMs = timeoutMs;
  }

  /** Next offset to apply per partition. */
  get positions(): ReadonlyMap<number, number> {
    return this.#positions;
  }

  /** Loads the table to the end offsets; resolves when loaded, rejects with `TRIB_PROC_TABLE_LOAD_FAILED`. */
  async start(): Promise<void> {
    const started = this.#now();
    const o = this.#o;
    try {
      const ranges = await o.source.ranges();
      for (const [partition, range] of ranges) {
        this.#positions.set(partition, range.start);
        if (range.end > range.start) this.#pending.set(partition, range.end);
      }
      const loaded = new Promise<void>((resolve, reject) => (this.#settle = { resolve, reject }));
      loaded.catch(() => undefined); // awaited below; a timeout during source.start() is not unhandled
      const timer = setTimeout(
        () => this.#settle?.reject(new Error(`did not reach the end offsets within ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
      try {
        await o.source.start(
          (batch) => this.#onBatch(batch),
          (error) => this.#onError(error),
        );
        if (this.#pending.size === 0) this.#settle?.resolve();
        await loaded;
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      await o.source.stop().catch(() => undefined);
      throw new ProcessorError(
        PROCESSOR_ERROR_CODES.TABLE_LOAD_FAILED,
        `loading table ${o.name} failed: ${(error as Error)?.message ?? String(error)}`,
        { retriable: true, cause: error },
      );
    }
    this.#settle = undefined;
    this.stats.loaded = true;
    this.stats.loadMs = this.#now() - started;
    publish(RUNTIME_CHANNELS.tableLoaded, () => ({
      table: o.name,
      records: this.stats.loadedRecords,
      durationMs: this.stats.loadMs,
    }));
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#settle?.reject(new Error('stopped'));
    await this.#o.source.stop();
  }

  #onBatch(batch: TableSourceBatch): void {
    const { partition } = batch;
    let position = this.#positions.get(partition) ?? 0;
    for (const record of batch.records) {
      const offset = record.offset;
      if (offset < position) {
        this.stats.skipped++;
        continue;
      }
      this.#o.table.apply(record);
      position = offset + 1;
      if (this.stats.loaded) this.stats.updates++;
      else this.stats.loadedRecords++;
    }
    const after = batch.lastOffset + 1;
    if (after > position) position = after;
    this.#positions.set(partition, position);
    const end = this.#pending.get(partition);
    if (end !== undefined && position >= end) {
      this.#pending.delete(partition);
      if (this.#pending.size === 0) this.#settle?.resolve();
    }
  }

  #onError(error: unknown): void {
    const wrapped = new ProcessorError(
      PROCESSOR_ERROR_CODES.TABLE_LOAD_FAILED,
      `reading table ${this.#o.name} failed: ${(error as Error)?.message ?? String(error)}`,
      { retriable: true, cause: error },
    );
    if (this.#settle !== undefined) this.#settle.reject(wrapped);
    else if (!this.#stopped) this.#o.onError?.(wrapped);
  }
}
