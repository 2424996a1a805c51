import { describe, expect, it } from 'vitest';
import {
  decodeRepartitionRecord,
  encodeRepartitionRecord,
  REPARTITION_FORMAT_VERSION,
  type RepartitionRecord,
} from '../../src/engine/repartition-format.js';
import { rng } from './fixtures.js';
import { encodeRepartitionRecordV1 } from './format-1.js';

const CODE = 'TRIB_PROC_REPARTITION_RECORD_INVALID';
const code = expect.objectContaining({ code: CODE });

const partial: RepartitionRecord = {
  type: 'partial',
  upstreamPartition: 2,
  key: '/home ü 😀',
  windowStart: 0,
  windowEnd: 60_000,
  accumulator: Buffer.from([1, 2, 3]),
};
const watermarks: RepartitionRecord[] = [
  { type: 'watermark', upstreamPartition: 0, watermark: Number.NEGATIVE_INFINITY, idle: true },
  { type: 'watermark', upstreamPartition: 7, watermark: -3_000, idle: false },
  { type: 'watermark', upstreamPartition: 4_294_967_295, watermark: 2 ** 53 - 1, idle: false },
];

function randomRecord(next: () => number): RepartitionRecord {
  const int = (n: number) => Math.floor(next() * n);
  if (next() < 0.3) {
    const w = int(4);
    return {
      type: 'watermark',
      upstreamPartition: int(64),
      watermark: w === 0 ? Number.NEGATIVE_INFINITY : int(2 ** 40) - 2 ** 39,
      idle: w === 1,
    };
  }
  const start = int(1_000) * 60_000 - 30 * 60_000;
  return {
    type: 'partial',
    upstreamPartition: int(64),
    key: Array.from({ length: int(12) }, () => String.fromCodePoint(32 + int(0x2000))).join(''),
    windowStart: start,
    windowEnd: start + 60_000,
    accumulator: Buffer.from(Array.from({ length: int(40) }, () => int(256))),
  };
}

