import { describe, expect, it } from 'vitest';
import { packBatch, unpackBatch } from '../../src/kafka/batch-transfer.js';
import type { PackableRecord } from '../../src/kafka/batch-transfer.js';

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

describe('packBatch / unpackBatch', () => {
  it('round-trips partitions, keys, values and their order, with no headers sent when none are set', () => {
    const slab = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const records: PackableRecord[] = [
      { partition: 3, key: 'u1', value: slab.subarray(2, 5), headers: undefined },
      { partition: 0, key: 'üser-ß', value: new Uint8Array(0), headers: undefined },
      { partition: 70_000, key: '', value: new Uint8Array(300).fill(7), headers: undefined },
    ];
    const batch = packBatch(records, utf8);
    expect(batch.count).toBe(3);
    expect(batch.headers).toBeUndefined();
    expect(batch.buffer.byteLength).toBe(3 * 10 + 2 + 3 + Buffer.byteLength('üser-ß') + 0 + 300);
    const back = unpackBatch(batch);
    expect(back.map((r) => [r.partition, r.key.toString('utf8'), [...r.value]])).toEqual([
      [3, 'u1', [1, 2, 3]],
      [0, 'üser-ß', []],
      [70_000, '', new Array<number>(300).fill(7)],
    ]);
    // Views into the one buffer, not copies.
    expect(back.every((r) => r.key.buffer === batch.buffer && r.value.buffer === batch.buffer)).toBe(true);
  });

  it('carries headers per record once any record has them', () => {
    const batch = packBatch(
      [
        { partition: 0, key: 'a', value: utf8('x'), headers: { 'trib-intended-ms': '1' } },
        { partition: 1, key: 'b', value: utf8('y'), headers: undefined },
      ],
      utf8,
    );
    expect(unpackBatch(batch).map((r) => r.headers)).toEqual([{ 'trib-intended-ms': '1' }, undefined]);
  });

  it('survives a transfer to another thread (structured clone with the buffer transferred)', () => {
    const batch = packBatch([{ partition: 2, key: 'k', value: utf8('value'), headers: undefined }], utf8);
    const moved = structuredClone(batch, { transfer: [batch.buffer] });
    expect(batch.buffer.byteLength).toBe(0);
    expect(unpackBatch(moved).map((r) => [r.partition, r.value.toString()])).toEqual([[2, 'value']]);
  });

  it('rejects keys longer than 65535 bytes and corrupt buffers', () => {
    expect(() =>
      packBatch([{ partition: 0, key: 'k'.repeat(70_000), value: utf8(''), headers: undefined }], utf8),
    ).toThrow(/record key of 70000 bytes exceeds 65535/);
    const batch = packBatch([{ partition: 0, key: 'k', value: utf8('vv'), headers: undefined }], utf8);
    expect(() => unpackBatch({ ...batch, buffer: batch.buffer.slice(0, 12) })).toThrow(/truncated/);
    expect(() => unpackBatch({ ...batch, count: 2 })).toThrow(/truncated/);
    expect(() => unpackBatch({ ...batch, count: 0 })).toThrow(/trailing bytes/);
  });
});
