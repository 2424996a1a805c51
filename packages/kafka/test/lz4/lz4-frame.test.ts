import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { KafkaErrorCodes } from '../../src/errors.js';
import {
  lz4FrameDecompress,
  lz4FrameDecompressedSize,
  lz4FrameStore,
  xxhash32,
} from '../../src/lz4/lz4-frame.js';
import { DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES } from '../../src/kafkajs/decompression-cap.js';
import { lz4Bomb } from '../kafkajs/decompression-bombs.js';

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

const MiB = 1024 * 1024;

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the cap on the decompressed size', () => {
  it('measures native frames without decompressing them, and decodes them whole up to the cap', async () => {
    for (const size of [0, 1, 15, 4096, 70_000, 300_000]) {
      const data = sample(size);
      const frame = await lz4.compressFrame(data);
      expect(lz4FrameDecompressedSize(frame)).toBe(size);
      expect(lz4FrameDecompressedSize(lz4FrameStore(data))).toBe(size);
      if (size === 0) continue;
      expect(Buffer.compare(lz4FrameDecompress(frame, size), data)).toBe(0);
      expect(lz4FrameDecompressedSize(frame, size)).toBe(size);
      for (const tooSmall of [
        () => lz4FrameDecompress(frame, size - 1),
        () => lz4FrameDecompressedSize(frame, size - 1),
      ]) {
        expect(caught(tooSmall)).toMatchObject({
          code: KafkaErrorCodes.BATCH_TOO_LARGE,
          codec: 'lz4',
          compressedBytes: frame.length,
          maxDecompressedBytes: size - 1,
        });
      }
    }
  });

  it('defaults to 64 MiB', () => {
    expect(lz4FrameDecompressedSize(lz4Bomb(64 * MiB))).toBe(DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES);
    expect(caught(() => lz4FrameDecompressedSize(lz4Bomb(68 * MiB)))).toMatchObject({
      code: KafkaErrorCodes.BATCH_TOO_LARGE,
      maxDecompressedBytes: DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
    });
  });

  it('the test bomb is a valid LZ4 frame of zeros (native and pure-JS readers agree)', async () => {
    const frame = lz4Bomb(8 * MiB);
    expect(frame.length).toBeLessThan((8 * MiB) / 250);
    const zeros = Buffer.alloc(8 * MiB);
    expect(Buffer.compare(await lz4.decompressFrame(frame), zeros)).toBe(0);
    expect(Buffer.compare(lz4FrameDecompress(frame, 8 * MiB), zeros)).toBe(0);
    const declared = lz4Bomb(8 * MiB, 8 * MiB);
    expect(Buffer.compare(await lz4.decompressFrame(declared), zeros)).toBe(0);
    expect(Buffer.compare(lz4FrameDecompress(declared, 8 * MiB), zeros)).toBe(0);
  });

  it('stops a 256 MiB bomb at a 1 MiB cap in its first block', () => {
    const frame = lz4Bomb(256 * MiB);
    for (const read of [lz4FrameDecompress, lz4FrameDecompressedSize]) {
      expect(caught(() => read(frame, MiB))).toMatchObject({
        code: KafkaErrorCodes.BATCH_TOO_LARGE,
        maxDecompressedBytes: MiB,
      });
    }
  });

  it('rejects a frame declaring a content size beyond the cap before reading its blocks', () => {
    const declared = lz4Bomb(4 * MiB, 2 ** 40);
    // the blocks are cut off: only the declaration can be the reason
    const headerOnly = declared.subarray(0, 4 + 10 + 1 + 4);
    for (const read of [lz4FrameDecompress, lz4FrameDecompressedSize]) {
      expect(caught(() => read(headerOnly, 64 * MiB))).toMatchObject({
        code: KafkaErrorCodes.BATCH_TOO_LARGE,
      });
      expect(() => read(headerOnly.subarray(0, 15), 2 ** 41)).toThrow(/truncated/);
    }
  });

  it('still stops a frame that declares less than it holds', () => {
    const lying = lz4Bomb(16 * MiB, 1024);
    for (const read of [lz4FrameDecompress, lz4FrameDecompressedSize]) {
      expect(caught(() => read(lying, 4 * MiB))).toMatchObject({ code: KafkaErrorCodes.BATCH_TOO_LARGE });
    }
  });
});
