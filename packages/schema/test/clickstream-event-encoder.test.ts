import { describe, expect, it } from 'vitest';
import {
  decodeClickstreamEvent,
  emptyClickstreamEvent,
  encodeClickstreamEvent,
} from '../src/clickstream-event.js';
import {
  ClickstreamEventEncoder,
  encodeClickstreamEventUnchecked,
} from '../src/clickstream-event-encoder.js';
import { ClickstreamEventMessage } from '../src/messages.js';
import type { ClickstreamEvent } from '../src/types.js';
import { randomEvent, rng } from './helpers/events.js';

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

/** protobufjs' generated encoder: the reference every encoding here must equal byte for byte. */
const reference = (event: Partial<ClickstreamEvent>): Buffer =>
  Buffer.from(ClickstreamEventMessage.encode(event).finish());

/** The slab encoder, the one-shot encoder and the validating encoder all write the reference's bytes. */
const same = (encoder: ClickstreamEventEncoder, event: ClickstreamEvent): void => {
  const expected = reference(event);
  const ours = encoder.encode(event);
  expect(Buffer.from(ours).equals(expected)).toBe(true);
  expect(encodeClickstreamEventUnchecked(event).equals(expected)).toBe(true);
  expect(Buffer.from(encodeClickstreamEvent(event)).equals(expected)).toBe(true);
  expect(decodeClickstreamEvent(ours)).toEqual(event);
};

describe('ClickstreamEventEncoder', () => {
  it("writes protobufjs' bytes for 3000 random events (non-ASCII text, negative and 2^53-range timestamps)", () => {
    const encoder = new ClickstreamEventEncoder();
    const next = rng(7);
    for (let i = 0; i < 3000; i++) same(encoder, randomEvent(next));
  });

  it('leaves out proto3 defaults (empty strings, timestamp 0) like protobufjs', () => {
    const encoder = new ClickstreamEventEncoder();
    same(encoder, { ...base, referrer: '', country: '', eventId: '' });
    same(encoder, { ...base, timestamp: 0 });
    same(encoder, emptyClickstreamEvent());
  });

  it('encodes non-ASCII strings, long strings and every timestamp size like protobufjs', () => {
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

  it('writes lone surrogates as protobufjs does, below and above its 40-unit writer switch', () => {
    // Bytes only: below 40 units protobufjs keeps a lone surrogate as three bytes, which no decoder accepts.
    const event = { ...base, userId: 'a\uD800b', referrer: `\uDC00${'r'.repeat(50)}\uD800` };
    const expected = reference(event);
    expect(new ClickstreamEventEncoder().encode(event).equals(expected)).toBe(true);
    expect(Buffer.from(encodeClickstreamEvent(event)).equals(expected)).toBe(true);
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

describe('encodeClickstreamEvent', () => {
  it('writes only the own fields that are present, like protobufjs', () => {
    for (const event of [
      {},
      { pageUrl: '/a' },
      { timestamp: -5, country: 'FR' },
      { ...base, userId: undefined } as unknown as Partial<ClickstreamEvent>,
    ] satisfies Partial<ClickstreamEvent>[])
      expect(Buffer.from(encodeClickstreamEvent(event)).equals(reference(event))).toBe(true);
    const inherited = Object.create({ userId: 'inherited' }) as Partial<ClickstreamEvent>;
    inherited.pageUrl = '/own';
    expect(Buffer.from(encodeClickstreamEvent(inherited)).equals(reference(inherited))).toBe(true);
  });
});