describe('repartition record format', () => {
  it('writes format 2: a leading version byte that is never `{`, the accumulator bytes as they are', () => {
    const bytes = encodeRepartitionRecord(partial);
    expect(REPARTITION_FORMAT_VERSION).toBe(2);
    expect(bytes[0]).toBe(2);
    expect(bytes.subarray(bytes.length - 3)).toEqual(Buffer.from([1, 2, 3]));
    expect(bytes.length).toBe(6 + 16 + 4 + Buffer.byteLength(partial.key) + 3);
    expect(encodeRepartitionRecord(watermarks[0]!)).toHaveLength(15);
  });

  it('round-trips partial and watermark records, −∞ included', () => {
    for (const r of [partial, ...watermarks])
      expect(decodeRepartitionRecord(encodeRepartitionRecord(r))).toEqual(r);
    const next = rng(7);
    for (let i = 0; i < 500; i++) {
      const r = randomRecord(next);
      expect(decodeRepartitionRecord(encodeRepartitionRecord(r))).toEqual(r);
    }
  });

  it('the decoded accumulator is a copy: it does not pin the record it was read from', () => {
    const bytes = encodeRepartitionRecord(partial);
    const r = decodeRepartitionRecord(bytes);
    bytes.fill(0);
    expect(r).toEqual(partial);
  });

  it('reads format 1 (JSON) as the previous version wrote it: the same records as format 2', () => {
    expect(
      decodeRepartitionRecord(
        Buffer.from(
          '{"formatVersion":1,"type":"partial","upstreamPartition":3,"key":"/home","windowStart":0,' +
            '"windowEnd":60000,"accumulator":"QAAAAAAAAAA/8AAAAAAAAA=="}',
        ),
      ),
    ).toEqual({
      type: 'partial',
      upstreamPartition: 3,
      key: '/home',
      windowStart: 0,
      windowEnd: 60_000,
      accumulator: Buffer.from('40000000000000003ff0000000000000', 'hex'),
    });
    expect(
      decodeRepartitionRecord(
        Buffer.from(
          '{"formatVersion":1,"type":"watermark","upstreamPartition":3,"watermark":null,"idle":false}',
        ),
      ),
    ).toEqual({ type: 'watermark', upstreamPartition: 3, watermark: Number.NEGATIVE_INFINITY, idle: false });
    const next = rng(11);
    for (let i = 0; i < 500; i++) {
      const r = randomRecord(next);
      expect(decodeRepartitionRecord(encodeRepartitionRecordV1(r))).toEqual(
        decodeRepartitionRecord(encodeRepartitionRecord(r)),
      );
    }
  });

  it('rejects garbage, unknown versions and types, bad bounds with TRIB_PROC_REPARTITION_RECORD_INVALID', () => {
    expect(() => decodeRepartitionRecord(null)).toThrow(code);
    expect(() => decodeRepartitionRecord(Buffer.alloc(0))).toThrow(code);
    expect(() => decodeRepartitionRecord(Buffer.from('nope'))).toThrow(code);
    expect(() => decodeRepartitionRecord(Buffer.from('{"formatVersion":2}'))).toThrow(
      /unsupported formatVersion 2/,
    );
    expect(() =>
      decodeRepartitionRecord(Buffer.from('{"formatVersion":1,"type":"x","upstreamPartition":0}')),
    ).toThrow(/unknown type/);
    expect(() =>
      decodeRepartitionRecord(
        Buffer.from(
          '{"formatVersion":1,"type":"partial","upstreamPartition":0,"key":"k","windowStart":5,"windowEnd":5,"accumulator":""}',
        ),
      ),
    ).toThrow(/bad window bounds/);
    const p = encodeRepartitionRecord({ ...partial, windowStart: 5, windowEnd: 5 });
    expect(() => decodeRepartitionRecord(p)).toThrow(/bad window bounds/);
    const t = Buffer.from(encodeRepartitionRecord(partial));
    t[1] = 9;
    expect(() => decodeRepartitionRecord(t)).toThrow(/unknown type 9/);
    const w = encodeRepartitionRecord(watermarks[1]!);
    expect(() => decodeRepartitionRecord(w.subarray(0, 10))).toThrow(/truncated watermark/);
    expect(() => decodeRepartitionRecord(Buffer.concat([w, Buffer.from([0])]))).toThrow(/1 trailing bytes/);
    const nan = Buffer.from(w);
    nan.writeDoubleBE(Number.NaN, 6);
    expect(() => decodeRepartitionRecord(nan)).toThrow(/watermark must be an integer or −∞/);
    const idle = Buffer.from(w);
    idle[14] = 2;
    expect(() => decodeRepartitionRecord(idle)).toThrow(/idle must be 0 or 1/);
  });

  it('any byte string either decodes or throws TRIB_PROC_REPARTITION_RECORD_INVALID (fuzz and mutations)', () => {
    const next = rng(2026);
    const int = (n: number) => Math.floor(next() * n);
    const seeds: Buffer[] = [];
    for (let i = 0; i < 50; i++) {
      const r = randomRecord(next);
      seeds.push(encodeRepartitionRecord(r), encodeRepartitionRecordV1(r));
    }
    let decoded = 0;
    let rejected = 0;
    const check = (bytes: Buffer) => {
      try {
        decodeRepartitionRecord(bytes);
        decoded++;
      } catch (error) {
        expect(error).toMatchObject({ code: CODE });
        rejected++;
      }
    };
    for (let i = 0; i < 20_000; i++) {
      const seed = seeds[int(seeds.length)]!;
      const b = Buffer.from(seed);
      switch (int(5)) {
        case 0: // random bytes, format-2 prefix half the time
          check(
            Buffer.from(Array.from({ length: int(40) }, (_, j) => (j === 0 && next() < 0.5 ? 2 : int(256)))),
          );
          break;
        case 1: // truncated
          check(b.subarray(0, int(b.length)));
          break;
        case 2: // extended
          check(Buffer.concat([b, Buffer.from([int(256)])]));
          break;
        default: // a few bytes flipped
          for (let k = 1 + int(3); k > 0; k--) b[int(b.length)] = int(256);
          check(b);
      }
    }
    expect(decoded).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
