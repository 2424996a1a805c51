/**
 * Side-effect module: installs @tributary/schema's kafkajs 2.2.4 patches into this package's kafkajs before kafkajs
 * loads — the faster fetch decoding (same records, less CPU and garbage per record), the faster record encoding
 * (same bytes, one pooled buffer per record instead of a zero-filled 512-byte one and a Buffer per varint) and the
 * linear per-partition grouping of a send (kafkajs' own is quadratic). All give kafkajs' exact results; with another
 * kafkajs version they do nothing. The processor's entry points (index, cli) import this first.
 */
import { createRequire } from 'node:module';
import {
  installFetchDecoding,
  installLinearGrouping,
  installRecordEncoding,
  type FetchDecodingInstall,
} from '@tributary/schema';

export interface KafkajsPatches {
  fetchDecoding: FetchDecodingInstall;
  recordEncoding: boolean;
  linearGrouping: boolean;
}

const require = createRequire(import.meta.url);

export const kafkajsPatches: KafkajsPatches = {
  fetchDecoding: installFetchDecoding(require),
  recordEncoding: installRecordEncoding(require),
  linearGrouping: installLinearGrouping(require),
};
