import { randomUUID } from 'node:crypto';
import { runConsumerKeptAlive, type Consumer, type Kafka } from '@tributary/kafka';
import type { PartitionRange, TableSource, TableSourceBatch } from '../enrichment/table-loader.js';
import { offsetFromKafka } from './offsets.js';
import { fixedPartitionAssigner } from './single-partition-assigner.js';
import type { TopicAdmin } from './topic-admin.js';

export interface CompactedTopicSourceOptions {
  readonly topic: string;
  /** The throwaway consumer group is `${groupIdPrefix}-table-${uuid}` (unique per instance, deleted at stop). */
  readonly groupIdPrefix: string;
  readonly maxWaitTimeInMs: number;
  /** Consumer crashes in a row for this long fail the table (shorter outages are ridden out). */
  readonly restartTimeoutMs: number;
}

/**
 * Reads EVERY partition of a (compacted) reference-data topic read_committed from its beginning and keeps
 * following it: a consumer in a group of its own with the fixed-partition assigner (kafkajs has no `assign`), so
 * each instance of the job holds the whole table (broadcast / GlobalKTable). Batches made only of transaction
 * markers are delivered empty with their last offset, so progress reaches the end offsets.
 */
export class CompactedTopicSource implements TableSource {
  readonly #kafka: Kafka;
  readonly #admin: TopicAdmin;
  readonly #o: CompactedTopicSourceOptions;
  readonly #groupId: string;
  #partitions: number[] = [];
  #consumer: Consumer | undefined;
  #cancelRestart: () => void = () => undefined;

  constructor(kafka: Kafka, admin: TopicAdmin, options: CompactedTopicSourceOptions) {
    this.#kafka = kafka;
    this.#admin = admin;
    this.#o = options;
    this.#groupId = `${options.groupIdPrefix}-table-${randomUUID()}`;
  }

  async ranges(): Promise<ReadonlyMap<number, PartitionRange>> {
    const offsets = await this.#admin.endOffsets(this.#o.topic);
    this.#partitions = offsets.map((o) => o.partition).sort((a, b) => a - b);
    return new Map(offsets.map((o) => [o.partition, { start: o.low, end: o.high }]));
  }

  async start(onBatch: (batch: TableSourceBatch) => void, onError: (error: unknown) => void): Promise<void> {
    const topic = this.#o.topic;
    const consumer = this.#kafka.consumer({
      groupId: this.#groupId,
      readUncommitted: false,
      partitionAssigners: [fixedPartitionAssigner({ [topic]: this.#partitions })],
      maxWaitTimeInMs: this.#o.maxWaitTimeInMs,
      allowAutoTopicCreation: false,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.START_BATCH_PROCESS, (event) => {
      // Batches of only markers / aborted records never reach eachBatch.
      if (event.payload.batchSize === 0) {
        const { partition, lastOffset } = event.payload;
        onBatch({ partition, lastOffset: offsetFromKafka(lastOffset), records: [] });
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    this.#cancelRestart = await runConsumerKeptAlive(
      consumer,
      {
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          onBatch({
            partition: batch.partition,
            lastOffset: offsetFromKafka(batch.lastOffset()),
            records: batch.messages.map((m) => ({
              offset: offsetFromKafka(m.offset),
              key: m.key,
              value: m.value,
            })),
          });
        },
      },
      {
        restartTimeoutMs: this.#o.restartTimeoutMs,
        active: () => this.#consumer === consumer,
        onFail: (error) => onError(error),
      },
    );
  }

  async stop(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    this.#cancelRestart();
    if (consumer === undefined) return;
    await consumer.disconnect().catch(() => undefined);
    await this.#admin.deleteGroup(this.#groupId).catch(() => undefined);
  }
}
