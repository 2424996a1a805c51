/**
 * kafkajs' process-wide compression codec table: the LZ4 codec kafkajs lacks (the producer writes LZ4 by default,
 * so every consumer must read it). The GZIP codec with its decompression cap is one of the kafkajs fixes.
 */
import { loadKafkajs } from './kafkajs/kafkajs-module.js';
import { createLz4Codec, type KafkaCodec, type Lz4Codec, type Lz4Implementation } from './lz4/lz4-codec.js';

/** kafkajs' compression types (its `CompressionTypes` enum), without loading kafkajs. */
export const KafkaCompressionType = { None: 0, GZIP: 1, Snappy: 2, LZ4: 3, ZSTD: 4 } as const;

let registered: { prefer: Lz4Implementation; entry: () => Lz4Codec } | undefined;

/**
 * Registers the LZ4 codec (`createLz4Codec(prefer)`) into kafkajs' codec table, unless it is there already (also
 * after something else replaced or removed it). Without `prefer`, the implementation registered last is kept (the
 * native one when none was): a client or a compression choice never overrides an explicit `registerLz4Codec('js')`.
 * Returns the implementation in use (`'js'` when the native lz4-napi does not load).
 */
export function registerLz4Codec(prefer?: Lz4Implementation): Lz4Implementation {
  const { CompressionCodecs, CompressionTypes } = loadKafkajs();
  const table = CompressionCodecs as Record<number, (() => KafkaCodec) | undefined>;
  const wanted = prefer ?? registered?.prefer ?? 'native';
  if (registered === undefined || registered.prefer !== wanted) {
    const codec = createLz4Codec(wanted);
    registered = { prefer: wanted, entry: () => codec };
  }
  if (table[CompressionTypes.LZ4] !== registered.entry) table[CompressionTypes.LZ4] = registered.entry;
  return registered.entry().implementation;
}
