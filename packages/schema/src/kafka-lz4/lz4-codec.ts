import { createRequire } from 'node:module';
import { lz4FrameDecompress, lz4FrameStore } from './lz4-frame.js';

/**
 * The codec shape kafkajs expects in `CompressionCodecs[type]()`: compress the encoder's buffer, decompress a
 * buffer. Declared here so the codec needs no kafkajs import; register it with
 * `CompressionCodecs[CompressionTypes.LZ4] = () => createLz4Codec()`.
 */
export interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/** Which LZ4 implementation a codec uses: the optional native `lz4-napi`, or the pure-JS frame codec. */
export type Lz4Implementation = 'native' | 'js';

/** A Kafka LZ4 codec and the implementation behind it. */
export interface Lz4Codec extends KafkaCodec {
  readonly implementation: Lz4Implementation;
}

interface Lz4Napi {
  compressFrame(data: Uint8Array): Promise<Buffer>;
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
 * An LZ4 codec in the LZ4 frame format Kafka uses: native `lz4-napi` (an optional dependency) when it loads,
 * otherwise the pure-JS frame codec, which decompresses everything and compresses by storing blocks uncompressed.
 * Both read each other's frames.
 *
 * @param prefer - `'js'` forces the pure-JS codec. @defaultValue `'native'`
 */
export function createLz4Codec(prefer: Lz4Implementation = 'native'): Lz4Codec {
  const lz4 = prefer === 'native' ? loadNative() : null;
  if (lz4 !== null) {
    return {
      implementation: 'native',
      compress: (encoder) => lz4.compressFrame(encoder.buffer),
      decompress: (buffer) => lz4.decompressFrame(buffer),
    };
  }
  return {
    implementation: 'js',
    compress: async (encoder) => lz4FrameStore(encoder.buffer),
    decompress: async (buffer) => lz4FrameDecompress(buffer),
  };
}
