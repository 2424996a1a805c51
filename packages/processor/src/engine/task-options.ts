import { option, z, type OptionInput } from '@tributary/options';
import { fn, positiveInt } from '../config/option-schemas.js';
import type { OutputRecord } from '../task/partition-task.js';
import type { TimeWindow, WindowAssigner } from '../windows/window.js';
import type { Decoder } from './decoder.js';
import {
  ENGINE_DEFAULTS,
  EVENT_TIME_OPTION_SPECS,
  OUTPUT_NAMES,
  type ResolvedEventTime,
  type ResolvedOutputNames,
} from './options.js';
import { PartitionGate } from './partition-gate.js';
import type { StateLimitCheck } from './state-limits.js';

/** The plain options of every task that reads events from its input partition (every task but the merge stage). */
export const EVENT_TASK_OPTION_SPECS = {
  ...EVENT_TIME_OPTION_SPECS,
  /**
   * Most event ids the dedup store of the input partition remembers at once. Beyond it the oldest event-time
   * buckets of ids are forgotten (counted in `counters.dedupEvictions` and
   * `tributary_processor_dedup_evictions_total`), and a duplicate of a forgotten id is accepted — counted twice.
   * @defaultValue 2000000 (ENGINE_DEFAULTS.maxDedupEntries)
   */
  maxDedupEntries: option(positiveInt.default(ENGINE_DEFAULTS.maxDedupEntries), 'remembered event ids'),
  outputs: OUTPUT_NAMES,
};

/** The functions of a task reading events, checked as such (their types, in the task's event type, are below). */
export const EVENT_FUNCTION_SPECS = {
  decode: option(fn<Decoder<unknown>>(), 'decodes and validates a record'),
  timestampOf: option(fn<(event: never) => number>(), 'event time of an event'),
  keyOf: option(fn<(event: never) => string>(), 'aggregation key of an event'),
  eventIdOf: option(fn<(event: never) => string>().optional(), 'event id for dedup'),
  aggregator: option(
    z.custom<object>((a) => typeof a === 'object' && a !== null, 'must be an Aggregator'),
    'the aggregator',
  ),
};

/** How a task that reads events from its input partition sees them (every task but the merge stage). */
export interface EventTaskOptions<E> extends OptionInput<typeof EVENT_TASK_OPTION_SPECS> {
  /** Decodes and validates a record; failures go to the dead-letter output. */
  decode: Decoder<E>;
  /** Event time of an event (ms since epoch). */
  timestampOf: (event: E) => number;
  /** The aggregation key of an event. */
  keyOf: (event: E) => string;
  /** Event id for dedup; omit to disable dedup. */
  eventIdOf?: (event: E) => string;
}

/** `window` of a task: a tumbling or hopping assigner; `sessionHint` completes the message for session ones. */
export function fixedWindows(sessionHint = '') {
  return option(
    z
      .custom<WindowAssigner>(
        (w) => typeof (w as WindowAssigner | undefined)?.assign === 'function',
        'must be a WindowAssigner (TumblingWindows or HoppingWindows)',
      )
      .refine((w) => w.kind !== 'session', `must be tumbling or hopping${sessionHint}`),
    'tumbling or hopping windows',
  );
}

/** What a task decides, beyond its options, about the gate of its input partition. */
export interface EventGateSetup<E> {
  storePrefix: string;
  eventTime: ResolvedEventTime;
  outputs: ResolvedOutputNames;
  maxDedupEntries: number;
  windowsOf: (timestampMs: number) => TimeWindow[];
  emit: (record: OutputRecord) => void;
  /** The task's state caps (keys per window, open sessions), checked before an event is counted. */
  limit?: StateLimitCheck<E>;
}

/** The PartitionGate (event-time contract, progress and dedup stores) of a task reading events. */
export function createEventGate<E>(options: EventTaskOptions<E>, setup: EventGateSetup<E>): PartitionGate<E> {
  return new PartitionGate<E>({
    taskName: setup.storePrefix,
    storePrefix: setup.storePrefix,
    decode: options.decode,
    timestampOf: options.timestampOf,
    eventIdOf: options.eventIdOf,
    maxDedupEntries: setup.maxDedupEntries,
    limit: setup.limit,
    windowsOf: setup.windowsOf,
    eventTime: setup.eventTime,
    lateOutput: setup.outputs.late,
    deadLetterOutput: setup.outputs.deadLetter,
    emit: setup.emit,
  });
}
