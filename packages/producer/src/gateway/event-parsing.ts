import {
  RECORD_FUTURE_SKEW_MS,
  clickstreamEventFromJSON,
  createClickstreamValidator,
  decodeClickstreamEvent,
  encodeClickstreamEvent,
} from '@tributary/schema';
import type { ClickstreamEvent } from '@tributary/schema';
import { ProducerErrorCodes } from '../errors.js';
import { deriveEventId } from './event-id.js';
import { decodeUtf8Body, illFormedField } from './json-text.js';
import { BodyFormats, splitDelimited } from './request-body.js';
import type { BodyFormat } from './request-body.js';

/** Per-event outcome reported to the client, in request order. */
export type EventResult =
  | { index: number; ok: true; eventId: string }
  | { index: number; ok: false; code: string; reason: string; field?: string };

export interface ParsedEvent {
  event: ClickstreamEvent;
  /** Bytes to send: the client's own protobuf bytes when it sent protobuf, else our encoding. */
  value: Uint8Array;
}

export type ParseOutcome =
  | { ok: true; events: ParsedEvent[]; results: EventResult[] }
  | { ok: false; status: 400 | 413; reason: string; results: EventResult[] };

export interface ParseOptions {
  /** More events in the body: 413 for the whole request. */
  readonly maxEvents: number;
  /** An event whose protobuf encoding is larger: 413, its result naming it. */
  readonly maxEventBytes: number;
  /** Give an event without event_id a derived one (see deriveEventId) instead of rejecting it. */
  readonly deriveEventId: boolean;
  /** The request's Idempotency-Key header, the seed of derived event ids. */
  readonly idempotencyKey?: string | undefined;
}

/**
 * The processor's rules: the gateway writes each record at the wall clock, so the skew the processor allows an
 * event against its record's timestamp is the skew allowed here against now — an event the gateway accepts is
 * never a dead letter for its timestamp downstream. Every event needs an event_id (given, or derived here).
 */
const validate = createClickstreamValidator({ maxFutureSkewMs: RECORD_FUTURE_SKEW_MS, requireEventId: true });

function failure(index: number, err: unknown): EventResult {
  const e = err as { code?: unknown; reason?: unknown; message?: unknown; field?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'TRIB_SCHEMA_INVALID';
  const reason =
    typeof e.reason === 'string' ? e.reason : typeof e.message === 'string' ? e.message : String(err);
  return typeof e.field === 'string'
    ? { index, ok: false, code, reason, field: e.field }
    : { index, ok: false, code, reason };
}

function tooLarge(index: number, bytes: number, limit: number): EventResult {
  return {
    index,
    ok: false,
    code: ProducerErrorCodes.EVENT_TOO_LARGE,
    reason: `event ${index} is ${bytes} bytes, more than maxEventBytes (${limit})`,
  };
}

function badText(index: number, field: string): EventResult {
  return {
    index,
    ok: false,
    code: ProducerErrorCodes.INVALID_UTF8,
    reason: `${field} is not valid Unicode text (invalid UTF-8 or a lone surrogate)`,
    field,
  };
}

/** Derives a missing event_id (when allowed), checks the size, validates, and keeps the event when valid. */
function check(
  index: number,
  event: ClickstreamEvent,
  clientBytes: Uint8Array | undefined,
  o: ParseOptions,
  events: ParsedEvent[],
): EventResult {
  let value = clientBytes ?? encodeClickstreamEvent(event);
  if (event.eventId === '' && o.deriveEventId) {
    event.eventId = deriveEventId(o.idempotencyKey, index, value);
    value = encodeClickstreamEvent(event);
  }
  if (value.length > o.maxEventBytes) return tooLarge(index, value.length, o.maxEventBytes);
  const result = validate(event);
  if (!result.ok) return failure(index, result.error);
  events.push({ event, value });
  return { index, ok: true, eventId: event.eventId };
}

const tooMany = (maxEvents: number): ParseOutcome => ({
  ok: false,
  status: 413,
  reason: `more than maxEventsPerRequest (${maxEvents}) events`,
  results: [],
});

function parseJson(
  body: Buffer,
  o: ParseOptions,
  events: ParsedEvent[],
  results: EventResult[],
): ParseOutcome | undefined {
  const decoded = decodeUtf8Body(body);
  let json: unknown;
  try {
    json = JSON.parse(decoded.text);
  } catch (err) {
    const reason = decoded.ok
      ? `invalid JSON: ${(err as Error).message}`
      : `body is not valid UTF-8 (byte ${decoded.offset})`;
    return { ok: false, status: 400, reason, results };
  }
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0) return { ok: false, status: 400, reason: 'no events in request', results };
  if (items.length > o.maxEvents) return tooMany(o.maxEvents);
  items.forEach((item, index) => {
    const illFormed = illFormedField(item, !decoded.ok);
    if (illFormed !== undefined) {
      results.push(badText(index, illFormed));
      return;
    }
    let event: ClickstreamEvent;
    try {
      event = clickstreamEventFromJSON(item);
    } catch (err) {
      results.push(failure(index, err));
      return;
    }
    results.push(check(index, event, undefined, o, events));
  });
  // Bytes that are not UTF-8 outside any field's string (in a key, an unknown field's value): the whole body.
  if (!decoded.ok && results.every((r) => r.ok))
    return {
      ok: false,
      status: 400,
      reason: `body is not valid UTF-8 (byte ${decoded.offset})`,
      results: [],
    };
  return undefined;
}

