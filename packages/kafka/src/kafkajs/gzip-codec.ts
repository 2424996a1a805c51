/**
 * kafkajs 2.2.4's GZIP codec (`protocol/message/compression/gzip.js`) with a cap on the decompressed size: the same
 * `zlib.gzip` / `zlib.unzip` calls, so the same bytes and errors, plus zlib's `maxOutputLength`, which makes zlib stop
 * inflating (and hold no more than the cap) once the output passes it. `installKafkajsPatches` registers it into
 * kafkajs' codec table in place of kafkajs' own, so the cap applies to kafkajs' own record-batch decoder too
 * (`TRIBUTARY_KAFKAJS_DECODING=kafkajs`), which calls `codec.decompress(buffer)`.
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type { KafkaCodec } from '../lz4/lz4-codec.js';
import {
  batchTooLargeError,
  resolveMaxDecompressedBytes,
  type DecompressOptions,
} from './decompression-cap.js';
import { supportedKafkajs } from './module-patch.js';

const gzip = promisify(zlib.gzip);
const unzip = promisify(zlib.unzip) as (buffer: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;

const CAPPED = Symbol.for('tributary.capped-gzip-codec');

/** The GZIP codec and its cap. */
export interface GzipCodec extends KafkaCodec {
  /** The cap when `decompress` is called without one. */
  readonly maxDecompressedBytes: number;
}

export interface GzipCodecOptions {
  /**
   * Cap on the decompressed size of one `decompress` call without `maxDecompressedBytes` of its own.
   * @defaultValue `DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES` (64 MiB)
   */
  maxDecompressedBytes?: number | undefined;
}

/** A kafkajs-shaped GZIP codec whose `decompress` throws `TRIB_KAFKA_BATCH_TOO_LARGE` beyond the cap. */
export function createGzipCodec(options: GzipCodecOptions = {}): GzipCodec {
  const own = resolveMaxDecompressedBytes(options.maxDecompressedBytes);
  return Object.defineProperty(
    {
      maxDecompressedBytes: own,
      compress: (encoder: { buffer: Buffer }) => gzip(encoder.buffer),
      async decompress(buffer: Buffer, decompressOptions?: DecompressOptions): Promise<Buffer> {
        const maxDecompressedBytes = decompressOptions?.maxDecompressedBytes ?? own;
        try {
          return await unzip(buffer, { maxOutputLength: maxDecompressedBytes });
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'ERR_BUFFER_TOO_LARGE') throw error;
          // zlib's RangeError is not kept as the cause (see BatchTooLargeError)
          throw batchTooLargeError({ codec: 'gzip', compressedBytes: buffer.length, maxDecompressedBytes });
        }
      },
    },
    CAPPED,
    { value: true },
  );
}

/**
 * Registers `createGzipCodec({ maxDecompressedBytes })` as kafkajs' GZIP codec when the table holds kafkajs' own
 * (an application's own GZIP codec is left alone). Returns whether a capped GZIP codec is in place — also when an
 * earlier call put it there (that call's cap stays).
 */
export function installGzipCodec(require: NodeJS.Require, maxDecompressedBytes: number): boolean {
  if (!supportedKafkajs(require)) return false;
  try {
    const compression = require('kafkajs/src/protocol/message/compression/index.js') as {
      Types: { GZIP: number };
      Codecs: Record<number, (() => unknown) | undefined>;
    };
    const current = compression.Codecs[compression.Types.GZIP]?.();
    if ((current as Record<symbol, unknown> | undefined)?.[CAPPED] === true) return true;
    if (current !== require('kafkajs/src/protocol/message/compression/gzip.js')) return false;
    const codec = createGzipCodec({ maxDecompressedBytes });
    compression.Codecs[compression.Types.GZIP] = () => codec;
    return true;
  } catch {
    return false;
  }
}
