import type { Aggregator } from '../aggregate/aggregator.js';
import { invalidOption } from '../errors.js';
import type { StoreSize } from '../state/keyed-store.js';
import type { ChangelogEntry, InputRecord, OutputRecord, PartitionTask } from '../task/partition-task.js';
import type { WindowAssigner } from '../windows/window.js';
import type { Decoder } from './decoder.js';
import { ENGINE_CHANNELS, publish } from './diagnostics.js';
import { checkFunction, checkNonNegativeInteger } from './option-checks.js';
import {
  checkStorePrefix,
  ENGINE_DEFAULTS,
  resolveEventTime,
  resolveOutputs,
  type EventTimeOptions,
  type OutputNames,
} from './options.js';
import { PartitionGate, type GateCounters } from './partition-gate.js';
import { jsonResultEncoder, type ResultEncoder, type WindowedResult } from './window-result.js';
import { WindowSlots } from './window-slots.js';

export interface WindowedAggregationTaskOptions<E, A, R> extends EventTimeOptions {
  /** Decodes and validates a record; failures go to the dead-letter output. */
  decode: Decoder<E>;
  /** Event time of an event (ms since epoch). */
  timestampOf: (event: E) => number;
  /** Aggregation key. Must equal the input partitioning key for a single-stage job. */
  keyOf: (event: E) => string;
  /** Event id for dedup; omit to disable dedup. */
  eventIdOf?: (event: E) => string;
  /** Tumbling or hopping windows (session windows: use SessionWindowTask). */
  window: WindowAssigner;
  aggregator: Aggregator<E, A, R>;
  /** @defaultValue JSON of the WindowedResult, key = aggregation key */
  encodeResult?: ResultEncoder<R>;
  /** Prefix of the state store names (changelog topic suffixes). @defaultValue 'windowed' */
  storePrefix?: string;
  /** @defaultValue 0 (off) */
  earlyUpdateIntervalMs?: number;
  outputs?: OutputNames;
}

/**
 * Single-stage windowed aggregation for jobs whose aggregation key is the input partitioning key: the event-time
 * contract (dead-letter, late, dedup, accept) per input partition, aggregation per (key, window), emission as
 * described in WindowSlots, everything checkpointed through the changelog.
 */
export class WindowedAggregationTask<E, A, R> implements PartitionTask {
  readonly stores: readonly string[];
  readonly #gate: PartitionGate<E>;
  readonly #slots: WindowSlots<A, R>;
  readonly #aggregator: Aggregator<E, A, R>;
  readonly #keyOf: (event: E) => string;
  readonly #encode: ResultEncoder<R>;
  readonly #resultsOutput: string;
  readonly #earlyMs: number;
  readonly #storePrefix: string;
  #lastEarlyMs: number | undefined;
  #outputs: OutputRecord[] = [];

