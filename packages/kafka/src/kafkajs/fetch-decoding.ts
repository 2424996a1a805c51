/**
 * Installs a faster fetch decoding into kafkajs 2.2.4's module cache:
 * - the record-batch decoder of `record-batch-decoding.ts` (same records as kafkajs', a fraction of the CPU and
 *   garbage), picked up by kafkajs' fetch response decoding when it first loads (at the first fetch);
 * - a `Batch` whose constructor drops the records before the fetched offset by comparing numbers instead of parsing
 *   every record's offset string into a `Long` (kafkajs' consumer group keeps the class it loaded, so this part
 *   applies only when it is installed before kafkajs' consumer is loaded: the processor's entry points install it
 *   first). It filters aborted transactions with `aborted-transactions.ts` (the Java consumer's read_committed
 *   filter), not kafkajs' own, which leaks records of aborted transactions.
 *
 * Both keep kafkajs' results exactly, apart from that fix (a differential test compares them with kafkajs' own on
 * generated record batches: compressed and not, with headers, null keys, control batches, append-time timestamps,
 * truncated tails). With another kafkajs version, or once the relevant modules are already loaded, the part concerned
 * is not installed and kafkajs runs as shipped. `TRIBUTARY_KAFKAJS_DECODING=kafkajs` turns it off (not the
 * read_committed fix: `installAbortedTransactionFilter` puts it into kafkajs' own Batch as well). Call it with
 * `createRequire(import.meta.url)` of the package whose kafkajs is to be patched.
 *
 * The record-batch decoder caps a compressed batch's decompressed size at
 * `TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES` (`decompression-cap.ts`; a bad value throws
 * `TRIB_KAFKA_INVALID_OPTION`).
 */
import {
  filterAbortedTransactions,
  type AbortedTransaction,
  type TransactionalBatchContext,
} from './aborted-transactions.js';
import { maxDecompressedBatchBytesFromEnv } from './decompression-cap.js';
import { patchKafkajsModule, supportedKafkajs } from './module-patch.js';
import { createRecordBatchDecoder, type KafkajsCodec, type KafkajsDecoder } from './record-batch-decoding.js';
import { recordOffsetNumber } from './record-numbers.js';

export interface FetchDecodingInstall {
  /** The record-batch decoder replaces kafkajs' own. */
  recordBatchDecoder: boolean;
  /** Fetched batches filter offsets by numbers. */
  batch: boolean;
}

interface KafkajsMessage {
  offset: string;
  key: Buffer | null;
  isControlRecord: boolean;
  batchContext?: TransactionalBatchContext;
}

interface PartitionData {
  partition: number;
  highWatermark: string;
  abortedTransactions: AbortedTransaction[];
  messages: KafkajsMessage[];
}

type BatchClass = new (topic: string, fetchedOffset: string, partitionData: PartitionData) => object;

export function installFetchDecoding(
  require: NodeJS.Require,
  env: NodeJS.ProcessEnv = process.env,
): FetchDecodingInstall {
  const maxDecompressedBytes = maxDecompressedBatchBytesFromEnv(env);
  if (env.TRIBUTARY_KAFKAJS_DECODING === 'kafkajs' || !supportedKafkajs(require)) {
    return { recordBatchDecoder: false, batch: false };
  }
  return {
    recordBatchDecoder: installRecordBatchDecoder(require, maxDecompressedBytes),
    batch: installBatch(require),
  };
}

function installRecordBatchDecoder(require: NodeJS.Require, maxDecompressedBytes: number): boolean {
  return patchKafkajsModule<(d: KafkajsDecoder) => Promise<unknown>>(
    require,
    'kafkajs/src/protocol/recordBatch/v0/decoder.js',
    'kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js',
    () => {
      const errors = require('kafkajs/src/errors.js') as {
        KafkaJSPartialMessageError: new (m: string) => Error;
      };
      const timestampTypes = require('kafkajs/src/protocol/timestampTypes.js') as Record<string, number>;
      const compression = require('kafkajs/src/protocol/message/compression/index.js') as {
        lookupCodecByAttributes: (attributes: number) => KafkajsCodec | null;
      };
      return createRecordBatchDecoder({
        Decoder: require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => KafkajsDecoder,
        recordDecoder: require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js') as (
          decoder: KafkajsDecoder,
          context: object,
        ) => unknown,
        lookupCodecByAttributes: compression.lookupCodecByAttributes,
        PartialMessageError: errors.KafkaJSPartialMessageError,
        logAppendTime: timestampTypes.LOG_APPEND_TIME!,
        createTime: timestampTypes.CREATE_TIME!,
        maxDecompressedBytes,
      });
    },
  );
}

function installBatch(require: NodeJS.Require): boolean {
  return patchKafkajsModule<BatchClass>(
    require,
    'kafkajs/src/consumer/batch.js',
    'kafkajs/src/consumer/consumerGroup.js',
    (KafkajsBatch) => createBatchClass(KafkajsBatch, filterAbortedTransactions),
  );
}

/**
 * kafkajs' Batch with the same fields and methods; only the "records at or after the fetched offset" filter differs
 * in how it compares (numbers when every offset is a safe integer, else kafkajs' own constructor, which uses the
 * `filterAbortedMessages` module it loaded). Aborted transactions are filtered by `filterAbortedMessages`
 * (`filterAbortedTransactions` when installed; kafkajs' own in the differential test).
 */
export function createBatchClass(
  KafkajsBatch: BatchClass,
  filterAbortedMessages: (args: {
    messages: KafkajsMessage[];
    abortedTransactions: AbortedTransaction[];
  }) => KafkajsMessage[],
): BatchClass {
  function Batch(
    this: Record<string, unknown>,
    topic: string,
    fetchedOffset: string,
    partitionData: PartitionData,
  ): object {
    const fetched = Number(fetchedOffset);
    const { abortedTransactions, messages } = partitionData;
    const within = Number.isSafeInteger(fetched) ? messagesFrom(messages, fetched) : undefined;
    if (within === undefined) return new KafkajsBatch(topic, fetchedOffset, partitionData);
    this.fetchedOffset = fetchedOffset;
    this.topic = topic;
    this.partition = partitionData.partition;
    this.highWatermark = partitionData.highWatermark;
    this.rawMessages = messages;
    this.messagesWithinOffset = within;
    this.messages = filterAbortedMessages({ messages: within, abortedTransactions }).filter(
      (message) => !message.isControlRecord,
    );
    return this;
  }
  Batch.prototype = KafkajsBatch.prototype;
  return Batch as unknown as BatchClass;
}

/** The messages with offset ≥ `fetched`, in order (kafkajs' filter); undefined when an offset is not a safe integer. */
function messagesFrom(messages: KafkajsMessage[], fetched: number): KafkajsMessage[] | undefined {
  let below = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    const offset = recordOffsetNumber(message) ?? Number(message.offset);
    if (!Number.isSafeInteger(offset)) return undefined;
    if (offset < fetched) below++;
  }
  // Usually every record is at or after the fetched offset: the array itself (kafkajs never mutates it).
  if (below === 0) return messages;
  return messages.filter((message) => (recordOffsetNumber(message) ?? Number(message.offset)) >= fetched);
}
