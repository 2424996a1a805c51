import { describe, expect, it } from 'vitest';
import { decodeJoinRecord, encodeJoinRecord, type JoinRecord } from '../../src/engine/join-record-format.js';
import { encodeRepartitionRecord } from '../../src/engine/repartition-format.js';

const event: JoinRecord = {
  type: 'event',
  side: 'right',
  upstreamPartition: 2,
  partitionCount: 4,
  joinKey: 'user-ü',
  eventTime: 1_700_000_000_123,
  source: {
    topic: 'orders',
    offset: 42,
    timestamp: 1_700_000_000_200,
    key: Buffer.from('k'),
    value: Buffer.from('{"amount":3}'),
    headers: { 'content-type': 'json', __proto__: 'odd' } as Record<string, string>,
  },
};

describe('join record format', () => {
  it('round-trips an event with its source record, null key and value included', () => {
    expect(decodeJoinRecord(encodeJoinRecord(event))).toEqual(event);
    const bare: JoinRecord = { ...event, source: { ...event.source, key: null, value: null, headers: {} } };
    expect(decodeJoinRecord(encodeJoinRecord(bare))).toEqual(bare);
  });

  it('keeps a header named __proto__ as a header', () => {
    const headers = Object.create(null) as Record<string, string>;
    headers['__proto__'] = 'x';
    const decoded = decodeJoinRecord(encodeJoinRecord({ ...event, source: { ...event.source, headers } }));
    expect(decoded.type === 'event' && Object.entries(decoded.source.headers)).toEqual([['__proto__', 'x']]);
  });

  it('round-trips a watermark, −∞ included', () => {
    for (const watermark of [Number.NEGATIVE_INFINITY, 0, 1_700_000_000_000]) {
      const w: JoinRecord = {
        type: 'watermark',
        side: 'left',
        upstreamPartition: 0,
        partitionCount: 1,
        watermark,
      };
      expect(decodeJoinRecord(encodeJoinRecord(w))).toEqual(w);
    }
  });

  it('rejects what is not a join record with TRIB_PROC_REPARTITION_RECORD_INVALID', () => {
    const partial = encodeRepartitionRecord({
      type: 'watermark',
      upstreamPartition: 0,
      watermark: 1,
      idle: false,
    });
    const good = encodeJoinRecord(event);
    const badSide = Buffer.from(good);
    badSide[2] = 2;
    const badUpstream = encodeJoinRecord({ ...event, upstreamPartition: 4 });
    for (const bytes of [
      null,
      Buffer.alloc(0),
      partial,
      good.subarray(0, 30),
      badSide,
      badUpstream,
      Buffer.from('{}'),
    ]) {
      expect(() => decodeJoinRecord(bytes)).toThrow(
        expect.objectContaining({ code: 'TRIB_PROC_REPARTITION_RECORD_INVALID' }),
      );
    }
  });
});
