import type { Kafka } from '@tributary/kafka';
import { uniqueName } from './kafka-harness.js';

/** One keyed entry of a transaction; a `null` value is a tombstone. */
export type Entry = [key: string, value: string | null];

/** Writes whole transactions to explicit partitions of one topic, committing or aborting each. */
export class TransactionalWriter {
  readonly #topic: string;
  readonly #producer: ReturnType<Kafka['producer']>;

  constructor(kafka: Kafka, topic: string, transactionalIdPrefix: string) {
    this.#topic = topic;
    this.#producer = kafka.producer({
      transactionalId: uniqueName(transactionalIdPrefix),
      idempotent: true,
      maxInFlightRequests: 1,
    });
  }

  async connect(): Promise<void> {
    await this.#producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.#producer.disconnect();
  }

  /** Sends `entries` to `partition` in one transaction, then commits it (or aborts it). */
  async txn(partition: number, entries: Entry[], commit: boolean): Promise<void> {
    const t = await this.#producer.transaction();
    await t.send({
      topic: this.#topic,
      messages: entries.map(([key, value]) => ({ key, value, partition })),
    });
    await (commit ? t.commit() : t.abort());
  }
}
