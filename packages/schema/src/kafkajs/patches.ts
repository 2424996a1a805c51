import { installAbortedTransactionFilter } from './aborted-transactions.js';
import { installFetchDecoding, type FetchDecodingInstall } from './fetch-decoding.js';
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
}

/**
 * Installs every kafkajs 2.2.4 patch into the kafkajs that `require` resolves (pass `createRequire(import.meta.url)`
 * of the package that uses kafkajs), before kafkajs' consumer and producer load: the faster fetch decoding (same
 * records, less CPU and garbage per record), the faster record encoding (same bytes, one pooled buffer per record,
 * no object spread per message in the produce request) and the linear per-partition grouping of a send. These keep
 * kafkajs' exact results (differential tests). One patch is a fix instead: the read_committed filter of aborted
 * transactions is Apache Kafka's Java consumer's, not kafkajs' own, which delivers records of some aborted
 * transactions (`aborted-transactions.ts`); the `TRIBUTARY_KAFKAJS_*` switches do not turn it off. With another kafkajs
 * version nothing is installed. Several packages sharing one kafkajs may all call it.
 */
export function installKafkajsPatches(
  require: NodeJS.Require,
  env: NodeJS.ProcessEnv = process.env,
): KafkajsPatches {
  return {
    // first: kafkajs' Batch keeps the filter it finds, and the fetch decoding loads kafkajs' Batch
    abortedTransactions: installAbortedTransactionFilter(require),
    fetchDecoding: installFetchDecoding(require, env),
    // before the produce request: it loads kafkajs' own v3 request, which keeps the record encoder it finds
    recordEncoding: installRecordEncoding(require, env),
    produceRequest: installProduceRequest(require, env),
    linearGrouping: installLinearGrouping(require),
  };
}
