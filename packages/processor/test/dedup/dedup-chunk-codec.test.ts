import { describe, expect, it } from 'vitest';
import { decodeDedupChunk, encodeDedupChunk } from '../../src/dedup/dedup-chunk-codec.js';

describe('dedup chunk codec', () => {
  it('round-trips ids (UTF-8), first timestamps and offsets', () => {
    const items = [
      { id: 'e-1', t: 1_700_000_000_123, o: 0 },
      { id: 'ünïcode-✓', t: -5, o: 9_007_199_254_740_991 },
      { id: '', t: 0, o: 42 },
    ];
    const b = encodeDedupChunk(items);
    expect(b.length).toBe(5 + 3 * 20 + Buffer.byteLength('e-1') + Buffer.byteLength('ünïcode-✓'));
    expect(decodeDedupChunk('key', b)).toEqual(items);
    expect(decodeDedupChunk('key', encodeDedupChunk([]))).toEqual([]);
  });

  it('reads a legacy 16-byte single-id entry, the id being the key', () => {
    const legacy = Buffer.alloc(16);
    legacy.writeDoubleBE(1234, 0);
    legacy.writeDoubleBE(77, 8);
    expect(decodeDedupChunk('old-id', legacy)).toEqual([{ id: 'old-id', t: 1234, o: 77 }]);
  });

  it('rejects unknown versions, truncation and trailing bytes', () => {
    const b = encodeDedupChunk([{ id: 'abc', t: 1, o: 2 }]);
    expect(() => decodeDedupChunk('k', Buffer.from([9, 0, 0, 0, 0]))).toThrow(/unknown format/);
    expect(() => decodeDedupChunk('k', b.subarray(0, b.length - 1))).toThrow(/truncated/);
    expect(() => decodeDedupChunk('k', Buffer.concat([b, Buffer.from([0])]))).toThrow(/trailing/);
  });
});
