import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import type { CompressionTypes } from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader exposes it as a default export only.
const { CompressionCodecs, CompressionTypes: Types } = kafkajs;
import { ProducerError, ProducerErrorCodes } from '../errors.js';
import { lz4FrameDecompress, lz4FrameStore } from './lz4-frame.js';

/** Compression codecs selectable by name. */
export const Compressions = {
  NONE: 'none',
  GZIP: 'gzip',
  LZ4: 'lz4',
  SNAPPY: 'snappy',
  ZSTD: 'zstd',
} as const;
export type Compression = (typeof Compressions)[keyof typeof Compressions];
export const COMPRESSIONS: readonly Compression[] = Object.values(Compressions);

/** The kafkajs codec shape: compress the encoder's buffer, decompress a buffer. */
export interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

export type Lz4Implementation = 'native' | 'js';

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
 * An LZ4 codec in the LZ4 frame format Kafka uses: native `lz4-napi` when it loads, otherwise the pure-JS frame codec
 * (decompresses everything, compresses by storing blocks uncompressed).
 */
export function createLz4Codec(
  prefer: Lz4Implementation = 'native',
): KafkaCodec & { implementation: Lz4Implementation } {
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

let registered: Lz4Implementation | undefined;

/** Registers the LZ4 codec into kafkajs (process-wide, idempotent). Returns the implementation in use. */
export function registerLz4Codec(prefer: Lz4Implementation = 'native'): Lz4Implementation {
  if (registered === undefined || registered !== prefer) {
    const codec = createLz4Codec(prefer);
    (CompressionCodecs as Record<number, () => KafkaCodec>)[Types.LZ4] = () => codec;
    registered = codec.implementation;
  }
  return registered;
}

/** Maps a compression name to kafkajs' type, registering what is needed; unsupported codecs fail with a fix. */
export function resolveCompression(name: Compression): CompressionTypes {
  switch (name) {
    case Compressions.NONE:
      return Types.None;
    case Compressions.GZIP:
      return Types.GZIP;
    case Compressions.LZ4:
      registerLz4Codec();
      return Types.LZ4;
    case Compressions.SNAPPY:
      throw new ProducerError(
        ProducerErrorCodes.UNSUPPORTED_COMPRESSION,
        'compression "snappy" needs a kafkajs codec: install kafkajs-snappy and register it in ' +
          'CompressionCodecs[CompressionTypes.Snappy] before starting, or use lz4 or gzip',
      );
    case Compressions.ZSTD:
      throw new ProducerError(
        ProducerErrorCodes.UNSUPPORTED_COMPRESSION,
        'compression "zstd" needs a kafkajs codec: install @kafkajs/zstd and register it in ' +
          'CompressionCodecs[CompressionTypes.ZSTD] before starting, or use lz4 or gzip',
      );
  }
}
