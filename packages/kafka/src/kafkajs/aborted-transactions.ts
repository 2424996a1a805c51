/**
 * The read_committed filter of Apache Kafka's Java consumer (`CompletedFetch` in kafka-clients 3.9), in place of
 * kafkajs 2.2.4's `consumer/filterAbortedMessages.js`, which leaks records of aborted transactions.
 *
 * A fetch response lists the aborted transactions overlapping the fetched range as `{ producerId, firstOffset }`, in
 * the order the broker keeps them: by abort (their last offset), not by first offset. kafkajs compares only the head
 * of that list with each record, and takes at most one entry per record. So an aborted transaction that began before
 * another one but aborted after it, or two aborted transactions that both began before the fetched offset, are taken
 * one or more records late, and the records in between are delivered: producers A and B write A1, B1, A2, B aborts,
 * A aborts, a plain producer writes C — kafkajs delivers A1 and C, the Java consumer only C. kafkajs also takes any
 * record whose key is `00 00 00 00` for an abort marker, control batch or not.
 *
 * Here, as in the Java consumer, per record batch that has a producer id: the aborted transactions are taken in
 * order of first offset, and every one that begins at or before the batch's last offset (its first offset plus its
 * last offset delta, from the batch header, so also when compaction removed its last records) adds its producer to
 * the aborted producers; a control batch whose record is an ABORT marker removes its producer; any other
 * transactional batch of an aborted producer is dropped whole. Records without a producer id (non-transactional,
 * non-idempotent producers, or the legacy message format) are never dropped. The state lives for one fetch response
 * of one partition, as it does in the Java consumer.
 *
 * kafkajs' Batch calls the filter with the records at or after the fetched offset only; the Java consumer also reads
 * the batches wholly before it. The results agree: those batches end before the fetched offset, and the broker
 * lists only the aborted transactions that end at or after it, so an abort marker before the fetched offset closes
 * no listed transaction. Control records are returned like the others (kafkajs' Batch drops them next, and checks
 * them for `isEmptyControlRecord`), except those of an aborted producer's non-ABORT control batch, which the Java
 * consumer skips with the batch and nobody sees either way.
 *
 * Offsets and producer ids are compared as bigints, so offsets beyond 2^53 are exact. Unlike the decoding patches,
 * this one changes kafkajs' results (it fixes them), so `TRIBUTARY_KAFKAJS_DECODING=kafkajs` does not turn it off.
 */
import { patchKafkajsModule, supportedKafkajs } from './module-patch.js';

/** An entry of a fetch response's `abortedTransactions`, as kafkajs decodes it (int64 fields as strings). */
export interface AbortedTransaction {
  producerId: string;
  firstOffset: string;
}

/** The record-batch header fields kafkajs' (and `record-batch-decoding.ts`') records carry as `batchContext`. */
export interface TransactionalBatchContext {
  firstOffset?: string;
  lastOffsetDelta?: number;
  producerId: string;
  inTransaction: boolean;
}

/** The fields of a kafkajs record the filter reads. */
export interface TransactionalMessage {
  offset: string;
  key: Buffer | null;
  isControlRecord: boolean;
  batchContext?: TransactionalBatchContext;
}

export interface FilterAbortedArgs<M extends TransactionalMessage> {
  /** One partition's records of one fetch response, in offset order. */
  messages: M[];
  /** That partition's aborted transactions from the same response, in any order. */
  abortedTransactions?: readonly AbortedTransaction[] | null;
}

const NO_PRODUCER_ID = -1n;
/** ControlRecordType ABORT: the int16 type after the int16 version of a control record's key. */
const ABORT_MARKER_TYPE = 0;

/**
 * The records of `messages` that Apache Kafka's Java consumer returns with `isolation.level=read_committed` (plus the
 * control records it reads and does not return); same signature and argument as kafkajs' filterAbortedMessages.
 * Returns `messages` itself when nothing is aborted.
 */
export function filterAbortedTransactions<M extends TransactionalMessage>({
  messages,
  abortedTransactions,
}: FilterAbortedArgs<M>): M[] {
  if (!abortedTransactions || abortedTransactions.length === 0) return messages;
  const pending = abortedTransactions
    .map(({ producerId, firstOffset }) => ({
      producerId: BigInt(producerId).toString(),
      firstOffset: BigInt(firstOffset),
    }))
    .sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  let next = 0;
  const abortedProducers = new Set<string>();
  const kept: M[] = [];
  for (const message of messages) {
    // Decided per record, with the batch's fields: every record of a batch gets the batch's answer.
    const context = message.batchContext;
    const producerId = context === undefined ? NO_PRODUCER_ID : BigInt(context.producerId);
    if (context !== undefined && producerId > NO_PRODUCER_ID) {
      const lastOffset = batchLastOffset(context, message.offset);
      while (next < pending.length && pending[next]!.firstOffset <= lastOffset) {
        abortedProducers.add(pending[next++]!.producerId);
      }
      const producer = producerId.toString();
      if (message.isControlRecord && isAbortMarker(message.key)) {
        abortedProducers.delete(producer);
      } else if (context.inTransaction && abortedProducers.has(producer)) {
        continue;
      }
    }
    kept.push(message);
  }
  return kept;
}

/** The batch's last offset from its header; a record's own offset when the context lacks the header fields. */
function batchLastOffset(context: TransactionalBatchContext, offset: string): bigint {
  const { firstOffset, lastOffsetDelta } = context;
  if (firstOffset === undefined || typeof lastOffsetDelta !== 'number') return BigInt(offset);
  return BigInt(firstOffset) + BigInt(lastOffsetDelta);
}

/**
 * True for an ABORT control record key (int16 version ≥ 0, int16 type 0; a later version is read as version 0, as
 * the Java consumer does). A key the Java consumer rejects as invalid is not an abort marker here.
 */
function isAbortMarker(key: Buffer | null): boolean {
  return (
    key != null && key.length >= 4 && key.readInt16BE(0) >= 0 && key.readInt16BE(2) === ABORT_MARKER_TYPE
  );
}

/**
 * Replaces kafkajs 2.2.4's `consumer/filterAbortedMessages.js` in the module cache of the kafkajs that `require`
 * resolves, so that kafkajs' own Batch uses it too (with `TRIBUTARY_KAFKAJS_DECODING=kafkajs`, or when the project's
 * Batch hands a fetch to kafkajs' constructor). Must run before kafkajs' `consumer/batch.js` loads — before the
 * fetch-decoding install, which loads it; returns whether it is in place.
 */
export function installAbortedTransactionFilter(require: NodeJS.Require): boolean {
  return (
    supportedKafkajs(require) &&
    patchKafkajsModule(
      require,
      'kafkajs/src/consumer/filterAbortedMessages.js',
      'kafkajs/src/consumer/batch.js',
      () => filterAbortedTransactions.bind(null),
    )
  );
}
