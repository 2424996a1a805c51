import { decodeWindowResult, encodeClickstreamEvent } from '@tributary/schema';
import { describe, expect, it } from 'vitest';
import { clickstreamDecoder, windowResultEncoder } from '../../src/app/clickstream-codec.js';
import type { InputRecord } from '../../src/task/partition-task.js';

const record = (value: Buffer | null): InputRecord => ({
  topic: 't',
  partition: 0,
  offset: '0',
  timestamp: 0,
  key: null,
  value,
  headers: {},
});

const valid = {
  userId: 'u1',
  pageUrl: '/home',
  timestamp: Date.UTC(2025, 0, 1),
  eventType: 'CLICK',
  eventId: 'e1',
};

describe('clickstreamDecoder', () => {
  const decode = clickstreamDecoder();

  it('decodes and validates a ClickstreamEvent', () => {
    const result = decode(record(Buffer.from(encodeClickstreamEvent(valid))));
    expect(result).toMatchObject({ ok: true, event: { pageUrl: '/home', eventType: 'CLICK', eventId: 'e1' } });
  });

  it('decides from the data alone: a far-future timestamp is not rejected by the wall clock', () => {
    const result = decode(record(Buffer.from(encodeClickstreamEvent({ ...valid, timestamp: Date.UTC(2100, 0, 1) }))));
    expect(result.ok).toBe(true);
  });

  it('returns schema codes for undecodable, invalid and empty records', () => {
    expect(decode(record(Buffer.from([0xff, 0xff, 0xff])))).toMatchObject({ ok: false, code: expect.stringMatching(/^TRIB_SCHEMA_/) });
    expect(decode(record(Buffer.from(encodeClickstreamEvent({ ...valid, eventType: 'SCROLL' }))))).toMatchObject({
      ok: false,
      code: 'TRIB_SCHEMA_INVALID_EVENT_TYPE',
    });
    expect(decode(record(null))).toMatchObject({ ok: false, code: 'TRIB_SCHEMA_DECODE_FAILED' });
  });
});

describe('windowResultEncoder', () => {
  it('writes a WindowResult protobuf keyed by page_url', () => {
    const encoded = windowResultEncoder({
      key: '/home',
      windowStart: 60_000,
      windowEnd: 120_000,
      result: { clickCount: 3, viewCount: 5 },
      isFinal: true,
      version: 2,
    });
    expect(encoded.key?.toString()).toBe('/home');
    expect(decodeWindowResult(encoded.value)).toEqual({
      pageUrl: '/home',
      windowStart: 60_000,
      windowEnd: 120_000,
      clickCount: 3,
      viewCount: 5,
      isFinal: true,
      version: 2,
    });
  });
});
