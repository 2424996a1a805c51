import { KafkaCompressionType as Types, registerLz4Codec } from '@tributary/kafka';
import { ProducerError, ProducerErrorCodes } from '../errors.js';

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

/** Maps a compression name to kafkajs' type, registering what is needed; unsupported codecs fail with a fix. */
export function resolveCompression(name: Compression): number {
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
