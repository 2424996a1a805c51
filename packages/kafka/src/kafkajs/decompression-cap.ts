/**
 * The cap on the decompressed size of one fetched record batch, a guard against decompression bombs: its default,
 * its environment variable and validation, the options a codec's `decompress` takes, and the error. The record-batch
 * decoder (`record-batch-decoding.ts`) passes it to the codec of every compressed batch; the GZIP codec
 * (`gzip-codec.ts`) and the LZ4 codec (`kafka-lz4/lz4-codec.ts`) stop decompressing at it.
 */
import { constants } from 'node:buffer';
import { describeValue } from '@tributary/schema';
import { BatchTooLargeError, KafkaError, KafkaErrorCodes, type BatchTooLargeDetails } from '../errors.js';

/**
 * The default cap on the decompressed size of one record batch: 64 MiB.
 *
 * kafkajs 2.2.4 decompresses a fetched batch with no limit on the output, so a small batch of zeros (1 MiB of gzip
 * expands to about 1 GiB, 1 MiB of LZ4 to about 255 MiB) is inflated whole and the consumer runs out of memory —
 * and again after every restart, since it fetches the same batch. The broker limits only the *compressed* size of
 * a batch (`max.message.bytes`, 1 MiB by default): a legitimate 1 MiB batch at the 10–30× ratio of text, JSON or
 * Protobuf with repeated strings decompresses to 10–30 MiB, far below the cap. That leaves room for data that
 * compresses better and for a somewhat larger `max.message.bytes`, while no batch can take more than 64 MiB, which
 * every consumer can afford for each batch it decodes.
 */
export const DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES = 64 * 1024 * 1024;

/** The environment variable `installKafkajsPatches` reads the cap from: a number of bytes. */
export const MAX_DECOMPRESSED_BATCH_BYTES_ENV = 'TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES';

/** The largest cap: the largest Buffer Node can allocate (also zlib's bound for `maxOutputLength`). */
export const LARGEST_MAX_DECOMPRESSED_BATCH_BYTES = constants.MAX_LENGTH;

/**
 * The options the project's codecs take as `decompress(buffer, options)`: the record-batch decoder passes its cap;
 * kafkajs' own decoder passes nothing, and the codec's own cap applies.
 */
export interface DecompressOptions {
  /** Stop decompressing and throw `TRIB_KAFKA_BATCH_TOO_LARGE` beyond this many bytes. */
  maxDecompressedBytes?: number | undefined;
}

/** `value` as a cap (`undefined` → the default); anything but an integer from 1 to the largest Buffer throws. */
export function resolveMaxDecompressedBytes(value: unknown, name = 'maxDecompressedBytes'): number {
  if (value === undefined) return DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES;
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < 1 ||
    value > LARGEST_MAX_DECOMPRESSED_BATCH_BYTES
  ) {
    throw new KafkaError(
      KafkaErrorCodes.INVALID_OPTION,
      `${name} must be an integer number of bytes from 1 to ${LARGEST_MAX_DECOMPRESSED_BATCH_BYTES}, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** The cap `TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES` sets (unset or empty: the default); throws on a bad value. */
export function maxDecompressedBatchBytesFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env[MAX_DECOMPRESSED_BATCH_BYTES_ENV]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES;
  return resolveMaxDecompressedBytes(/^\d+$/.test(raw) ? Number(raw) : raw, MAX_DECOMPRESSED_BATCH_BYTES_ENV);
}

/**
 * The `TRIB_KAFKA_BATCH_TOO_LARGE` error: which batch (its offsets when known), the cap, how to raise it and how
 * to skip the batch.
 */
export function batchTooLargeError(details: BatchTooLargeDetails): BatchTooLargeError {
  const { codec, compressedBytes, maxDecompressedBytes, firstOffset, lastOffset } = details;
  const batch =
    firstOffset === undefined || lastOffset === undefined
      ? `a ${codec}-compressed record batch`
      : `the ${codec}-compressed record batch at offsets ${firstOffset}..${lastOffset}`;
  const skip =
    lastOffset === undefined
      ? 'skip the batch by moving the consumer group past it'
      : `skip the batch by setting the consumer group's offset for its partition to ${BigInt(lastOffset) + 1n}`;
  const reason =
    `${batch} (${compressedBytes} bytes compressed) decompresses to more than ${maxDecompressedBytes} bytes, the cap ` +
    `on a fetched batch's decompressed size; if such batches are legitimate, raise ` +
    `${MAX_DECOMPRESSED_BATCH_BYTES_ENV} (bytes, default ${DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES}), otherwise ${skip}`;
  return new BatchTooLargeError(reason, details);
}

/** True for a `TRIB_KAFKA_BATCH_TOO_LARGE` error (by code, so also from another copy of this package). */
export function isBatchTooLarge(error: unknown): error is BatchTooLargeError {
  return (error as { code?: unknown } | null)?.code === KafkaErrorCodes.BATCH_TOO_LARGE;
}
