import { decodeClickstreamEvent, encodeClickstreamEvent } from '@tributary/schema';
import { deriveEventId } from '../../src/gateway/event-id.js';
import { describe, expect, it } from 'vitest';
import { parseEvents } from '../../src/gateway/event-parsing.js';
import type { ParseOptions } from '../../src/gateway/event-parsing.js';
import { joinDelimited } from '../../src/gateway/request-body.js';

const opts = (maxEvents: number): ParseOptions => ({
  maxEvents,
  maxEventBytes: 64 * 1024,
  deriveEventId: false,
});
const valid = { user_id: 'u1', page_url: '/a', timestamp: Date.now(), event_type: 'CLICK', event_id: 'e1' };

describe('parseEvents', () => {
  it('accepts one JSON object or an array, encoding each event', () => {
    const one = parseEvents('json', Buffer.from(JSON.stringify(valid)), opts(10));
    expect(one.ok).toBe(true);
    if (one.ok) {
      expect(one.events).toHaveLength(1);
      expect(one.events[0]!.event).toMatchObject({ userId: 'u1', pageUrl: '/a', eventType: 'CLICK' });
      expect(one.results).toEqual([{ index: 0, ok: true, eventId: 'e1' }]);
    }
    const many = parseEvents(
      'json',
      Buffer.from(JSON.stringify([valid, { ...valid, event_id: 'e2' }])),
      opts(10),
    );
    expect(many.ok && many.events.length).toBe(2);
  });

  it('gives a reason per invalid event and fails the whole request', () => {
    const out = parseEvents(
      'json',
      Buffer.from(JSON.stringify([valid, { ...valid, event_type: 'BUY' }, { ...valid, user_id: 5 }])),
      opts(10),
    );
    expect(out).toMatchObject({ ok: false, status: 400, reason: 'invalid events' });
    expect(out.results[0]).toMatchObject({ ok: true });
    expect(out.results[1]).toMatchObject({
      ok: false,
      code: 'TRIB_SCHEMA_INVALID_EVENT_TYPE',
      field: 'event_type',
    });
    expect(out.results[2]).toMatchObject({ ok: false, code: 'TRIB_SCHEMA_INVALID_JSON', field: 'user_id' });
  });

  it('fails bad JSON, empty batches and too many events as a whole', () => {
    expect(parseEvents('json', Buffer.from('{'), opts(10))).toMatchObject({ ok: false, status: 400 });
    expect(parseEvents('json', Buffer.from('[]'), opts(10))).toMatchObject({
      ok: false,
      status: 400,
      reason: 'no events in request',
    });
    expect(parseEvents('json', Buffer.from(JSON.stringify([valid, valid])), opts(1))).toMatchObject({
      ok: false,
      status: 413,
    });
  });

  it('keeps the client protobuf bytes and reads delimited batches', () => {
    const bytes = encodeClickstreamEvent({
      userId: 'u1',
      pageUrl: '/a',
      timestamp: Date.now(),
      eventType: 'VIEW',
      eventId: 'p1',
    });
    const single = parseEvents('protobuf', Buffer.from(bytes), opts(10));
    expect(single.ok && Buffer.compare(Buffer.from(single.events[0]!.value), Buffer.from(bytes))).toBe(0);
    const batch = parseEvents(
      'protobuf-delimited',
      joinDelimited([bytes, bytes, new Uint8Array([0x7f])]),
      opts(10),
    );
    expect(batch.ok).toBe(false);
    expect(batch.results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(parseEvents('protobuf-delimited', Buffer.from([9, 1]), opts(10))).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(parseEvents('protobuf', Buffer.alloc(0), opts(10))).toMatchObject({
      ok: false,
      reason: 'no events in request',
    });
  });

  it('refuses what the processor would dead-letter: more than 5 minutes ahead, or a field over its byte limit', () => {
    const ahead = { ...valid, timestamp: Date.now() + 10 * 60_000 };
    expect(parseEvents('json', Buffer.from(JSON.stringify(ahead)), opts(10))).toMatchObject({
      ok: false,
      results: [{ ok: false, code: 'TRIB_SCHEMA_TIMESTAMP_OUT_OF_RANGE' }],
    });
    const long = { ...valid, page_url: `/${'p'.repeat(10_000)}` };
    expect(parseEvents('json', Buffer.from(JSON.stringify(long)), opts(10))).toMatchObject({
      ok: false,
      results: [{ ok: false, code: 'TRIB_SCHEMA_FIELD_TOO_LARGE', field: 'page_url' }],
    });
  });

  it('requires event_id, naming the field and the index, unless deriving is on', () => {
    const { event_id: _, ...anonymous } = valid;
    const body = Buffer.from(JSON.stringify([valid, anonymous]));
    expect(parseEvents('json', body, opts(10))).toMatchObject({
      ok: false,
      status: 400,
      results: [{ ok: true }, { index: 1, ok: false, code: 'TRIB_SCHEMA_MISSING_FIELD', field: 'event_id' }],
    });
    const derive = (key?: string): ParseOptions => ({
      ...opts(10),
      deriveEventId: true,
      idempotencyKey: key,
    });
    const first = parseEvents('json', body, derive());
    const again = parseEvents('json', body, derive());
    expect(first.ok && again.ok).toBe(true);
    expect(first.results[0]).toEqual({ index: 0, ok: true, eventId: 'e1' });
    const id = (first.results[1] as { eventId: string }).eventId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((again.results[1] as { eventId: string }).eventId).toBe(id);
    if (first.ok) expect(first.events[1]!.event.eventId).toBe(id);
    const keyed = parseEvents('json', body, derive('req-7'));
    expect((keyed.results[1] as { eventId: string }).eventId).not.toBe(id);
    const proto = encodeClickstreamEvent({
      userId: 'u1',
      pageUrl: '/a',
      timestamp: Date.now(),
      eventType: 'VIEW',
      eventId: '',
    });
    const fromProto = parseEvents('protobuf', Buffer.from(proto), derive('req-7'));
    expect(fromProto.ok && fromProto.events[0]!.event.eventId).toBe(deriveEventId('req-7', 0, proto));
    // The derived id is in the bytes sent.
    expect(fromProto.ok && decodeClickstreamEvent(fromProto.events[0]!.value).eventId).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });

  it('answers 413 naming the event over maxEventBytes, before decoding a protobuf one', () => {
    const big = { ...valid, event_id: 'e2', user_agent: 'a'.repeat(3_000) };
    const small: ParseOptions = { ...opts(10), maxEventBytes: 1_000 };
    const out = parseEvents('json', Buffer.from(JSON.stringify([valid, big])), small);
    expect(out).toMatchObject({ ok: false, status: 413 });
    expect(out.results[1]).toMatchObject({
      index: 1,
      ok: false,
      code: 'TRIB_PRODUCER_EVENT_TOO_LARGE',
      reason: expect.stringMatching(/^event 1 is \d+ bytes, more than maxEventBytes \(1000\)/),
    });
    const garbage = new Uint8Array(2_000).fill(0xff);
    expect(parseEvents('protobuf-delimited', joinDelimited([garbage]), small).results[0]).toMatchObject({
      code: 'TRIB_PRODUCER_EVENT_TOO_LARGE',
    });
  });

  it('rejects bytes that are not UTF-8 and lone surrogates, naming the field and the index', () => {
    const json = JSON.stringify([valid, { ...valid, event_id: 'e2', page_url: '/x-BAD' }]);
    const cut = json.indexOf('BAD');
    const body = Buffer.concat([
      Buffer.from(json.slice(0, cut)),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(json.slice(cut)),
    ]);
    expect(parseEvents('json', body, opts(10))).toMatchObject({
      ok: false,
      status: 400,
      results: [{ ok: true }, { index: 1, ok: false, code: 'TRIB_PRODUCER_INVALID_UTF8', field: 'page_url' }],
    });
    const inKey = Buffer.concat([
      Buffer.from('{"x'),
      Buffer.from([0xff]),
      Buffer.from(`":1,${JSON.stringify(valid).slice(1)}`),
    ]);
    expect(parseEvents('json', inKey, opts(10))).toMatchObject({
      ok: false,
      status: 400,
      reason: 'body is not valid UTF-8 (byte 3)',
    });
    const surrogate = Buffer.from(JSON.stringify(valid).replace('"u1"', '"u1\\ud800"'));
    expect(surrogate.toString()).toContain('\\ud800');
    expect(parseEvents('json', surrogate, opts(10))).toMatchObject({
      ok: false,
      status: 400,
      results: [{ index: 0, ok: false, code: 'TRIB_PRODUCER_INVALID_UTF8', field: 'user_id' }],
    });
  });
});
