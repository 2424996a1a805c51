import { describe, expect, it } from 'vitest';
import { decodeRepartitionRecord, encodeRepartitionRecord } from '../../src/engine/repartition-format.js';

describe('repartition record format v1', () => {
  it('round-trips partial and watermark records (−∞ as null)', () => {
    const partial = {
      type: 'partial' as const,
      upstreamPartition: 2,
      key: '/home',
      windowStart: 0,
      windowEnd: 60_000,
      accumulator: Buffer.from([1, 2, 3]),
    };
    expect(decodeRepartitionRecord(encodeRepartitionRecord(partial))).toEqual(partial);
    const wm = {
      type: 'watermark' as const,
      upstreamPartition: 0,
      watermark: Number.NEGATIVE_INFINITY,
      idle: true,
    };
    const bytes = encodeRepartitionRecord(wm);
    expect(JSON.parse(bytes.toString())).toEqual({
      formatVersion: 1,
      type: 'watermark',
      upstreamPartition: 0,
      watermark: null,
      idle: true,
    });
    expect(decodeRepartitionRecord(bytes)).toEqual(wm);
  });

  it('rejects garbage, unknown versions and types with TRIB_PROC_REPARTITION_RECORD_INVALID', () => {
    const code = expect.objectContaining({ code: 'TRIB_PROC_REPARTITION_RECORD_INVALID' });
    expect(() => decodeRepartitionRecord(null)).toThrow(code);
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
  });
});
