import { describe, expect, it } from 'vitest';
import { KafkaErrorCodes } from '../../src/errors.js';
import { createLz4Codec } from '../../src/lz4/lz4-codec.js';
import { DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES } from '../../src/kafkajs/decompression-cap.js';
import { lz4Bomb } from '../kafkajs/decompression-bombs.js';

const data = Buffer.from('/products/42 CLICK desktop DE '.repeat(5000));

describe('createLz4Codec', () => {
  it('uses lz4-napi when it loads, and the pure-JS codec on request', () => {
    expect(createLz4Codec().implementation).toBe('native');
    expect(createLz4Codec('native').implementation).toBe('native');
    expect(createLz4Codec('js').implementation).toBe('js');
  });

  it('round-trips through each implementation', async () => {
    for (const codec of [createLz4Codec('native'), createLz4Codec('js')]) {
      const frame = await codec.compress({ buffer: data });
      expect(Buffer.compare(await codec.decompress(frame), data)).toBe(0);
    }
  });

  it('reads frames written by the other implementation', async () => {
    const native = createLz4Codec('native');
    const js = createLz4Codec('js');
    const compressed = await native.compress({ buffer: data });
    expect(compressed.length).toBeLessThan(data.length / 10);
    expect(Buffer.compare(await js.decompress(compressed), data)).toBe(0);
    const stored = await js.compress({ buffer: data });
    expect(Buffer.compare(await native.decompress(stored), data)).toBe(0);
  });
});

describe('createLz4Codec: the cap on the decompressed size', () => {
  const MiB = 1024 * 1024;

  it('defaults to 64 MiB and takes maxDecompressedBytes, validated', () => {
    expect(createLz4Codec().maxDecompressedBytes).toBe(DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES);
    expect(createLz4Codec('js', { maxDecompressedBytes: 1000 }).maxDecompressedBytes).toBe(1000);
    for (const bad of [0, -1, 1.5, 2 ** 53, '1000', Number.NaN]) {
      expect(() => createLz4Codec('native', { maxDecompressedBytes: bad as number })).toThrow(
        expect.objectContaining({
          code: KafkaErrorCodes.INVALID_OPTION,
          message: expect.stringMatching(
            /^TRIB_KAFKA_INVALID_OPTION: maxDecompressedBytes must be an integer/,
          ),
        }),
      );
    }
  });

  it('decompresses up to the cap exactly, in both implementations, and throws one byte below it', async () => {
    const frame = await createLz4Codec('native').compress({ buffer: data });
    // larger than 1/255 of the cap: the native codec measures the frame before lz4-napi decompresses it
    expect(frame.length).toBeGreaterThan(data.length / 255);
    for (const prefer of ['native', 'js'] as const) {
      const atCap = createLz4Codec(prefer, { maxDecompressedBytes: data.length });
      expect(Buffer.compare(await atCap.decompress(frame), data)).toBe(0);
      const belowCap = createLz4Codec(prefer, { maxDecompressedBytes: data.length - 1 });
      await expect(belowCap.decompress(frame)).rejects.toMatchObject({
        code: KafkaErrorCodes.BATCH_TOO_LARGE,
        codec: 'lz4',
        maxDecompressedBytes: data.length - 1,
      });
      // the decoder's cap, passed per call, wins over the codec's own
      expect(
        Buffer.compare(await belowCap.decompress(frame, { maxDecompressedBytes: data.length }), data),
      ).toBe(0);
      await expect(atCap.decompress(frame, { maxDecompressedBytes: 100 })).rejects.toMatchObject({
        code: KafkaErrorCodes.BATCH_TOO_LARGE,
        maxDecompressedBytes: 100,
      });
    }
  });

  it('rejects a 256 MiB bomb at the default cap in both implementations', async () => {
    const bomb = lz4Bomb(256 * MiB);
    for (const prefer of ['native', 'js'] as const) {
      await expect(createLz4Codec(prefer).decompress(bomb)).rejects.toMatchObject({
        code: KafkaErrorCodes.BATCH_TOO_LARGE,
        maxDecompressedBytes: DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
        compressedBytes: bomb.length,
      });
    }
  });
});
