import type { Aggregator } from '../aggregate/aggregator.js';
import { invalidOption } from '../errors.js';
import type { OutputRecord } from '../task/partition-task.js';
import type { TimeWindow, WindowAssigner } from '../windows/window.js';
import type { Decoder } from './decoder.js';
import { checkFunction, checkPositiveInteger } from './option-checks.js';
import {
  ENGINE_DEFAULTS,
  type EventTimeOptions,
  type OutputNames,
  type ResolvedEventTime,
  type ResolvedOutputNames,
} from './options.js';
import { PartitionGate } from './partition-gate.js';
import type { StateLimitCheck } from './state-limits.js';

/** How a task that reads events from its input partition sees them (every task but the merge stage). */
export interface EventTaskOptions<E> extends EventTimeOptions {
  /** Decodes and validates a record; failures go to the dead-letter output. */
  decode: Decoder<E>;
  /** Event time of an event (ms since epoch). */
  timestampOf: (event: E) => number;
  /** The aggregation key of an event. */
  keyOf: (event: E) => string;
  /** Event id for dedup; omit to disable dedup. */
  eventIdOf?: (event: E) => string;
  /**
   * Most event ids the dedup store of the input partition remembers at once. Beyond it the oldest event-time
   * buckets of ids are forgotten (counted in `counters.dedupEvictions` and
   * `tributary_processor_dedup_evictions_total`), and a duplicate of a forgotten id is accepted — counted twice.
   * @defaultValue 2000000 (ENGINE_DEFAULTS.maxDedupEntries)
   */
  maxDedupEntries?: number;
  outputs?: OutputNames;
}

/** Checks the event functions of a task's options (decode, timestampOf, keyOf, and eventIdOf when given). */
export function checkEventFunctions<E>(options: EventTaskOptions<E>): void {
  checkFunction('decode', options.decode);
  checkFunction('timestampOf', options.timestampOf);
  checkFunction('keyOf', options.keyOf);
  if (options.eventIdOf !== undefined) checkFunction('eventIdOf', options.eventIdOf);
}

/** Checks that `window` is a tumbling or hopping assigner; `sessionHint` completes the message for session ones. */
export function checkFixedWindows(window: WindowAssigner | undefined, sessionHint = ''): WindowAssigner {
  if (window === undefined || typeof window.assign !== 'function') {
    throw invalidOption('window', 'must be a WindowAssigner (TumblingWindows or HoppingWindows)');
  }
  if (window.kind === 'session') throw invalidOption('window', `must be tumbling or hopping${sessionHint}`);
  return window;
}

export function checkAggregator<E, A, R>(aggregator: Aggregator<E, A, R> | undefined): Aggregator<E, A, R> {
  if (aggregator === undefined) throw invalidOption('aggregator', 'is required');
  return aggregator;
}

/** What a task decides, beyond its options, about the gate of its input partition. */
export interface EventGateSetup<E> {
  storePrefix: string;
  eventTime: ResolvedEventTime;
  outputs: ResolvedOutputNames;
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
    maxDedupEntries: checkPositiveInteger(
      'maxDedupEntries',
      options.maxDedupEntries ?? ENGINE_DEFAULTS.maxDedupEntries,
    ),
    limit: setup.limit,
    windowsOf: setup.windowsOf,
    eventTime: setup.eventTime,
    lateOutput: setup.outputs.late,
    deadLetterOutput: setup.outputs.deadLetter,
    emit: setup.emit,
  });
}
