// First: kafkajs' producer picks up the linear per-partition grouping when it loads (see the module).
import './kafkajs-linear-grouping.js';
import type { KafkaCodec, Lz4Implementation } from '@tributary/schema';
import kafkajs from 'kafkajs';
import type { CompressionTypes } from 'kafkajs';
import { ProducerError, ProducerErrorCodes } from '../errors.js';
import { createBlockFrameLz4Codec } from './lz4-block-frame.js';

// kafkajs is CommonJS: Node's ESM loader exposes it as a default export only.
const { CompressionCodecs, CompressionTypes: Types } = kafkajs;

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

let registered: Lz4Implementation | undefined;

/** Registers the LZ4 codec into kafkajs (process-wide, idempotent). Returns the implementation in use. */
export function registerLz4Codec(prefer: Lz4Implementation = 'native'): Lz4Implementation {
  if (registered === undefined || registered !== prefer) {
    const codec = createBlockFrameLz4Codec(prefer);
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
