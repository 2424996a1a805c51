import { SchemaError, SchemaErrorCodes } from './errors.js';
import { describeValue } from './describe-value.js';
import { assertInt64, int64ToNumber } from './int64.js';
import { decodeMessage } from './decode-message.js';
import { encodeClickstreamEventUnchecked } from './clickstream-event-encoder.js';
import { ClickstreamEventMessage } from './messages.js';
import type { ClickstreamEvent } from './types.js';

/** camelCase property → proto field name, for every string field of ClickstreamEvent. */
export const CLICKSTREAM_STRING_FIELDS = {
  userId: 'user_id',
  pageUrl: 'page_url',
  eventType: 'event_type',
  eventId: 'event_id',
  sessionId: 'session_id',
  referrer: 'referrer',
  userAgent: 'user_agent',
  device: 'device',
  country: 'country',
} as const satisfies Record<Exclude<keyof ClickstreamEvent, 'timestamp'>, string>;

const STRING_KEYS = Object.keys(CLICKSTREAM_STRING_FIELDS) as (keyof typeof CLICKSTREAM_STRING_FIELDS)[];

/** An event with every field at its proto3 default. */
export function emptyClickstreamEvent(): ClickstreamEvent {
  return {
    userId: '',
    pageUrl: '',
    timestamp: 0,
    eventType: '',
    eventId: '',
    sessionId: '',
    referrer: '',
    userAgent: '',
    device: '',
    country: '',
  };
}

/**
 * Encodes an event to protobuf bytes, the same as protobufjs' generated encoder writes them. Absent fields are not
 * written (proto3 defaults), nor are inherited ones (protobufjs writes own properties only).
 * @throws SchemaError TRIB_SCHEMA_INVALID_FIELD when a field has the wrong type or timestamp is not a safe integer.
 */
export function encodeClickstreamEvent(event: Partial<ClickstreamEvent>): Uint8Array {
  if (event === null || typeof event !== 'object') {
    throw new SchemaError(
      SchemaErrorCodes.INVALID_FIELD,
      `event must be an object, got ${describeValue(event)}`,
    );
  }
  for (const key of STRING_KEYS) {
    const value = event[key];
    if (value !== undefined && typeof value !== 'string') {
      const field = CLICKSTREAM_STRING_FIELDS[key];
      throw new SchemaError(
        SchemaErrorCodes.INVALID_FIELD,
        `${field} must be a string, got ${describeValue(value)}`,
        {
          field,
        },
      );
    }
  }
  if (event.timestamp !== undefined) assertInt64(event.timestamp, 'timestamp');
  return encodeClickstreamEventUnchecked(ownFields(event));
}

/** `event` itself when it is a plain object; otherwise a copy of its own fields (protobufjs skips inherited ones). */
function ownFields(event: Partial<ClickstreamEvent>): Partial<ClickstreamEvent> {
  const proto: unknown = Object.getPrototypeOf(event);
  if (proto === Object.prototype || proto === null) return event;
  const own: Partial<Record<keyof ClickstreamEvent, unknown>> = {};
  for (const key of [...STRING_KEYS, 'timestamp'] as const)
    if (Object.hasOwn(event, key)) own[key] = event[key];
  return own as Partial<ClickstreamEvent>;
}

/**
 * Decodes protobuf bytes into a plain ClickstreamEvent with every field present (proto3 defaults for absent ones).
 * Unknown fields (written by a newer schema) are skipped.
 * @throws SchemaError TRIB_SCHEMA_DECODE_FAILED when the bytes are not a valid encoding.
 */
export function decodeClickstreamEvent(bytes: Uint8Array): ClickstreamEvent {
  const m = decodeMessage(ClickstreamEventMessage, 'ClickstreamEvent', bytes);
  return {
    userId: m.userId,
    pageUrl: m.pageUrl,
    timestamp: int64ToNumber(m.timestamp),
    eventType: m.eventType,
    eventId: m.eventId,
    sessionId: m.sessionId,
    referrer: m.referrer,
    userAgent: m.userAgent,
    device: m.device,
    country: m.country,
  };
}
