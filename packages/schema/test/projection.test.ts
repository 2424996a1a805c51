import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeClickstreamEvent, encodeClickstreamEvent } from '../src/clickstream-event.js';
import { SchemaErrorCodes } from '../src/errors.js';
import { decodeClickstreamProjection } from '../src/projection.js';
import type { ClickstreamEvent, ClickstreamProjection } from '../src/types.js';
import { randomEvent, rng, sampleEvent } from './helpers/events.js';

function project(e: ClickstreamEvent): ClickstreamProjection {
  return {
    userId: e.userId,
    pageUrl: e.pageUrl,
    timestamp: e.timestamp,
    eventType: e.eventType,
    eventId: e.eventId,
  };
}

/**
 * Oracle for corrupted input: protobufjs reflection over the same message with the skipped fields declared as
 * `bytes`, i.e. exactly the projection's contract (the skipped strings are not UTF-8 checked).
 */
const oracle = protobuf
  .parse(
    `syntax = "proto3"; message P { string user_id = 1; string page_url = 2; int64 timestamp = 3; string event_type = 4;
     string event_id = 5; bytes session_id = 6; bytes referrer = 7; bytes user_agent = 8; bytes device = 9; bytes country = 10; }`,
  )
  .root.lookupType('P');

function decodeWithOracle(bytes: Uint8Array): ClickstreamProjection {
  const m = oracle.toObject(oracle.decode(bytes), { longs: Number, defaults: true }) as ClickstreamProjection;
  return {
    userId: m.userId,
    pageUrl: m.pageUrl,
    timestamp: m.timestamp,
    eventType: m.eventType,
    eventId: m.eventId,
  };
}

/**
 * Either both decoders throw TRIB_SCHEMA_DECODE_FAILED, or both succeed and agree on the projected fields; the full
 * decoder may additionally reject invalid UTF-8 in a skipped field, which the oracle arbitrates.
 */
function expectAgreement(bytes: Uint8Array): 'ok' | 'error' {
  let full: ClickstreamEvent | undefined;
  let fullError: unknown;
  try {
    full = decodeClickstreamEvent(bytes);
  } catch (err) {
    fullError = err;
  }
  if (full) {
    expect(decodeClickstreamProjection(bytes)).toEqual(project(full));
    return 'ok';
  }
  expect(fullError).toMatchObject({ code: SchemaErrorCodes.DECODE_FAILED });
  let expected: ClickstreamProjection | undefined;
  try {
    expected = decodeWithOracle(bytes);
  } catch {
    expected = undefined;
  }
  if (expected) {
    expect(decodeClickstreamProjection(bytes)).toEqual(expected);
    return 'ok';
  }
  expect(() => decodeClickstreamProjection(bytes)).toThrow(
    expect.objectContaining({ code: SchemaErrorCodes.DECODE_FAILED }),
  );
  return 'error';
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let pos = 0;
  for (const a of arrays) {
    out.set(a, pos);
    pos += a.length;
  }
  return out;
}

