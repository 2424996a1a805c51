import { decodeClickstreamEvent, encodeClickstreamEvent } from '@tributary/schema';
import type { ClickstreamEvent } from '@tributary/schema';
import { describe, expect, it } from 'vitest';
import { ClickstreamEventEncoder } from '../../src/workload/event-encoder.js';
import { ClickstreamGenerator } from '../../src/workload/generator.js';

const base: ClickstreamEvent = {
  userId: 'u0042',
  pageUrl: '/products/7',
  timestamp: Date.UTC(2026, 10, 22),
  eventType: 'CLICK',
  eventId: 'e16-abc',
  sessionId: 's16-9',
  referrer: 'https://www.google.com/',
  userAgent: 'Chrome/126',
  device: 'desktop',
  country: 'DE',
};

const same = (encoder: ClickstreamEventEncoder, event: ClickstreamEvent): void => {
  const ours = encoder.encode(event);
  expect(Buffer.from(ours).equals(Buffer.from(encodeClickstreamEvent(event)))).toBe(true);
  expect(decodeClickstreamEvent(ours)).toEqual(event);
};

describe('ClickstreamEventEncoder', () => {
  it("writes the schema encoder's bytes for every event of a generated stream", () => {
    const encoder = new ClickstreamEventEncoder();
    const generator = new ClickstreamGenerator({ partitions: 3, eventTimeOriginMs: Date.UTC(2026, 0, 1) });
    for (const r of generator.take(3000)) same(encoder, r.event);
  });

  it('leaves out proto3 defaults (empty strings, timestamp 0) like the schema encoder', () => {
    const encoder = new ClickstreamEventEncoder();
    same(encoder, { ...base, referrer: '', country: '', eventId: '' });
    same(encoder, { ...base, timestamp: 0 });
    same(encoder, {
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
    });
  });

  it('encodes non-ASCII strings, long strings and every timestamp size like the schema encoder', () => {
    const encoder = new ClickstreamEventEncoder();
    same(encoder, { ...base, userId: 'ü-user-名前', eventId: 'é-😀-1', pageUrl: `/p/${'x'.repeat(300)}` });
    for (const timestamp of [
      1,
      127,
      128,
      16_383,
      16_384,
      2 ** 31,
      2 ** 32,
      2 ** 35 + 5,
      Number.MAX_SAFE_INTEGER,
    ])
      same(encoder, { ...base, timestamp });
    for (const timestamp of [-1, -128, -(2 ** 32), -(2 ** 40) - 3, Number.MIN_SAFE_INTEGER])
      same(encoder, { ...base, timestamp });
  });

  it('keeps earlier results intact when later events are encoded (slab turnover included)', () => {
    const encoder = new ClickstreamEventEncoder();
    const events = Array.from({ length: 2000 }, (_, i) => ({
      ...base,
      eventId: `id-${i}`,
      pageUrl: `/p/${i % 50}`,
    }));
    const encoded = events.map((e) => encoder.encode(e));
    encoded.forEach((bytes, i) => expect(decodeClickstreamEvent(bytes)).toEqual(events[i]));
    const big = { ...base, referrer: 'r'.repeat(100_000) };
    same(encoder, big);
  });
});
