import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { lz4FrameDecompress, lz4FrameStore, xxhash32 } from '../../src/kafka-lz4/lz4-frame.js';

const lz4 = createRequire(import.meta.url)('lz4-napi') as {
  compressFrame(d: Uint8Array): Promise<Buffer>;
  decompressFrame(d: Uint8Array): Promise<Buffer>;
};

/** A deterministic 32-bit LCG in [0, n): enough to make clickstream-like, partly compressible text. */
function lcg(seed: number): (n: number) => number {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return Math.floor((x / 4294967296) * n);
  };
}

function sample(size: number): Buffer {
  const int = lcg(size);
  const words = ['/products/', 'CLICK', 'VIEW', 'u000', 'Chrome/126', 'desktop', 'DE'];
  const parts: string[] = [];
  let len = 0;
  while (len < size) {
    const w = int(10) === 0 ? String(int(1e6)) : words[int(words.length)]!;
    parts.push(w);
    len += w.length;
  }
  return Buffer.from(parts.join('').slice(0, size));
}

describe('xxhash32', () => {
  it('matches the reference values', () => {
    expect(xxhash32(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(xxhash32(Buffer.from('a'))).toBe(0x550d7456);
    expect(xxhash32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxhash32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });
});

describe('pure-JS LZ4 frames', () => {
  it('decompresses frames made by the native codec (sizes across block boundaries)', async () => {
    for (const size of [0, 1, 15, 100, 4096, 70_000, 300_000]) {
      const data = sample(size);
      const frame = await lz4.compressFrame(data);
      // The header checksum byte is xxhash32 of the descriptor: our hash agrees with lz4's.
      expect(frame[6]).toBe((xxhash32(frame.subarray(4, 6)) >>> 8) & 0xff);
      expect(Buffer.compare(lz4FrameDecompress(frame), data)).toBe(0);
    }
  });

  it('writes stored-block frames the native codec reads back', async () => {
    for (const size of [0, 1, 65_536, 65_537, 200_000]) {
      const data = sample(size);
      const frame = lz4FrameStore(data);
      expect(Buffer.compare(await lz4.decompressFrame(frame), data)).toBe(0);
      expect(Buffer.compare(lz4FrameDecompress(frame), data)).toBe(0);
    }
  });

  it('rejects garbage', () => {
    expect(() => lz4FrameDecompress(Buffer.from('not a frame at all'))).toThrow(/bad magic/);
    const frame = lz4FrameStore(sample(1000));
    expect(() => lz4FrameDecompress(frame.subarray(0, 100))).toThrow(/truncated/);
  });
});