describe('decodeClickstreamProjection', () => {
  it('reads the five projected fields', () => {
    const event = sampleEvent();
    expect(decodeClickstreamProjection(encodeClickstreamEvent(event))).toEqual(project(event));
  });

  it('returns interned CLICK / VIEW and other event types verbatim', () => {
    for (const eventType of ['CLICK', 'VIEW', 'CLICKS', 'VIE', 'purchase', '']) {
      expect(decodeClickstreamProjection(encodeClickstreamEvent({ eventType })).eventType).toBe(eventType);
    }
  });

  it('agrees with the full decoder on 2000 generated events', () => {
    const next = rng(42);
    for (let i = 0; i < 2000; i++)
      expect(expectAgreement(encodeClickstreamEvent(randomEvent(next)))).toBe('ok');
  });

  it('decodes negative and 2^53-range int64 timestamps exactly', () => {
    for (const timestamp of [
      -1,
      -1_700_000_000_000,
      Number.MIN_SAFE_INTEGER,
      2 ** 32,
      2 ** 35 + 7,
      Number.MAX_SAFE_INTEGER,
    ]) {
      expect(decodeClickstreamProjection(encodeClickstreamEvent({ timestamp })).timestamp).toBe(timestamp);
    }
  });

  it('skips unknown fields of every wire type (varint, fixed64, bytes, group, fixed32) like the full decoder', () => {
    const unknown = concat(
      [0xa0, 0x06, 0xff, 0xff, 0x03], // field 100 varint
      [0xa9, 0x06, 1, 2, 3, 4, 5, 6, 7, 8], // field 101 fixed64
      [0xb2, 0x06, 0x03, 0x61, 0x62, 0x63], // field 102 bytes "abc"
      [0xbb, 0x06, 0x08, 0x01, 0xbc, 0x06], // field 103 group { field 1 varint 1 }
      [0xc5, 0x06, 9, 9, 9, 9], // field 104 fixed32
    );
    const event = encodeClickstreamEvent(sampleEvent());
    for (const bytes of [
      concat(unknown, event),
      concat(event, unknown),
      concat(event.subarray(0, 9), unknown, event.subarray(9)),
    ]) {
      expect(expectAgreement(bytes)).toBe('ok');
      expect(decodeClickstreamProjection(bytes)).toEqual(project(sampleEvent()));
    }
  });

  it('treats a known field number with an unexpected wire type as unknown, like the full decoder', () => {
    // field 2 (page_url) as varint, field 3 (timestamp) as length-delimited
    const bytes = concat([0x10, 0x05, 0x1a, 0x01, 0x41], encodeClickstreamEvent({ userId: 'u' }));
    expect(expectAgreement(bytes)).toBe('ok');
    expect(decodeClickstreamProjection(bytes)).toMatchObject({ pageUrl: '', timestamp: 0, userId: 'u' });
  });

  it('keeps the last value of a repeated scalar field (proto3 merge rule)', () => {
    const bytes = concat(
      encodeClickstreamEvent({ pageUrl: '/a', timestamp: 5 }),
      encodeClickstreamEvent({ pageUrl: '/b' }),
    );
    expect(expectAgreement(bytes)).toBe('ok');
    expect(decodeClickstreamProjection(bytes)).toMatchObject({ pageUrl: '/b', timestamp: 5 });
  });

  it('rejects the same malformed inputs as the full decoder', () => {
    const cases = [
      [0x0a, 0x05, 0x61], // truncated string
      [0x18], // truncated varint
      [0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 11-byte varint
      [0x0f], // wire type 7
      [0x0c], // end group without start
      [0x00, 0x01], // field number 0
      [0x12, 0x02, 0xc3, 0x28], // invalid UTF-8 in page_url
      [0xa9, 0x06, 1, 2, 3], // truncated fixed64 (unknown field)
      [0xbb, 0x06, 0x08, 0x01], // unterminated group
      [0xbb, 0x06, 0xc4, 0x06], // mismatched end group
    ];
    for (const bytes of cases) expect(expectAgreement(Uint8Array.from(bytes))).toBe('error');
  });

  it('agrees with the full decoder on 3000 randomly corrupted events', () => {
    const next = rng(99);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 3000; i++) {
      const bytes = encodeClickstreamEvent(randomEvent(next)).slice();
      if (bytes.length === 0) continue;
      const mutation = next();
      if (mutation < 0.4) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      else if (mutation < 0.7) bytes[Math.floor(next() * bytes.length)]! ^= 1 << Math.floor(next() * 8);
      const cut = mutation >= 0.7 ? Math.floor(next() * bytes.length) : bytes.length;
      outcomes[expectAgreement(bytes.subarray(0, cut))]++;
    }
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });

  it('does not check UTF-8 of skipped fields (the full decoder does)', () => {
    const bytes = concat(encodeClickstreamEvent(sampleEvent()), [0x3a, 0x02, 0xc3, 0x28]); // referrer = invalid UTF-8
    expect(() => decodeClickstreamEvent(bytes)).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.DECODE_FAILED }),
    );
    expect(decodeClickstreamProjection(bytes)).toEqual(project(sampleEvent()));
  });

  it('rejects over-long tags and lengths like protobufjs', () => {
    for (const bytes of [
      [0x80, 0x80, 0x80, 0x80, 0x10, 0x00], // tag with bits above 2^32
      [0x0a, 0x80, 0x80, 0x80, 0x80, 0x08], // length >= 2^31
    ]) {
      expect(expectAgreement(Uint8Array.from(bytes))).toBe('error');
    }
  });

  it('decodes views with a non-zero byteOffset (Buffer pool slices, kafkajs message values)', () => {
    const bytes = encodeClickstreamEvent(sampleEvent({ pageUrl: '/a-page-url-longer-than-sixteen-bytes' }));
    const pool = new Uint8Array(bytes.length + 64).fill(0xff);
    pool.set(bytes, 37);
    const view = pool.subarray(37, 37 + bytes.length);
    expect(decodeClickstreamProjection(view)).toEqual(project(decodeClickstreamEvent(bytes)));
    expect(decodeClickstreamProjection(Buffer.from(pool.buffer, 37, bytes.length))).toEqual(
      project(decodeClickstreamEvent(bytes)),
    );
  });

  it('rejects a non-Uint8Array input', () => {
    expect(() => decodeClickstreamProjection([1, 2] as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.DECODE_FAILED }),
    );
  });
});
