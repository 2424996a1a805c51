import { encodeClickstreamEvent } from '@tributary/schema';
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
});
