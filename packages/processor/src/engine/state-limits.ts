import { PROCESSOR_ERROR_CODES } from '../errors.js';
import type { InputRecord } from '../task/partition-task.js';
import type { TimeWindow } from '../windows/window.js';

/**
 * Dead-letter codes of events refused because the state of their input partition is at a cap. The event itself is
 * valid, on time and not a duplicate (its id is remembered by dedup like any accepted event's); only counting it
 * would grow state beyond the cap. Deterministic: decided per input partition in offset order from the state the
 * partition's own log built, which a restore from the changelog rebuilds exactly.
 */
export const STATE_LIMIT_CODES = {
  /** A new (key, window) in a window that already holds `maxKeysPerWindow` keys of this partition. */
  windowKeyLimit: PROCESSOR_ERROR_CODES.WINDOW_KEY_LIMIT,
  /** A new session in a partition that already holds `maxOpenSessions` open sessions. */
  sessionLimit: PROCESSOR_ERROR_CODES.SESSION_LIMIT,
  /** An event an interval join would buffer while it already buffers `maxBufferedRecords`. */
  joinBufferLimit: PROCESSOR_ERROR_CODES.JOIN_BUFFER_LIMIT,
} as const;
export type StateLimitCode = (typeof STATE_LIMIT_CODES)[keyof typeof STATE_LIMIT_CODES];

/** Why an accepted event is refused at a cap: the dead letter's code and reason. */
export interface StateLimitHit {
  readonly code: StateLimitCode;
  readonly reason: string;
}

/**
 * A task's check of an event that passed lateness and dedup, before it is counted: a hit dead-letters the event
 * instead. `record` is the event's input record (for the partition named in the reason).
 */
export type StateLimitCheck<E> = (
  event: E,
  windows: readonly TimeWindow[],
  record: InputRecord,
) => StateLimitHit | undefined;

export function windowKeyLimitHit(window: TimeWindow, partition: number, keys: number): StateLimitHit {
  return {
    code: STATE_LIMIT_CODES.windowKeyLimit,
    reason: `window [${window.start}, ${window.end}) of partition ${partition} already holds ${keys} distinct keys (maxKeysPerWindow)`,
  };
}

export function sessionLimitHit(partition: number, sessions: number): StateLimitHit {
  return {
    code: STATE_LIMIT_CODES.sessionLimit,
    reason: `partition ${partition} already holds ${sessions} open sessions (maxOpenSessions)`,
  };
}
