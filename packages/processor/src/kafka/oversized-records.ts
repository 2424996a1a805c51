import type { IHeaders, Message } from '@tributary/kafka';
import { SIDE_OUTPUT_HEADERS } from '../engine/side-outputs.js';
import { PROCESSOR_ERROR_CODES } from '../errors.js';
import { messageBytes } from './send-chunks.js';

/**
 * Room left for what a record batch and the record framing add around key, value and headers (batch header 61
 * bytes, record varints), with a wide margin: a record is oversized when its estimate plus this exceeds the topic's
 * `max.message.bytes`.
 */
export const RECORD_FRAMING_BYTES = 512;

/** A replacing dead letter keeps at most this much of the original key. */
const MAX_KEY_BYTES = 1_024;

/** Headers added to the dead letter that replaces an oversized output record. */
export const OVERSIZED_HEADERS = {
  originalTopic: 'tributary.error.original-topic',
  originalBytes: 'tributary.error.original-bytes',
  truncated: 'tributary.error.truncated',
} as const;

/** The input a task was at when it produced an output (a derived record has no single source record). */
export interface OutputSource {
  readonly topic: string;
  readonly partition: number;
  /**
   * The offset just below the task's position at the commit: its last record read, or a transaction marker after it
   * (undefined before the first record).
   */
  readonly offset: number | undefined;
}

/** True when `message` cannot be written to a topic accepting at most `maxMessageBytes` per record batch. */
export function isOversized(message: Message, maxMessageBytes: number): boolean {
  return messageBytes(message) + RECORD_FRAMING_BYTES > maxMessageBytes;
}

/**
 * The dead letter written instead of an output record the broker would refuse (which would abort every commit of
 * the task, for good): the original key and value truncated to fit the dead-letter topic, the original headers
 * when they are small, and headers saying why (`TRIB_PROC_RECORD_TOO_LARGE`, unless the record already was a dead
 * letter with its own code and reason), how large it was, where it was going and where it came from (a side-output
 * copy keeps its own source headers; a derived record names the task's input partition).
 */
export function oversizedDeadLetter(
  message: Message,
  topic: string,
  maxMessageBytes: number,
  deadLetterMaxBytes: number,
  source: OutputSource,
): Message {
  const bytes = messageBytes(message);
  const budget = deadLetterMaxBytes - RECORD_FRAMING_BYTES;
  const original = message.headers ?? {};
  const headers: IHeaders = headersBytes(original) <= budget / 4 ? { ...original } : {};
  // A dead letter that was itself too large keeps its own code and reason (why the event was refused); any other
  // record is a dead letter because of its size.
  if (headers[SIDE_OUTPUT_HEADERS.errorCode] === undefined) {
    headers[SIDE_OUTPUT_HEADERS.errorCode] = PROCESSOR_ERROR_CODES.RECORD_TOO_LARGE;
    headers[SIDE_OUTPUT_HEADERS.errorReason] =
      `a record of about ${bytes} bytes for ${topic} is over its max.message.bytes (${maxMessageBytes})`;
  }
  headers[OVERSIZED_HEADERS.originalTopic] = topic;
  headers[OVERSIZED_HEADERS.originalBytes] = String(bytes);
  if (headers[SIDE_OUTPUT_HEADERS.sourceTopic] === undefined) {
    headers[SIDE_OUTPUT_HEADERS.sourceTopic] = source.topic;
    headers[SIDE_OUTPUT_HEADERS.sourcePartition] = String(source.partition);
    if (source.offset !== undefined) headers[SIDE_OUTPUT_HEADERS.sourceOffset] = String(source.offset);
  }
  const key = truncate(message.key, MAX_KEY_BYTES);
  const room = Math.max(0, budget - headersBytes(headers) - fieldBytes(key) - 64);
  const value = truncate(message.value, room);
  headers[OVERSIZED_HEADERS.truncated] = String(
    fieldBytes(key) < fieldBytes(message.key) || fieldBytes(value) < fieldBytes(message.value),
  );
  return {
    key,
    value,
    headers,
    ...(message.timestamp === undefined ? {} : { timestamp: message.timestamp }),
  };
}

function truncate(field: Buffer | string | null | undefined, maxBytes: number): Buffer | null {
  if (field === null || field === undefined) return null;
  const bytes = typeof field === 'string' ? Buffer.from(field, 'utf8') : field;
  return bytes.length <= maxBytes ? bytes : bytes.subarray(0, maxBytes);
}

function fieldBytes(field: Buffer | string | null | undefined): number {
  if (field === null || field === undefined) return 0;
  return typeof field === 'string' ? Buffer.byteLength(field) : field.length;
}

function headersBytes(headers: IHeaders): number {
  return messageBytes({ key: null, value: null, headers });
}
