import { option, z, type OptionInput } from '@tributary/options';
import type { StoreSize } from '../state/keyed-store.js';
import type { ChangelogEntry, InputRecord, OutputRecord, PartitionTask } from '../task/partition-task.js';
import type { TimeWindow } from '../windows/window.js';
import { drainChangelogs, restoreChangelogs } from './changelog-stores.js';
import { nonNegativeInt, positiveInt, processorOptions } from '../config/option-schemas.js';
import { storePrefix } from './options.js';
import type { GateCounters, PartitionGate } from './partition-gate.js';
import { encodeJoinRecord, JOIN_SIDES, type JoinSide } from './join-record-format.js';
import {
  createEventGate,
  EVENT_FUNCTION_SPECS,
  EVENT_TASK_OPTION_SPECS,
  type EventTaskOptions,
} from './task-options.js';

/** The side task's own plain options. */
const JOIN_SIDE_TASK_OPTION_SPECS = {
  /** Which side of the join this source is. */
  side: option(z.enum(JOIN_SIDES), 'the side of the join'),
  /** The input partition this task serves (sent as `upstreamPartition`). */
  inputPartition: option(nonNegativeInt, 'the input partition'),
  /** Partitions of the input topic (sent with every record: the join waits for that many watermarks). */
  partitionCount: option(positiveInt, 'partitions of the input topic'),
  /** @defaultValue 'join-side' */
  storePrefix: storePrefix('join-side'),
};

const { aggregator: _aggregator, ...EVENT_FUNCTIONS } = EVENT_FUNCTION_SPECS;

const JOIN_SIDE_TASK_OPTIONS = processorOptions(
  'JoinSideTask',
  { ...EVENT_TASK_OPTION_SPECS, ...EVENT_FUNCTIONS, ...JOIN_SIDE_TASK_OPTION_SPECS },
  (o, fail) => {
    if (o.inputPartition >= o.partitionCount)
      fail('inputPartition', `must be below partitionCount (${o.partitionCount})`);
  },
);

export interface JoinSideTaskOptions<E>
  extends EventTaskOptions<E>, OptionInput<typeof JOIN_SIDE_TASK_OPTION_SPECS> {
  side: JoinSide;
  inputPartition: number;
  partitionCount: number;
  /** The join key of an event (records of both sides with the same key are joined). */
  keyOf: (event: E) => string;
}

/**
 * Stage 1 of an interval join, one per partition of one side's source topic. It applies the event-time contract to
 * that partition in offset order — undecodable records to the dead-letter output, duplicates dropped, and late
 * records to the late output, an event being late when `ts + 1 + L <= watermark` (its own 1 ms window, so a
 * non-late event has `ts >= watermark - L`) — and sends every accepted event, with its source record, on the
 * 'repartition' output keyed by the join key. At every drain where it changed (and at the first), the partition's
 * data watermark `maxTs - B` follows, broadcast: records of this partition written after a watermark record are never
 * older than it minus L, which is what lets the join drop buffered records of the other side.
 */
export class JoinSideTask<E> implements PartitionTask {
  readonly stores: readonly string[];
  readonly side: JoinSide;
  readonly inputPartition: number;
  readonly #partitionCount: number;
  readonly #gate: PartitionGate<E>;
  readonly #keyOf: (event: E) => string;
  readonly #repartitionOutput: string;
  #outputs: OutputRecord[] = [];
  /** The last watermark sent (undefined: none yet in this incarnation). */
  #lastSent: number | undefined;

  constructor(options: JoinSideTaskOptions<E>) {
    const o = JOIN_SIDE_TASK_OPTIONS.resolve(options);
    this.side = o.side;
    this.inputPartition = o.inputPartition;
    this.#partitionCount = o.partitionCount;
    this.#keyOf = options.keyOf;
    this.#repartitionOutput = o.outputs.repartition;
    const window: TimeWindow[] = [{ start: 0, end: 0 }];
    this.#gate = createEventGate(options, {
      storePrefix: o.storePrefix,
      // Lateness and the watermark are decided from the data alone: the join never follows the wall clock.
      eventTime: { ...o, wallClockAdvance: false },
      outputs: o.outputs,
      maxDedupEntries: o.maxDedupEntries,
      windowsOf: (ts) => {
        window[0] = { start: ts, end: ts + 1 };
        return window;
      },
      emit: (r) => this.#outputs.push(r),
    });
    this.stores = this.#gate.storeNames;
  }

  process(record: InputRecord): void {
    const admission = this.#gate.admit(record);
    if (admission.kind !== 'accepted') return;
    const joinKey = this.#keyOf(admission.event);
    this.#outputs.push({
      output: this.#repartitionOutput,
      key: Buffer.from(joinKey, 'utf8'),
      value: encodeJoinRecord({
        type: 'event',
        side: this.side,
        upstreamPartition: this.inputPartition,
        partitionCount: this.#partitionCount,
        joinKey,
        eventTime: admission.timestamp,
        source: record,
      }),
      headers: {},
      destination: { kind: 'by-key' },
      eventTime: admission.timestamp,
    });
  }

  tick(nowMs: number): void {
    this.#gate.tick(nowMs);
  }

  drainOutputs(): OutputRecord[] {
    const out = this.#outputs;
    this.#outputs = [];
    const watermark = this.#gate.dataWatermark;
    if (this.#lastSent !== watermark) {
      this.#lastSent = watermark;
      out.push({
        output: this.#repartitionOutput,
        key: null,
        value: encodeJoinRecord({
          type: 'watermark',
          side: this.side,
          upstreamPartition: this.inputPartition,
          partitionCount: this.#partitionCount,
          watermark,
        }),
        headers: {},
        destination: { kind: 'broadcast' },
      });
    }
    return out;
  }

  drainChangelog(): ChangelogEntry[] {
    return drainChangelogs([this.#gate]);
  }

  restore(entries: Iterable<ChangelogEntry>): void {
    restoreChangelogs(entries, [this.#gate]);
  }

  lastAppliedOffset(): number | undefined {
    return this.#gate.lastOffset;
  }

  get counters(): Readonly<GateCounters> {
    return this.#gate.counters;
  }

  /** The data watermark `maxTs - B` of this partition. */
  get watermark(): number {
    return this.#gate.dataWatermark;
  }

  get stateSize(): Record<string, StoreSize> {
    const dedup = this.#gate.dedupStore;
    return dedup === undefined ? {} : { [dedup.name]: dedup.size };
  }
}
