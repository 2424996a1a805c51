import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KafkaErrorCodes } from '../../src/errors.js';
import {
  DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
  LARGEST_MAX_DECOMPRESSED_BATCH_BYTES,
  MAX_DECOMPRESSED_BATCH_BYTES_ENV,
  batchTooLargeError,
  maxDecompressedBatchBytesFromEnv,
} from '../../src/kafkajs/decompression-cap.js';
import { installKafkajsPatches } from '../../src/kafkajs/patches.js';
import { gzipBomb, lz4Bomb } from './decompression-bombs.js';

const MiB = 1024 * 1024;
const ENV = MAX_DECOMPRESSED_BATCH_BYTES_ENV;

describe('the cap from TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES', () => {
  it('is 64 MiB when unset or empty, else the number of bytes given', () => {
    expect(DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES).toBe(64 * MiB);
    expect(maxDecompressedBatchBytesFromEnv({})).toBe(64 * MiB);
    expect(maxDecompressedBatchBytesFromEnv({ [ENV]: '' })).toBe(64 * MiB);
    expect(maxDecompressedBatchBytesFromEnv({ [ENV]: ' 268435456 ' })).toBe(256 * MiB);
    expect(maxDecompressedBatchBytesFromEnv({ [ENV]: '1' })).toBe(1);
    expect(maxDecompressedBatchBytesFromEnv({ [ENV]: String(LARGEST_MAX_DECOMPRESSED_BATCH_BYTES) })).toBe(
      LARGEST_MAX_DECOMPRESSED_BATCH_BYTES,
    );
  });

  it('rejects anything else with TRIB_KAFKA_INVALID_OPTION naming the variable, before installing anything', () => {
    for (const [value, got] of [
      ['64MB', 'string "64MB"'],
      ['0', 'number 0'],
      ['-1', 'string "-1"'],
      ['1e6', 'string "1e6"'],
      ['1.5', 'string "1.5"'],
      [
        String(LARGEST_MAX_DECOMPRESSED_BATCH_BYTES + 1),
        `number ${LARGEST_MAX_DECOMPRESSED_BATCH_BYTES + 1}`,
      ],
    ]) {
      const message =
        `TRIB_KAFKA_INVALID_OPTION: TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES must be an integer number of ` +
        `bytes from 1 to ${LARGEST_MAX_DECOMPRESSED_BATCH_BYTES}, got ${got}`;
      expect(() => maxDecompressedBatchBytesFromEnv({ [ENV]: value })).toThrow(message);
      // throws before the first patch: nothing in this process' kafkajs changes
      expect(() => installKafkajsPatches(createRequire(import.meta.url), { [ENV]: value })).toThrow(
        expect.objectContaining({ code: KafkaErrorCodes.INVALID_OPTION, message }),
      );
    }
  });

  it('says how to raise the cap and how to skip the batch; without offsets when a codec alone throws', () => {
    const error = batchTooLargeError({ codec: 'lz4', compressedBytes: 5, maxDecompressedBytes: 9 });
    expect(error).toMatchObject({
      code: KafkaErrorCodes.BATCH_TOO_LARGE,
      retriable: false,
      name: 'BatchTooLargeError',
    });
    expect(error.message).toBe(
      'TRIB_KAFKA_BATCH_TOO_LARGE: a lz4-compressed record batch (5 bytes compressed) decompresses to more than 9 ' +
        "bytes, the cap on a fetched batch's decompressed size; if such batches are " +
        'legitimate, raise TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES (bytes, default 67108864), otherwise skip ' +
        'the batch by moving the consumer group past it',
    );
    expect('firstOffset' in error).toBe(false);
  });
});

// Through the built package in fresh processes, as the processor and the es-sink install it (the module cache is
// per process): a bomb batch goes through whichever record-batch decoder kafkajs' fetch would use, and the process'
// peak RSS (getrusage's maxrss) is compared before and after. The bombs expand to 200–256 MiB.
const KAFKA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'index.js');

interface Outcome {
  /** Whether the project's record-batch decoder is in place, and the cap of kafkajs' GZIP codec (ours). */
  patches: { recordBatchDecoder: boolean; gzipCodecCap?: number };
  records?: number;
  /** What kafkajs' consumer would crash with: the retrier's error, its cause, and whether it would restart. */
  crash?: {
    name: string;
    message: string;
    cause: { code?: string; maxDecompressedBytes?: number; firstOffset?: string; lastOffset?: string };
    restart: boolean;
  };
  rssGrowth: number;
}

/**
 * Decodes `batch` in a fresh process as kafkajs' consumer does: kafkajs' record-batch decoder module (ours once
 * installed) inside kafkajs' retrier (the consumer's runner wraps its fetches in one; what it rejects with is the
 * crash's error, and the consumer restarts only when the innermost cause is retriable).
 */
