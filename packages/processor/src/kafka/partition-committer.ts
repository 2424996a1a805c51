import { ExplicitFirstPartitioner } from '@tributary/kafka';
import type { Kafka, Producer, TopicMessages, TopicPartitionOffsetAndMetadata } from '@tributary/kafka';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import type { CoalescingSender } from './coalescing-sender.js';
import { offsetToKafka } from './offsets.js';
import { chunkTopicMessages, type SendChunkLimits } from './send-chunks.js';

export interface CommitRequest {
  readonly topicMessages: readonly TopicMessages[];
  /** `max.message.bytes` per topic: no record batch sent may be larger (sends are split below it). */
  readonly maxMessageBytes?: ReadonlyMap<string, number>;
  /** The input partition's next offset to consume; undefined when it did not move. */
  readonly offset:
    { readonly topic: string; readonly partition: number; readonly offset: number } | undefined;
}

/** Commits one task's drained outputs, changelog and input offset. One instance per owned input partition. */
export interface PartitionCommitter {
  /** Connects; for exactly-once also fences any previous owner of the partition (its open transaction is aborted). */
  open(): Promise<void>;
  commit(request: CommitRequest): Promise<void>;
  close(): Promise<void>;
}

export interface TransactionalCommitterOptions {
  readonly transactionalId: string;
  readonly consumerGroupId: string;
  readonly transactionTimeoutMs: number;
}

/**
 * Exactly-once: a transactional, idempotent producer (maxInFlightRequests 1) per input partition, as kafkajs only
 * speaks TxnOffsetCommit v0/v1 (no KIP-447). Outputs, changelog and the input offset commit atomically; any error
 * aborts the transaction.
 */
export class TransactionalCommitter implements PartitionCommitter {
  readonly #producer: Producer;
  readonly #options: TransactionalCommitterOptions;
  #open = false;

  constructor(kafka: Kafka, options: TransactionalCommitterOptions) {
    this.#options = options;
    this.#producer = kafka.producer({
      transactionalId: options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: options.transactionTimeoutMs,
      allowAutoTopicCreation: false,
      createPartitioner: ExplicitFirstPartitioner,
    });
  }

  async open(): Promise<void> {
    await this.#producer.connect();
    this.#open = true;
    // InitProducerId for the transactional id bumps the epoch: the previous owner is fenced and its pending
    // transaction completed, so the committed offset read afterwards is final.
    const fence = await this.#producer.transaction();
    await fence.abort();
  }

  async commit(request: CommitRequest): Promise<void> {
    const txn = await this.#producer.transaction();
    try {
      // Several sends inside one transaction when the outputs exceed a record batch's size limit.
      for (const topicMessages of chunkTopicMessages(request.topicMessages, sendLimits(request)))
        await txn.sendBatch({ topicMessages, acks: -1 });
      if (request.offset !== undefined) {
        const { topic, partition, offset } = request.offset;
        await txn.sendOffsets({
          consumerGroupId: this.#options.consumerGroupId,
          topics: [{ topic, partitions: [{ partition, offset: offsetToKafka(offset) }] }],
        });
      }
      await txn.commit();
    } catch (error) {
      if (txn.isActive()) await txn.abort().catch(() => undefined);
      throw commitFailed(this.#options.transactionalId, error);
    }
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    await this.#producer.disconnect();
  }
}

/**
 * At-least-once: outputs go through the stage's shared idempotent producer (its sender coalesces the tasks' sends);
 * the input offset is committed to the group only after the outputs are acknowledged.
 */
export class AtLeastOnceCommitter implements PartitionCommitter {
  readonly #sender: CoalescingSender;
  readonly #commitOffsets: (offsets: TopicPartitionOffsetAndMetadata[]) => Promise<void>;

  constructor(
    sharedSender: CoalescingSender,
    commitOffsets: (offsets: TopicPartitionOffsetAndMetadata[]) => Promise<void>,
  ) {
    this.#sender = sharedSender;
    this.#commitOffsets = commitOffsets;
  }

  async open(): Promise<void> {}

  async commit(request: CommitRequest): Promise<void> {
    try {
      if (request.topicMessages.length > 0) await this.#sender.send(request.topicMessages, sendLimits(request));
    } catch (error) {
      throw commitFailed('at-least-once', error);
    }
    if (request.offset === undefined) return;
    try {
      const { topic, partition, offset } = request.offset;
      await this.#commitOffsets([{ topic, partition, offset: offsetToKafka(offset) }]);
    } catch (error) {
      // The outputs are acknowledged; an offset commit lost to a rebalance only means the new owner re-reads
      // from the previous offset (duplicates, which at-least-once allows). Anything else fails the commit.
      if (!isGroupMembershipError(error)) throw commitFailed('at-least-once', error);
    }
  }

  async close(): Promise<void> {}
}

function sendLimits(request: CommitRequest): SendChunkLimits {
  return request.maxMessageBytes === undefined ? {} : { maxMessageBytes: request.maxMessageBytes };
}

const GROUP_MEMBERSHIP_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

function isGroupMembershipError(error: unknown): boolean {
  return GROUP_MEMBERSHIP_ERRORS.has((error as { type?: string } | undefined)?.type ?? '');
}

function commitFailed(owner: string, cause: unknown): ProcessorError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ProcessorError(
    PROCESSOR_ERROR_CODES.COMMIT_FAILED,
    `commit of ${owner} failed and was aborted: ${message}`,
    {
      retriable: true,
      cause,
    },
  );
}
