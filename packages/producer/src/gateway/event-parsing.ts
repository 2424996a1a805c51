import {
  RECORD_FUTURE_SKEW_MS,
  clickstreamEventFromJSON,
  createClickstreamValidator,
  decodeClickstreamEvent,
  encodeClickstreamEvent,
} from '@tributary/schema';
import type { ClickstreamEvent } from '@tributary/schema';
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

/**
 * The processor's rules: the gateway writes each record at the wall clock, so the skew the processor allows an
 * event against its record's timestamp is the skew allowed here against now — an event the gateway accepts is
 * never a dead letter for its timestamp downstream.
 */
const validate = createClickstreamValidator({ maxFutureSkewMs: RECORD_FUTURE_SKEW_MS });

function failure(index: number, err: unknown): EventResult {
  const e = err as { code?: unknown; reason?: unknown; message?: unknown; field?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'TRIB_SCHEMA_INVALID';
  const reason =
    typeof e.reason === 'string' ? e.reason : typeof e.message === 'string' ? e.message : String(err);
  return typeof e.field === 'string'
    ? { index, ok: false, code, reason, field: e.field }
    : { index, ok: false, code, reason };
}

function check(
  index: number,
  event: ClickstreamEvent,
  value: Uint8Array | undefined,
  events: ParsedEvent[],
): EventResult {
  const result = validate(event);
  if (!result.ok) return failure(index, result.error);
  events.push({ event, value: value ?? encodeClickstreamEvent(event) });
  return { index, ok: true, eventId: event.eventId };
}

/**
 * Parses and validates a request body into events. A body that cannot be parsed at all (bad JSON, bad framing,
 * an empty batch) fails as a whole; otherwise every event gets a result and `ok` is true only when all are valid.
 */
export function parseEvents(format: BodyFormat, body: Buffer, maxEvents: number): ParseOutcome {
  const events: ParsedEvent[] = [];
  const results: EventResult[] = [];
  if (format === BodyFormats.JSON) {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (err) {
      return { ok: false, status: 400, reason: `invalid JSON: ${(err as Error).message}`, results };
    }
    const items = Array.isArray(json) ? json : [json];
    if (items.length === 0) return { ok: false, status: 400, reason: 'no events in request', results };
    if (items.length > maxEvents)
      return {
        ok: false,
        status: 413,
        reason: `more than maxEventsPerRequest (${maxEvents}) events`,
        results,
      };
    items.forEach((item, index) => {
      let event: ClickstreamEvent;
      try {
        event = clickstreamEventFromJSON(item);
      } catch (err) {
        results.push(failure(index, err));
        return;
      }
      results.push(check(index, event, undefined, events));
    });
  } else {
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
    if (messages.length === 0 || (format === BodyFormats.PROTOBUF && body.length === 0)) {
      return { ok: false, status: 400, reason: 'no events in request', results };
    }
    if (messages.length > maxEvents)
      return {
        ok: false,
        status: 413,
        reason: `more than maxEventsPerRequest (${maxEvents}) events`,
        results,
      };
    messages.forEach((bytes, index) => {
      let event: ClickstreamEvent;
      try {
        event = decodeClickstreamEvent(bytes);
      } catch (err) {
        results.push(failure(index, err));
        return;
      }
      results.push(check(index, event, bytes, events));
    });
  }
  const ok = results.every((r) => r.ok);
  return ok ? { ok, events, results } : { ok, status: 400, reason: 'invalid events', results };
}
