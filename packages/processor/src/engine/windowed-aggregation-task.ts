import { option, type OptionInput } from '@tributary/options';
import type { Aggregator } from '../aggregate/aggregator.js';
import type { StoreSize } from '../state/keyed-store.js';
import type { ChangelogEntry, InputRecord, OutputRecord, PartitionTask } from '../task/partition-task.js';
import type { TimeWindow, WindowAssigner } from '../windows/window.js';
import { nonNegativeInt, positiveInt, processorOptions } from '../config/option-schemas.js';
import { ENGINE_DEFAULTS, ON_TIME_RESULTS, storePrefix } from './options.js';
import type { GateCounters } from './partition-gate.js';
import {
  SingleStageAggregation,
  SINGLE_STAGE_FUNCTION_SPECS,
  type SingleStageOptions,
} from './single-stage-aggregation.js';
import { windowKeyLimitHit, type StateLimitHit } from './state-limits.js';
import { EVENT_TASK_OPTION_SPECS, fixedWindows } from './task-options.js';

/** The windowed task's own plain options. */
const WINDOWED_TASK_OPTION_SPECS = {
  /** Prefix of the state store names (changelog topic suffixes). @defaultValue 'windowed' */
  storePrefix: storePrefix('windowed'),
  /** @defaultValue 0 (off) */
  earlyUpdateIntervalMs: option(
    nonNegativeInt.default(ENGINE_DEFAULTS.earlyUpdateIntervalMs),
    'early updates of open windows every N ms',
  ),
  /**
   * Most distinct keys one window holds from this input partition. An accepted event whose key is new to one of its
   * windows while that window already holds this many keys is dead-lettered (`TRIB_PROC_WINDOW_KEY_LIMIT`) instead
   * of counted; keys the window already holds keep counting. @defaultValue 100000 (ENGINE_DEFAULTS.maxKeysPerWindow)
   */
  maxKeysPerWindow: option(positiveInt.default(ENGINE_DEFAULTS.maxKeysPerWindow), 'keys per window'),
  /**
   * With allowed lateness: emit a window at its end (`isFinal: false`) and again for late events before the final
   * result; `false` emits it once, when it closes. @defaultValue true
   */
  onTimeResults: ON_TIME_RESULTS,
};

const WINDOWED_TASK_OPTIONS = processorOptions('WindowedAggregationTask', {
  ...EVENT_TASK_OPTION_SPECS,
  ...SINGLE_STAGE_FUNCTION_SPECS,
  ...WINDOWED_TASK_OPTION_SPECS,
  window: fixedWindows('; use SessionWindowTask for session windows'),
});

export interface WindowedAggregationTaskOptions<E, A, R>
  extends SingleStageOptions<E, A, R>, OptionInput<typeof WINDOWED_TASK_OPTION_SPECS> {
  /** Aggregation key. Must equal the input partitioning key for a single-stage job. */
  keyOf: (event: E) => string;
  /** Tumbling or hopping windows (session windows: use SessionWindowTask). */
  window: WindowAssigner;
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
  readonly #maxKeysPerWindow: number;
  /**
   * Keys held per window, by window start (one assigner per task, so a start names one window): counted as slots
   * are created and purged, recounted from the slots on restore.
   */
  readonly #keysPerWindow = new Map<number, number>();
  /** The key of the event being admitted (computed once by the key-limit check). */
  #lastEarlyMs: number | undefined;

  constructor(options: WindowedAggregationTaskOptions<E, A, R>) {
    const o = WINDOWED_TASK_OPTIONS.resolve(options);
    this.#aggregator = options.aggregator;
    this.#storePrefix = o.storePrefix;
    this.#earlyMs = o.earlyUpdateIntervalMs;
    this.#maxKeysPerWindow = o.maxKeysPerWindow;
    this.#keyOf = options.keyOf;
    this.#stage = new SingleStageAggregation<E, A, R>(options, {
      storePrefix: this.#storePrefix,
      eventTime: o,
      outputs: o.outputs,
      maxDedupEntries: o.maxDedupEntries,
      onTimeResults: o.onTimeResults,
      windowsOf: (ts) => o.window.assign(ts),
      limit: (event, windows, record) => this.#checkKeys(event, windows, record.partition),
    });
    this.stores = this.#stage.storeNames;
  }

  process(record: InputRecord): void {
    const admission = this.#stage.gate.admit(record);
    if (admission.kind === 'accepted') {
      const key = this.#keyOf(admission.event);
      const agg = this.#aggregator;
      for (const w of admission.windows) {
        if (this.#stage.slots.upsert(key, w, (acc) => agg.add(acc ?? agg.create(), admission.event)))
          this.#keysPerWindow.set(w.start, (this.#keysPerWindow.get(w.start) ?? 0) + 1);
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

  commitRequested(): boolean {
    return this.#stage.fired;
  }

  drainChangelog(): ChangelogEntry[] {
    return this.#stage.drainChangelog();
  }

  restore(entries: Iterable<ChangelogEntry>): void {
    this.#stage.restore(entries);
    this.#keysPerWindow.clear();
    for (const { window } of this.#stage.slots.windows())
      this.#keysPerWindow.set(window.start, (this.#keysPerWindow.get(window.start) ?? 0) + 1);
    this.#advance();
  }

  lastAppliedOffset(): number | undefined {
    return this.#stage.gate.lastOffset;
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
    for (const { window } of this.#stage.slots.purge(this.#stage.gate.dataWatermark)) {
      const keys = (this.#keysPerWindow.get(window.start) ?? 0) - 1;
      if (keys > 0) this.#keysPerWindow.set(window.start, keys);
      else this.#keysPerWindow.delete(window.start);
    }
  }

  /**
   * The `maxKeysPerWindow` check of an event that passed lateness and dedup: refused when its key is new to one of
   * its windows and that window already holds the maximum. A window's slots are purged only once it closed, and a
   * restore recounts them from the restored slots, so the verdict depends on the partition's log alone.
   */
  #checkKeys(event: E, windows: readonly TimeWindow[], partition: number): StateLimitHit | undefined {
    const key = this.#keyOf(event);
    for (const w of windows) {
      const keys = this.#keysPerWindow.get(w.start) ?? 0;
      if (keys < this.#maxKeysPerWindow || this.#stage.slots.has(key, w)) continue;
      return windowKeyLimitHit(w, partition, keys);
    }
    return undefined;
  }
}
