import type { InputRecord } from '../task/partition-task.js';

/** The outcome of decoding and validating one input record. Never throws: failures carry a stable code. */
export type DecodeResult<E> =
  | { readonly ok: true; readonly event: E }
  | { readonly ok: false; readonly code: string; readonly reason: string };

/** Decodes and validates a record (e.g. protobuf + schema validation). Injected into every task. */
export type Decoder<E> = (record: InputRecord) => DecodeResult<E>;
