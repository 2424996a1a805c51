import { option } from '@tributary/options';
import { fn } from '../config/option-schemas.js';
import type { Aggregator } from '../aggregate/aggregator.js';
import type { ChangelogEntry, OutputRecord } from '../task/partition-task.js';
import { drainChangelogs, restoreChangelogs } from './changelog-stores.js';
import type { PartitionGate } from './partition-gate.js';
import { resultOutput } from './result-output.js';
import {
  createEventGate,
  EVENT_FUNCTION_SPECS,
  type EventGateSetup,
  type EventTaskOptions,
} from './task-options.js';
import { jsonResultEncoder, type ResultEncoder, type ResultFilter } from './window-result.js';
import { WindowSlots } from './window-slots.js';

/** The functions of a single-stage task, checked as such: those of a task reading events, and `encodeResult`. */
export const SINGLE_STAGE_FUNCTION_SPECS = {
  ...EVENT_FUNCTION_SPECS,
  encodeResult: option(fn<ResultEncoder<never>>().optional(), 'encodes a result'),
  keepResult: option(fn<ResultFilter<never>>().optional(), 'decides which results are written'),
};

/** The options a single-stage task shares: its events, its aggregator and how results are encoded. */
export interface SingleStageOptions<E, A, R> extends EventTaskOptions<E> {
  aggregator: Aggregator<E, A, R>;
  /** @defaultValue JSON of the WindowedResult, key = aggregation key */
  encodeResult?: ResultEncoder<R>;
  /** Results it rejects are not written (their window's state and version move on). @defaultValue every result */
  keepResult?: ResultFilter<R>;
}

/**
 * The machinery of a single-stage aggregation (input partitioned by the aggregation key): the PartitionGate of the
 * input partition, the WindowSlots of the aggregator's accumulators per (key, window), the results output, and their
 * changelog. The task decides which windows an accepted event updates and when state is purged.
 */
export class SingleStageAggregation<E, A, R> {
  readonly gate: PartitionGate<E>;
  readonly slots: WindowSlots<A, R>;
  #outputs: OutputRecord[] = [];
  /** A result was emitted since the last drain. */
  #fired = false;

  constructor(
    options: SingleStageOptions<E, A, R>,
    setup: Omit<EventGateSetup<E>, 'emit'> & { onTimeResults: boolean },
  ) {
    const emit = (record: OutputRecord): void => {
      this.#outputs.push(record);
    };
    this.gate = createEventGate(options, { ...setup, emit });
    const agg = options.aggregator;
    this.slots = new WindowSlots<A, R>({
      storeName: `${setup.storePrefix}-windows`,
      allowedLatenessMs: setup.eventTime.allowedLatenessMs,
      onTimeResults: setup.onTimeResults,
      contentCodec: { encode: (a) => agg.serialize(a), decode: (b) => agg.deserialize(b) },
      resultOf: (a) => agg.result(a),
      emit: resultOutput({
        task: setup.storePrefix,
        output: setup.outputs.results,
        encode: options.encodeResult ?? jsonResultEncoder<R>(),
        keep: options.keepResult,
        emit: (record) => {
          this.#fired = true;
          emit(record);
        },
      }),
    });
  }

  get storeNames(): string[] {
    return [...this.gate.storeNames, this.slots.storeName];
  }

  /** Data watermark (maxTs - B) and emission watermark (also read by the runtime's watermark gauge). */
  get watermarks(): { data: number; emit: number } {
    return { data: this.gate.dataWatermark, emit: this.gate.emitWatermark };
  }

  drainOutputs(): OutputRecord[] {
    this.slots.flushUpdates();
    const out = this.#outputs;
    this.#outputs = [];
    this.#fired = false;
    return out;
  }

  /** A window fired since the last drain: its result should be committed now. */
  get fired(): boolean {
    return this.#fired;
  }

  drainChangelog(): ChangelogEntry[] {
    // Versions bumped by pending updates must be in the same commit as their outputs, whichever drain comes first.
    this.slots.flushUpdates();
    return drainChangelogs([this.gate, this.slots]);
  }

  restore(entries: Iterable<ChangelogEntry>): void {
    restoreChangelogs(entries, [this.gate, this.slots]);
  }
}
