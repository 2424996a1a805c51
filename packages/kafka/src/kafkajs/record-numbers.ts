/**
 * A fetched record's offset and timestamp as numbers. kafkajs' API hands them over as decimal strings; the fast
 * record-batch decoder (`record-batch-decoding.ts`) computes both as numbers anyway, and keeps them on the record
 * under these two symbols beside the strings, so a consumer on the hot path reads them without parsing. Records
 * kafkajs decoded itself (a batch outside the fast path, or decoding turned off) carry neither: the readers return
 * `undefined` and the caller parses the string as before. The symbols are private to this copy of the package
 * (`Symbol()`, not `Symbol.for()`): a second copy reads nothing and falls back to parsing — slower, never wrong.
 */
export const RECORD_OFFSET: unique symbol = Symbol('tributary.kafka.record.offset');
export const RECORD_TIMESTAMP: unique symbol = Symbol('tributary.kafka.record.timestamp');

interface WithRecordNumbers {
  [RECORD_OFFSET]?: number;
  [RECORD_TIMESTAMP]?: number;
}

/** The record's offset as the decoder computed it (a safe integer), or `undefined` when kafkajs decoded it. */
export function recordOffsetNumber(record: object): number | undefined {
  return (record as WithRecordNumbers)[RECORD_OFFSET];
}

/** The record's timestamp in epoch milliseconds as the decoder computed it, or `undefined` when kafkajs decoded it. */
export function recordTimestampNumber(record: object): number | undefined {
  return (record as WithRecordNumbers)[RECORD_TIMESTAMP];
}
