import { CLICKSTREAM_STRING_FIELDS, emptyClickstreamEvent } from './clickstream-event.js';
import { SchemaError, SchemaErrorCodes } from './errors.js';
import { describeValue } from './describe-value.js';
import type { ClickstreamEvent } from './types.js';

const STRING_ENTRIES = Object.entries(CLICKSTREAM_STRING_FIELDS) as [
  keyof typeof CLICKSTREAM_STRING_FIELDS,
  string,
][];

/**
 * The JSON form of an event with proto (snake_case) field names, every field present, `timestamp` as a number
 * (epoch ms) — the shape of an Elasticsearch document.
 */
export function clickstreamEventToJSON(e: ClickstreamEvent): Record<string, unknown> {
  return {
    user_id: e.userId,
    page_url: e.pageUrl,
    timestamp: e.timestamp,
    event_type: e.eventType,
    event_id: e.eventId,
    session_id: e.sessionId,
    referrer: e.referrer,
    user_agent: e.userAgent,
    device: e.device,
    country: e.country,
  };
}

function invalid(reason: string, field?: string, cause?: unknown): SchemaError {
  return new SchemaError(SchemaErrorCodes.INVALID_JSON, reason, { field, cause });
}

function pick(obj: Record<string, unknown>, snake: string, camel: string): unknown {
  const a = obj[snake];
  return a !== undefined && a !== null ? a : obj[camel];
}

function parseTimestamp(value: unknown): number {
  if (value === undefined || value === null) return 0;
  // proto3 JSON writes int64 as a decimal string; accept both that and a number.
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw invalid(
      `timestamp must be an integer (epoch ms) or a decimal string, got ${describeValue(value)}`,
      'timestamp',
    );
  }
  return n;
}

/**
 * Maps a JSON value (an object, or a JSON string/bytes of one) onto a ClickstreamEvent. Accepts proto names
 * (`page_url`) and JSON names (`pageUrl`), `timestamp` as a number or a decimal string; absent or null fields get
 * proto3 defaults; unknown keys are ignored (forward compatibility). Does not validate: see validateClickstreamEvent.
 * @throws SchemaError TRIB_SCHEMA_INVALID_JSON naming the field.
 */
export function clickstreamEventFromJSON(json: unknown): ClickstreamEvent {
  let value = json;
  if (value instanceof Uint8Array) value = new TextDecoder().decode(value);
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (err) {
      throw invalid(`not JSON: ${(err as Error).message}`, undefined, err);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`expected a JSON object, got ${Array.isArray(value) ? 'array' : describeValue(value)}`);
  }
  const obj = value as Record<string, unknown>;
  const event = emptyClickstreamEvent();
  for (const [camel, snake] of STRING_ENTRIES) {
    const v = pick(obj, snake, camel);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw invalid(`${snake} must be a string, got ${describeValue(v)}`, snake);
    event[camel] = v;
  }
  event.timestamp = parseTimestamp(obj['timestamp']);
  return event;
}