  constructor(options: WindowedAggregationTaskOptions<E, A, R>) {
    checkFunction('decode', options.decode);
    checkFunction('timestampOf', options.timestampOf);
    checkFunction('keyOf', options.keyOf);
    if (options.eventIdOf !== undefined) checkFunction('eventIdOf', options.eventIdOf);
    if (options.window === undefined || typeof options.window.assign !== 'function') {
      throw invalidOption('window', 'must be a WindowAssigner (TumblingWindows or HoppingWindows)');
    }
    if (options.window.kind === 'session') {
      throw invalidOption('window', 'must be tumbling or hopping; use SessionWindowTask for session windows');
    }
    if (options.aggregator === undefined) throw invalidOption('aggregator', 'is required');
    const eventTime = resolveEventTime(options);
    const outputs = resolveOutputs(options.outputs);
    this.#storePrefix = checkStorePrefix(options.storePrefix ?? 'windowed');
    this.#earlyMs = checkNonNegativeInteger(
      'earlyUpdateIntervalMs',
      options.earlyUpdateIntervalMs ?? ENGINE_DEFAULTS.earlyUpdateIntervalMs,
    );
    this.#aggregator = options.aggregator;
    this.#keyOf = options.keyOf;
    this.#encode = options.encodeResult ?? jsonResultEncoder<R>();
    this.#resultsOutput = outputs.results;
    const window = options.window;
    this.#gate = new PartitionGate<E>({
      taskName: this.#storePrefix,
      storePrefix: this.#storePrefix,
      decode: options.decode,
      timestampOf: options.timestampOf,
      eventIdOf: options.eventIdOf,
      windowsOf: (ts) => window.assign(ts),
      eventTime,
      lateOutput: outputs.late,
      deadLetterOutput: outputs.deadLetter,
      emit: (r) => this.#outputs.push(r),
    });
    const agg = options.aggregator;
    this.#slots = new WindowSlots<A, R>({
      storeName: `${this.#storePrefix}-windows`,
      allowedLatenessMs: eventTime.allowedLatenessMs,
      contentCodec: { encode: (a) => agg.serialize(a), decode: (b) => agg.deserialize(b) },
      resultOf: (a) => agg.result(a),
      emit: (r) => this.#emitResult(r),
    });
    this.stores = [...this.#gate.storeNames, this.#slots.storeName];
  }

  process(record: InputRecord): void {
    const admission = this.#gate.admit(record);
    if (admission.kind === 'accepted') {
      const key = this.#keyOf(admission.event);
      const agg = this.#aggregator;
      for (const w of admission.windows) {
        this.#slots.upsert(key, w, (acc) => agg.add(acc ?? agg.create(), admission.event));
      }
    }
    if (admission.kind !== 'skipped') this.#advance();
  }

  tick(nowMs: number): void {
    this.#gate.tick(nowMs);
    this.#advance();
    if (this.#earlyMs > 0) {
      this.#lastEarlyMs ??= nowMs;
      if (nowMs - this.#lastEarlyMs >= this.#earlyMs) {
        this.#lastEarlyMs = nowMs;
        this.#slots.emitEarly();
      }
    }
  }

  drainOutputs(): OutputRecord[] {
    this.#slots.flushUpdates();
    const out = this.#outputs;
    this.#outputs = [];
    return out;
  }

  drainChangelog(): ChangelogEntry[] {
    // Versions bumped by pending updates must be in the same commit as their outputs, whichever drain comes first.
    this.#slots.flushUpdates();
    return [...this.#gate.drainChangelog(), ...this.#slots.drainChangelog()];
  }

  restore(entries: Iterable<ChangelogEntry>): void {
    for (const entry of entries) {
      this.#gate.restoreEntry(entry);
      this.#slots.restoreEntry(entry);
    }
    // Restoring is not a change: drop the dirty marks so the next drain only carries new changes.
    this.#gate.drainChangelog();
    this.#slots.drainChangelog();
    this.#advance();
  }

  /** Decision counters of this task instance. */
  get counters(): Readonly<GateCounters> {
    return this.#gate.counters;
  }

  /** Data watermark (maxTs - B) and emission watermark. */
  get watermarks(): { data: number; emit: number } {
    return { data: this.#gate.dataWatermark, emit: this.#gate.emitWatermark };
  }

  /** State size per store. */
  get stateSize(): Record<string, StoreSize> {
    const sizes: Record<string, StoreSize> = { [this.#slots.storeName]: this.#slots.size };
    const dedup = this.#gate.dedupSize;
    if (dedup !== undefined) sizes[`${this.#storePrefix}-dedup`] = dedup;
    return sizes;
  }

  #advance(): void {
    this.#slots.advance(this.#gate.emitWatermark);
    this.#slots.purge(this.#gate.dataWatermark);
  }

  #emitResult(r: WindowedResult<R>): void {
    const encoded = this.#encode(r);
    this.#outputs.push({
      output: this.#resultsOutput,
      key: encoded.key,
      value: encoded.value,
      headers: encoded.headers ?? {},
      destination: { kind: 'by-key' },
      timestamp: r.windowEnd - 1,
    });
    publish(ENGINE_CHANNELS.windowFired, () => ({
      task: this.#storePrefix,
      key: r.key,
      windowStart: r.windowStart,
      windowEnd: r.windowEnd,
      isFinal: r.isFinal,
      version: r.version,
    }));
  }
}