function parseProtobuf(
  format: BodyFormat,
  body: Buffer,
  o: ParseOptions,
  events: ParsedEvent[],
  results: EventResult[],
): ParseOutcome | undefined {
  let messages: Uint8Array[];
  if (format === BodyFormats.PROTOBUF) {
    messages = [body];
  } else {
    try {
      messages = splitDelimited(body);
    } catch (err) {
      return {
        ok: false,
        status: 400,
        reason: `invalid length-delimited protobuf: ${(err as Error).message}`,
        results,
      };
    }
  }
  if (messages.length === 0 || (format === BodyFormats.PROTOBUF && body.length === 0))
    return { ok: false, status: 400, reason: 'no events in request', results };
  if (messages.length > o.maxEvents) return tooMany(o.maxEvents);
  messages.forEach((bytes, index) => {
    // Checked before decoding: an oversize event is never decoded.
    if (bytes.length > o.maxEventBytes) {
      results.push(tooLarge(index, bytes.length, o.maxEventBytes));
      return;
    }
    let event: ClickstreamEvent;
    try {
      event = decodeClickstreamEvent(bytes);
    } catch (err) {
      results.push(failure(index, err));
      return;
    }
    results.push(check(index, event, bytes, o, events));
  });
  return undefined;
}

/**
 * Parses and validates a request body into events. A body that cannot be parsed at all (bad JSON, bytes that are
 * not UTF-8 outside the fields, bad framing, an empty batch, too many events) fails as a whole; otherwise every
 * event gets a result and `ok` is true only when all are valid. 413 when an event is over maxEventBytes, else 400.
 */
export function parseEvents(format: BodyFormat, body: Buffer, o: ParseOptions): ParseOutcome {
  const events: ParsedEvent[] = [];
  const results: EventResult[] = [];
  const whole =
    format === BodyFormats.JSON
      ? parseJson(body, o, events, results)
      : parseProtobuf(format, body, o, events, results);
  if (whole !== undefined) return whole;
  const rejected = results.filter((r) => !r.ok);
  if (rejected.length === 0) return { ok: true, events, results };
  return rejected.some((r) => !r.ok && r.code === ProducerErrorCodes.EVENT_TOO_LARGE)
    ? { ok: false, status: 413, reason: 'events larger than maxEventBytes', results }
    : { ok: false, status: 400, reason: 'invalid events', results };
}
