import { describe, expect, it } from 'vitest';
import {
  decodeClickstreamEvent,
  encodeClickstreamEvent,
  emptyClickstreamEvent,
} from '../src/clickstream-event.js';
import { SchemaErrorCodes } from '../src/errors.js';
import { randomEvent, rng, sampleEvent } from './helpers/events.js';

describe('encodeClickstreamEvent / decodeClickstreamEvent', () => {
  it('round-trips a full event', () => {
    const event = sampleEvent();
    expect(decodeClickstreamEvent(encodeClickstreamEvent(event))).toEqual(event);
  });

  it('round-trips 500 random events, including negative and 2^53-range timestamps and non-ASCII text', () => {
    const next = rng(1);
    for (let i = 0; i < 500; i++) {
      const event = randomEvent(next);
      expect(decodeClickstreamEvent(encodeClickstreamEvent(event))).toEqual(event);
    }
  });

  it('fills absent fields with proto3 defaults and writes nothing for an empty event', () => {
    expect(encodeClickstreamEvent({})).toHaveLength(0);
    expect(decodeClickstreamEvent(new Uint8Array())).toEqual(emptyClickstreamEvent());
    expect(decodeClickstreamEvent(encodeClickstreamEvent({ pageUrl: '/a' }))).toEqual({
      ...emptyClickstreamEvent(),
      pageUrl: '/a',
    });
  });

  it('returns timestamp as a number, not a Long', () => {
    const decoded = decodeClickstreamEvent(encodeClickstreamEvent({ timestamp: 1_700_000_000_123 }));
    expect(typeof decoded.timestamp).toBe('number');
    expect(decoded.timestamp).toBe(1_700_000_000_123);
  });

  it('is smaller than JSON for a typical event', () => {
    const event = sampleEvent();
    expect(encodeClickstreamEvent(event).length).toBeLessThan(JSON.stringify(event).length);
  });

  it('rejects fields of the wrong type naming the proto field', () => {
    expect(() => encodeClickstreamEvent({ pageUrl: 42 as unknown as string })).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.INVALID_FIELD, field: 'page_url' }),
    );
    expect(() => encodeClickstreamEvent({ timestamp: 1.5 })).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.INVALID_FIELD, field: 'timestamp' }),
    );
    expect(() => encodeClickstreamEvent(null as unknown as object)).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.INVALID_FIELD }),
    );
  });

  it('throws TRIB_SCHEMA_DECODE_FAILED with a cause on malformed bytes', () => {
    const bytes = encodeClickstreamEvent(sampleEvent());
    for (const bad of [
      bytes.subarray(0, bytes.length - 3),
      new Uint8Array([0x0a, 0x05, 0x61]),
      new Uint8Array([0x0f]),
    ]) {
      let caught: unknown;
      try {
        decodeClickstreamEvent(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).toMatchObject({ code: SchemaErrorCodes.DECODE_FAILED, retriable: false });
      expect((caught as Error).cause).toBeInstanceOf(Error);
    }
  });

  it('rejects invalid UTF-8 in a string field', () => {
    expect(() => decodeClickstreamEvent(new Uint8Array([0x12, 0x02, 0xc3, 0x28]))).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.DECODE_FAILED }),
    );
  });

  it('rejects JSON bytes as not protobuf', () => {
    const json = new TextEncoder().encode(JSON.stringify({ user_id: 'u', page_url: '/p' }));
    expect(() => decodeClickstreamEvent(json)).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.DECODE_FAILED }),
    );
  });

  it('rejects a non-Uint8Array input', () => {
    expect(() => decodeClickstreamEvent('abc' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.DECODE_FAILED }),
    );
  });

  it('skips unknown fields written by a newer schema', () => {
    const known = encodeClickstreamEvent(sampleEvent());
    // field 99 string "x", field 100 varint 7, field 101 fixed32
    const extra = new Uint8Array([0x9a, 0x06, 0x01, 0x78, 0xa0, 0x06, 0x07, 0xad, 0x06, 1, 2, 3, 4]);
    const merged = new Uint8Array(known.length + extra.length);
    merged.set(extra);
    merged.set(known, extra.length);
    expect(decodeClickstreamEvent(merged)).toEqual(sampleEvent());
  });
});
