import { createRequire } from 'node:module';
import { resolveMaxDecompressedBytes, type DecompressOptions } from '../kafkajs/decompression-cap.js';
import { lz4BlockFrame, type Lz4BlockCompressor } from './lz4-block-frame.js';
import { lz4FrameDecompress, lz4FrameDecompressedSize, lz4FrameStore } from './lz4-frame.js';

/**
 * The codec shape kafkajs expects in `CompressionCodecs[type]()`: compress the encoder's buffer, decompress a
 * buffer. Declared here so the codec needs no kafkajs import; register it with
 * `CompressionCodecs[CompressionTypes.LZ4] = () => createLz4Codec()`. The project's record-batch decoder passes
 * `{ maxDecompressedBytes }` as a second argument, which the project's codecs honour (kafkajs' own decoder passes
 * none: the codec's own cap applies).
 */
export interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer, options?: DecompressOptions): Promise<Buffer>;
}

/** Which LZ4 implementation a codec uses: the optional native `lz4-napi`, or the pure-JS frame codec. */
export type Lz4Implementation = 'native' | 'js';

/** A Kafka LZ4 codec and the implementation behind it. */
export interface Lz4Codec extends KafkaCodec {
  readonly implementation: Lz4Implementation;
  /** The cap on the decompressed size when `decompress` is called without one (`createLz4Codec` sets it). */
  readonly maxDecompressedBytes?: number;
}

export interface Lz4CodecOptions {
  /**
   * Cap on the decompressed size of one `decompress` call without `maxDecompressedBytes` of its own: beyond it,
   * `TRIB_KAFKA_BATCH_TOO_LARGE`, thrown before the output is allocated.
   * @defaultValue `DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES` (64 MiB)
   */
  maxDecompressedBytes?: number | undefined;
}

/**
 * LZ4 output is at most 255 times its input (a sequence of n match-length bytes of 255 yields under 255·(n + 3)
 * bytes; literals and stored blocks no more than they take): a frame this much smaller than the cap cannot pass it.
 */
const LZ4_MAX_EXPANSION = 255;

interface Lz4Napi extends Lz4BlockCompressor {
  decompressFrame(data: Uint8Array): Promise<Buffer>;
}

let native: Lz4Napi | null | undefined;

function loadNative(): Lz4Napi | null {
  if (native === undefined) {
    try {
      native = createRequire(import.meta.url)('lz4-napi') as Lz4Napi;
    } catch {
      native = null;
    }
  }
  return native;
}

/**
 * An LZ4 codec in the LZ4 frame format Kafka uses: native `lz4-napi` (an optional dependency) when it loads —
 * compressing 64 KiB blocks in parallel on the thread pool (`lz4BlockFrame`) — otherwise the pure-JS frame codec, which decompresses everything and compresses by storing blocks uncompressed.
 * Both read each other's frames. Decompressing beyond the cap throws `TRIB_KAFKA_BATCH_TOO_LARGE` before the output
 * is allocated: the pure-JS codec checks while it decodes; lz4-napi has no output limit, so a frame that could pass
 * the cap (larger than 1/255 of it) is measured first by reading its sequence lengths (`lz4FrameDecompressedSize`).
 *
 * @param prefer - `'js'` forces the pure-JS codec. @defaultValue `'native'`
 */
export function createLz4Codec(
  prefer: Lz4Implementation = 'native',
  options: Lz4CodecOptions = {},
): Lz4Codec {
  const own = resolveMaxDecompressedBytes(options.maxDecompressedBytes);
  const lz4 = prefer === 'native' ? loadNative() : null;
  if (lz4 !== null) {
    return {
      implementation: 'native',
      maxDecompressedBytes: own,
      compress: (encoder) => lz4BlockFrame(encoder.buffer, lz4),
      decompress: async (buffer, decompressOptions) => {
        const max = decompressOptions?.maxDecompressedBytes ?? own;
        if (buffer.length > max / LZ4_MAX_EXPANSION) lz4FrameDecompressedSize(buffer, max);
        return lz4.decompressFrame(buffer);
      },
    };
  }
  return {
    implementation: 'js',
    maxDecompressedBytes: own,
    compress: async (encoder) => lz4FrameStore(encoder.buffer),
    decompress: async (buffer, decompressOptions) =>
      lz4FrameDecompress(buffer, decompressOptions?.maxDecompressedBytes ?? own),
  };
}
