import { createLz4Codec } from '@tributary/schema';
import kafkajs from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader exposes it as a default export only.
const { CompressionCodecs, CompressionTypes } = kafkajs;

/**
 * Registers the codecs kafkajs lacks (LZ4, which the producer writes by default) into kafkajs' process-wide codec
 * table, so the connector's consumer can read compressed records. Idempotent; call before creating consumers.
 */
export function registerKafkaCodecs(): void {
  CompressionCodecs[CompressionTypes.LZ4] = () => createLz4Codec();
}
