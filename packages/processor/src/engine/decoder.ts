import type { InputRecord } from '../task/partition-task.js';

/**
 * The outcome of decoding and validating one input record. Never throws: failures carry a stable code.
 *
 * A decoder that transforms events (the stream DSL's filter/map/enrich) may decide an accepted event's time and
 * id itself, from the event before the transformation: `timestamp` and `eventId`, when present, are used instead
 * of the task's `timestampOf(event)` and `eventIdOf(event)` (the id only when the task dedups). A failure marked
 * `filtered` ({@link FILTERED}) is a record dropped on purpose, not an invalid one: it is never dead-lettered and
 * goes before the event-time contract — no output, no watermark move, no dedup, as if it were not in the log (its
 * offset is still applied).
 */
export type DecodeResult<E> =
  | { readonly ok: true; readonly event: E; readonly timestamp?: number; readonly eventId?: string }
  | { readonly ok: false; readonly code: string; readonly reason: string; readonly filtered?: boolean };

/** The result of a record a decoder drops on purpose (frozen, shared). */
export const FILTERED = Object.freeze({
  ok: false,
  code: 'TRIB_PROC_FILTERED',
  reason: 'dropped by a filter',
  filtered: true,
} as const);

/** Decodes and validates a record (e.g. protobuf + schema validation). Injected into every task. */
export type Decoder<E> = (record: InputRecord) => DecodeResult<E>;