function decodeInFreshProcess(batch: Buffer, env: NodeJS.ProcessEnv, install = true): Outcome {
  const script =
    `const kafka = await import(${JSON.stringify(KAFKA)});` +
    `const { createRequire } = await import('node:module');` +
    `const require = createRequire(${JSON.stringify(KAFKA)});` +
    `const patches = ${install ? '(kafka.loadKafkajs(), kafka.kafkajsPatches())' : 'null'};` +
    // as registerLz4Codec
    `require('kafkajs').CompressionCodecs[3] = () => kafka.createLz4Codec();` +
    `const Decoder = require('kafkajs/src/protocol/decoder.js');` +
    `const decode = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');` +
    `const retrier = require('kafkajs/src/retry/index.js')({ retries: 2, initialRetryTime: 1 });` +
    `const batch = require('node:fs').readFileSync(0);` +
    `const before = process.resourceUsage().maxRSS;` +
    `let records, crash;` +
    `try { records = (await retrier(() => decode(new Decoder(batch)))).records.length; } catch (e) {` +
    ` let original = e; while (original.cause) original = original.cause;` +
    ` const { code, maxDecompressedBytes, firstOffset, lastOffset } = e.cause ?? {};` +
    ` crash = { name: e.name, message: e.message, cause: { code, maxDecompressedBytes, firstOffset, lastOffset },` +
    ` restart: original.retriable === true }; }` +
    `const rssGrowth = (process.resourceUsage().maxRSS - before) * 1024;` +
    `const gzipCodecCap = require('kafkajs').CompressionCodecs[1]().maxDecompressedBytes;` +
    `console.log(JSON.stringify({ patches: patches && { recordBatchDecoder: patches.fetchDecoding.recordBatchDecoder,` +
    ` gzipCodecCap }, records, crash, rssGrowth }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TRIBUTARY_KAFKAJS_DECODING: '', [ENV]: '', ...env },
    input: batch,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim()) as Outcome;
}

/** A batch of kafkajs' encoder (3 records at offset 500) whose compressed records are `payload`. */
async function bombBatch(codec: number, payload: Buffer): Promise<Buffer> {
  const require = createRequire(import.meta.url);
  const compression = require('kafkajs/src/protocol/message/compression/index.js') as {
    Codecs: Record<number, () => unknown>;
  };
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
    RecordBatch: (args: object) => Promise<{ buffer: Buffer }>;
  };
  const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (args: object) => object;
  const Long = require('kafkajs/src/utils/long.js') as { fromValue(v: number): unknown };
  const registered = compression.Codecs[codec]!;
  compression.Codecs[codec] = () => ({ compress: async () => payload });
  try {
    const records = [0, 1, 2].map((i) =>
      Record({ offsetDelta: i, timestampDelta: 0, value: Buffer.from('x') }),
    );
    const batch = await RecordBatch({
      compression: codec,
      firstOffset: Long.fromValue(500),
      firstTimestamp: 1_763_800_000_000,
      maxTimestamp: 1_763_800_000_000,
      lastOffsetDelta: 2,
      records,
    });
    return Buffer.from(batch.buffer);
  } finally {
    compression.Codecs[codec] = registered;
  }
}

describe('installKafkajsPatches: decompression bombs in a fresh process', () => {
  const ROOM = 100 * MiB; // half the smallest bomb: an uncapped decode grows the peak RSS by its whole size
  const crash = (cause: Record<string, unknown>) => ({
    name: 'KafkaJSNonRetriableError',
    message: expect.stringMatching(/^TRIB_KAFKA_BATCH_TOO_LARGE: /),
    cause: { code: KafkaErrorCodes.BATCH_TOO_LARGE, ...cause },
    restart: false,
  });

  it('a gzip bomb (200 MiB of zeros) crashes the consumer with TRIB_KAFKA_BATCH_TOO_LARGE at the cap from the environment', async () => {
    const batch = await bombBatch(1, await gzipBomb(200 * MiB));
    const outcome = decodeInFreshProcess(batch, { [ENV]: String(8 * MiB) });
    expect(outcome).toMatchObject({
      patches: { recordBatchDecoder: true, gzipCodecCap: 8 * MiB },
      crash: crash({ maxDecompressedBytes: 8 * MiB, firstOffset: '500', lastOffset: '502' }),
    });
    expect(outcome.crash?.message).toMatch(/record batch at offsets 500\.\.502 .* more than 8388608 bytes/);
    // zlib stopped inflating at the cap
    expect(outcome.rssGrowth).toBeLessThan(ROOM);

    // with kafkajs' own record-batch decoder the capped GZIP codec still stops it (no offsets then)
    const own = decodeInFreshProcess(batch, {
      [ENV]: String(8 * MiB),
      TRIBUTARY_KAFKAJS_DECODING: 'kafkajs',
    });
    expect(own).toMatchObject({
      patches: { recordBatchDecoder: false, gzipCodecCap: 8 * MiB },
      crash: crash({ maxDecompressedBytes: 8 * MiB }),
    });
    expect(own.crash?.cause.firstOffset).toBeUndefined();
    expect(own.rssGrowth).toBeLessThan(ROOM);

    // the measurement's control: kafkajs as shipped inflates the whole bomb (then fails to read records of zeros)
    const unpatched = decodeInFreshProcess(batch, {}, false);
    expect(unpatched.crash?.cause.code).not.toBe(KafkaErrorCodes.BATCH_TOO_LARGE);
    expect(unpatched.rssGrowth).toBeGreaterThan(150 * MiB);
  });

  it('an LZ4 bomb (256 MiB of zeros) crashes the consumer before lz4-napi allocates anything', async () => {
    const batch = await bombBatch(3, lz4Bomb(256 * MiB));
    const outcome = decodeInFreshProcess(batch, { [ENV]: String(8 * MiB) });
    expect(outcome).toMatchObject({
      patches: { recordBatchDecoder: true, gzipCodecCap: 8 * MiB },
      crash: crash({ maxDecompressedBytes: 8 * MiB, firstOffset: '500', lastOffset: '502' }),
    });
    expect(outcome.rssGrowth).toBeLessThan(ROOM);

    // kafkajs' own decoder calls decompress(buffer) alone: the LZ4 codec's own cap (64 MiB by default) applies
    const own = decodeInFreshProcess(batch, { TRIBUTARY_KAFKAJS_DECODING: 'kafkajs' });
    expect(own).toMatchObject({
      patches: { recordBatchDecoder: false, gzipCodecCap: 64 * MiB },
      crash: crash({ maxDecompressedBytes: 64 * MiB }),
    });
    expect(own.rssGrowth).toBeLessThan(ROOM);
  });
});
