import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { KafkaErrorCodes } from '../../src/errors.js';
import {
  DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
  LARGEST_MAX_DECOMPRESSED_BATCH_BYTES,
} from '../../src/kafkajs/decompression-cap.js';
import { createGzipCodec } from '../../src/kafkajs/gzip-codec.js';
import { rng } from '../../../../test/helpers/rng.js';
import { gzipBomb } from './decompression-bombs.js';

const require = createRequire(import.meta.url);
const kafkajsGzip = require('kafkajs/src/protocol/message/compression/gzip.js') as {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
};

const MiB = 1024 * 1024;

function text(size: number, seed: number): Buffer {
  const rnd = rng(seed);
  const words = ['/products/', 'CLICK', 'VIEW', 'user-', 'Mozilla/5.0', 'desktop', 'DE', '\u00e9'];
  let out = '';
  while (out.length < size) out += words[Math.floor(rnd() * words.length)]! + Math.floor(rnd() * 1000);
  return Buffer.from(out.slice(0, size));
}

async function outcome(promise: Promise<Buffer>): Promise<string> {
  try {
    return `ok:${(await promise).toString('hex')}`;
  } catch (error) {
    return `error:${(error as Error).message}`;
  }
}

describe('createGzipCodec', () => {
  it("compresses and decompresses exactly as kafkajs' GZIP codec, and gives its errors", async () => {
    const codec = createGzipCodec();
    for (const [i, size] of [0, 1, 100, 70_000, 300_000].entries()) {
      const data = text(size, i + 1);
      const ours = await codec.compress({ buffer: data });
      expect(Buffer.compare(ours, await kafkajsGzip.compress({ buffer: data }))).toBe(0);
      expect(Buffer.compare(await codec.decompress(ours), data)).toBe(0);
      const corrupt = Buffer.from(ours);
      corrupt[Math.floor(corrupt.length / 2)] ^= 0x55;
      for (const input of [corrupt, ours.subarray(0, ours.length - 3), Buffer.from('not gzip')]) {
        expect(await outcome(codec.decompress(input))).toBe(await outcome(kafkajsGzip.decompress(input)));
      }
    }
  });

  it('decompresses up to the cap exactly and throws TRIB_KAFKA_BATCH_TOO_LARGE one byte below it', async () => {
    const data = text(100_000, 7);
    const compressed = gzipSync(data);
    expect(createGzipCodec().maxDecompressedBytes).toBe(DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES);
    const atCap = createGzipCodec({ maxDecompressedBytes: data.length });
    expect(Buffer.compare(await atCap.decompress(compressed), data)).toBe(0);
    const belowCap = createGzipCodec({ maxDecompressedBytes: data.length - 1 });
    await expect(belowCap.decompress(compressed)).rejects.toMatchObject({
      code: KafkaErrorCodes.BATCH_TOO_LARGE,
      codec: 'gzip',
      compressedBytes: compressed.length,
      maxDecompressedBytes: data.length - 1,
      retriable: false,
    });
    // the decoder's cap, passed per call, wins over the codec's own
    expect(
      Buffer.compare(await belowCap.decompress(compressed, { maxDecompressedBytes: data.length }), data),
    ).toBe(0);
  });

  it('stops a 200 MiB gzip bomb at the cap (zlib’s maxOutputLength)', async () => {
    const bomb = await gzipBomb(200 * MiB);
    expect(bomb.length).toBeLessThan(MiB);
    const error = await createGzipCodec({ maxDecompressedBytes: MiB })
      .decompress(bomb)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: KafkaErrorCodes.BATCH_TOO_LARGE, maxDecompressedBytes: MiB });
    // (that zlib stops there, holding no more than the cap, is measured in decompression-cap.test.ts)
    expect((error as Error).message).toMatch(
      /more than 1048576 bytes.*TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES/,
    );
  });

  it('validates maxDecompressedBytes', () => {
    // The largest Buffer is 4 GiB on Node 20 and 2 ** 53 - 1 bytes from Node 22: one past whichever it is.
    for (const bad of [0, -5, 0.5, LARGEST_MAX_DECOMPRESSED_BATCH_BYTES + 1, null]) {
      expect(() => createGzipCodec({ maxDecompressedBytes: bad as number })).toThrow(
        /^TRIB_KAFKA_INVALID_OPTION: maxDecompressedBytes must be an integer number of bytes from 1 to \d+, got /,
      );
    }
  });
});
