import type { Kafka, Producer } from '@tributary/kafka';
import type { KafkaConnectionOptions } from './connection-options.js';
import { connectProducer, createIdempotentProducer } from './kafka-client.js';
import { KafkaMessageFactory } from './kafka-message.js';
import type { KafkaMessage } from './kafka-message.js';

/** A record as the sender needs it: where it goes and its bytes. */
export interface OutgoingRecord {
  partition: number;
  key: string;
  value: Uint8Array;
  headers: Record<string, string> | undefined;
}

/** Where a partition's chunk of an acknowledged send was appended. */
export interface PartitionAck {
  partition: number;
  baseOffset: number;
}

/** What an acknowledged send() returns. */
export interface SentBatch {
  acks: PartitionAck[];
  /**
   * When the acknowledgement arrived, on a clock valid across threads (`performance.timeOrigin + performance.now()`),
   * when it arrived on another thread; undefined when the caller's own clock should be read.
   */
  ackedAtEpochMs: number | undefined;
}

/** Sends batches through one idempotent producer; one call's records may span several partitions. */
export interface BatchSender {
  send(records: readonly OutgoingRecord[]): Promise<SentBatch>;
  close(): Promise<void>;
}

export interface SendSettings {
  topic: string;
  /** kafkajs CompressionTypes value. */
  compression: number;
  requestTimeoutMs: number;
}

/** One idempotent kafkajs producer (see createIdempotentProducer). */
export class KafkaBatchSender implements BatchSender {
  readonly #producer: Producer;
  readonly #settings: SendSettings;
  readonly #messages = new KafkaMessageFactory();

  private constructor(producer: Producer, settings: SendSettings) {
    this.#producer = producer;
    this.#settings = settings;
  }

  static async connect(
    kafka: Kafka,
    o: KafkaConnectionOptions,
    settings: SendSettings,
  ): Promise<KafkaBatchSender> {
    const producer = createIdempotentProducer(kafka, o);
    await connectProducer(producer, o.brokers);
    return new KafkaBatchSender(producer, settings);
  }

  async send(records: readonly OutgoingRecord[]): Promise<SentBatch> {
    const factory = this.#messages;
    const messages = records.map((r) => factory.message(r.partition, r.key, r.value, r.headers));
    return { acks: await this.sendMessages(messages), ackedAtEpochMs: undefined };
  }

  /** Sends ready-made messages (of KafkaMessage's fixed shape); resolves with where each partition's chunk landed. */
  async sendMessages(messages: KafkaMessage[]): Promise<PartitionAck[]> {
    const s = this.#settings;
    const metadata = await this.#producer.send({
      topic: s.topic,
      messages,
      acks: -1,
      compression: s.compression,
      timeout: s.requestTimeoutMs,
    });
    return metadata.flatMap((m) =>
      m.baseOffset === undefined ? [] : [{ partition: m.partition, baseOffset: Number(m.baseOffset) }],
    );
  }

  async close(): Promise<void> {
    await this.#producer.disconnect().catch(() => undefined);
  }
}
