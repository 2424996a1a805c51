import { installAbortedTransactionFilter } from './aborted-transactions.js';
import { installAdminCluster } from './admin-cluster.js';
import { installCoordinatorCache } from './coordinator-cache.js';
import { maxDecompressedBatchBytesFromEnv } from './decompression-cap.js';
import { installFetchDecoding, type FetchDecodingInstall } from './fetch-decoding.js';
import { installGzipCodec } from './gzip-codec.js';
import { installLinearGrouping } from './linear-grouping.js';
import { installProduceRequest } from './produce-request.js';
import { installRecordEncoding } from './record-encoding.js';

/** Which kafkajs patches are in place (see each install function). */
export interface KafkajsPatches {
  /** kafkajs' read_committed filter is the Java consumer's (a fix, on whatever `TRIBUTARY_KAFKAJS_DECODING` says). */
  abortedTransactions: boolean;
  fetchDecoding: FetchDecodingInstall;
  recordEncoding: boolean;
  produceRequest: boolean;
  linearGrouping: boolean;
  /** kafkajs' GZIP codec is the capped one (`createGzipCodec`). */
  gzipCap: boolean;
  /** Transactional producers remember their coordinators for a second (`coordinator-cache.ts`). */
  coordinatorCache: boolean;
  /** Every admin carries its kafkajs cluster, for `fetchStableCommittedOffsets` (`admin-cluster.ts`). */
  adminCluster: boolean;
}

/**
 * Installs every kafkajs 2.2.4 patch into the kafkajs that `require` resolves (pass `createRequire(import.meta.url)`
 * of the package that uses kafkajs), before kafkajs' consumer and producer load: the faster fetch decoding (same
 * records, less CPU and garbage per record), the faster record encoding (same bytes, one pooled buffer per record,
 * no object spread per message in the produce request), the linear per-partition grouping of a send and the
 * transactional producer's coordinators remembered for a second instead of looked up before every step. These keep
 * kafkajs' exact results (differential tests). One patch is a fix instead: the read_committed filter of aborted
 * transactions is Apache Kafka's Java consumer's, not kafkajs' own, which delivers records of some aborted
 * transactions (`aborted-transactions.ts`); the `TRIBUTARY_KAFKAJS_*` switches do not turn it off. Another is a guard:
 * a compressed batch that decompresses to more than `TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES` (default 64 MiB)
 * throws `TRIB_KAFKA_BATCH_TOO_LARGE` instead of running the process out of memory (`decompression-cap.ts`): the
 * record-batch decoder passes the cap to the codec, and kafkajs' GZIP codec is replaced by one that stops there
 * (`createGzipCodec`, its `maxDecompressedBytes` the cap), also for kafkajs' own decoder. A bad value of the variable
 * throws `TRIB_KAFKA_INVALID_OPTION` before anything is installed. The last is a handle: every admin carries the
 * kafkajs cluster it was created with, through which `fetchStableCommittedOffsets` sends OffsetFetch v7
 * (`admin-cluster.ts`). With another kafkajs version nothing is installed. Several calls may share one kafkajs (the first call's cap stays). `loadKafkajs` calls it for the kafkajs
 * this package resolves and checks the result; tests call it for other copies.
 */
export function installKafkajsPatches(
  require: NodeJS.Require,
  env: NodeJS.ProcessEnv = process.env,
): KafkajsPatches {
  const fixes = installKafkajsClientFixes(require, env);
  // last: kafkajs' admin loads its consumer (and so the fetched batch and the filter)
  return { ...fixes, adminCluster: installAdminCluster(require) };
}

/**
 * Every patch of `installKafkajsPatches` but the admin handle, which loads kafkajs' consumer: a test that wraps a
 * patched module (the fetched `Batch`) before the consumer takes it installs these, wraps, then `installAdminCluster`.
 */
export function installKafkajsClientFixes(
  require: NodeJS.Require,
  env: NodeJS.ProcessEnv = process.env,
): Omit<KafkajsPatches, 'adminCluster'> {
  const maxDecompressedBytes = maxDecompressedBatchBytesFromEnv(env);
  return {
    // first: kafkajs' Batch keeps the filter it finds, and the fetch decoding loads kafkajs' Batch
    abortedTransactions: installAbortedTransactionFilter(require),
    fetchDecoding: installFetchDecoding(require, env),
    // before the produce request: it loads kafkajs' own v3 request, which keeps the record encoder it finds
    recordEncoding: installRecordEncoding(require, env),
    produceRequest: installProduceRequest(require, env),
    linearGrouping: installLinearGrouping(require),
    coordinatorCache: installCoordinatorCache(require),
    // after the module patches (it loads kafkajs' compression modules); `CompressionCodecs[CompressionTypes.GZIP]()`
    // is then the capped codec, with its cap as `maxDecompressedBytes`
    gzipCap: installGzipCodec(require, maxDecompressedBytes),
  };
}
