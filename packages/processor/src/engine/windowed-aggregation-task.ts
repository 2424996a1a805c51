import type { Aggregator } from '../aggregate/aggregator.js';
import type { StoreSize } from '../state/keyed-store.js';
import type { ChangelogEntry, InputRecord, OutputRecord, PartitionTask } from '../task/partition-task.js';
import type { WindowAssigner } from '../windows/window.js';
import { checkNonNegativeInteger } from './option-checks.js';
import { checkStorePrefix, ENGINE_DEFAULTS, resolveEventTime, resolveOutputs } from './options.js';
import type { GateCounters } from './partition-gate.js';
import { SingleStageAggregation, type SingleStageOptions } from './single-stage-aggregation.js';
import { checkAggregator, checkEventFunctions, checkFixedWindows } from './task-options.js';

export interface WindowedAggregationTaskOptions<E, A, R> extends SingleStageOptions<E, A, R> {
  /** Aggregation key. Must equal the input partitioning key for a single-stage job. */
  keyOf: (event: E) => string;
  /** Tumbling or hopping windows (session windows: use SessionWindowTask). */
  window: WindowAssigner;
  /** Prefix of the state store names (changelog topic suffixes). @defaultValue 'windowed' */
  storePrefix?: string;
  /** @defaultValue 0 (off) */
  earlyUpdateIntervalMs?: number;
}

/**
 * Single-stage windowed aggregation for jobs whose aggregation key is the input partitioning key: the event-time
 * contract (dead-letter, late, dedup, accept) per input partition, aggregation per (key, window), emission as
 * described in WindowSlots, everything checkpointed through the changelog.
 */
export class WindowedAggregationTask<E, A, R> implements PartitionTask {
  readonly stores: readonly string[];
  readonly #stage: SingleStageAggregation<E, A, R>;
  readonly #aggregator: Aggregator<E, A, R>;
  readonly #keyOf: (event: E) => string;
  readonly #earlyMs: number;
  readonly #storePrefix: string;
  #lastEarlyMs: number | undefined;

  constructor(options: WindowedAggregationTaskOptions<E, A, R>) {
    checkEventFunctions(options);
    const window = checkFixedWindows(options.window, '; use SessionWindowTask for session windows');
    this.#aggregator = checkAggregator(options.aggregator);
    const eventTime = resolveEventTime(options);
    const outputs = resolveOutputs(options.outputs);
    this.#storePrefix = checkStorePrefix(options.storePrefix ?? 'windowed');
    this.#earlyMs = checkNonNegativeInteger(
      'earlyUpdateIntervalMs',
      options.earlyUpdateIntervalMs ?? ENGINE_DEFAULTS.earlyUpdateIntervalMs,
    );
    this.#keyOf = options.keyOf;
    this.#stage = new SingleStageAggregation<E, A, R>(options, {
      storePrefix: this.#storePrefix,
      eventTime,
      outputs,
      windowsOf: (ts) => window.assign(ts),
    });
    this.stores = this.#stage.storeNames;
  }

  process(record: InputRecord): void {
    const admission = this.#stage.gate.admit(record);
    if (admission.kind === 'accepted') {
      const key = this.#keyOf(admission.event);
      const agg = this.#aggregator;
      for (const w of admission.windows) {
        this.#stage.slots.upsert(key, w, (acc) => agg.add(acc ?? agg.create(), admission.event));
      }
    }
    if (admission.kind !== 'skipped') this.#advance();
  }

  tick(nowMs: number): void {
    this.#stage.gate.tick(nowMs);
    this.#advance();
    if (this.#earlyMs > 0) {
      this.#lastEarlyMs ??= nowMs;
      if (nowMs - this.#lastEarlyMs >= this.#earlyMs) {
        this.#lastEarlyMs = nowMs;
        this.#stage.slots.emitEarly();
      }
    }
  }

  drainOutputs(): OutputRecord[] {
    return this.#stage.drainOutputs();
  }

  drainChangelog(): ChangelogEntry[] {
    return this.#stage.drainChangelog();
  }

  restore(entries: Iterable<ChangelogEntry>): void {
    this.#stage.restore(entries);
    this.#advance();
  }

  /** Decision counters of this task instance. */
  get counters(): Readonly<GateCounters> {
    return this.#stage.gate.counters;
  }

  /** Data watermark (maxTs - B) and emission watermark. */
  get watermarks(): { data: number; emit: number } {
    return this.#stage.watermarks;
  }

  /** State size per store. */
  get stateSize(): Record<string, StoreSize> {
    const slots = this.#stage.slots;
    const sizes: Record<string, StoreSize> = { [slots.storeName]: slots.size };
    const dedup = this.#stage.gate.dedupSize;
    if (dedup !== undefined) sizes[`${this.#storePrefix}-dedup`] = dedup;
    return sizes;
  }

  #advance(): void {
    this.#stage.slots.advance(this.#stage.gate.emitWatermark);
    this.#stage.slots.purge(this.#stage.gate.dataWatermark);
  }
}
