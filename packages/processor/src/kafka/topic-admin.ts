import { setTimeout as sleep } from 'node:timers/promises';
import { fetchStableCommittedOffsets, loadKafkajs } from '@tributary/kafka';
import type { Admin, ITopicConfig, Kafka } from '@tributary/kafka';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import { offsetFromKafka } from './offsets.js';

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly compacted?: boolean;
}

export interface PartitionOffsets {
  readonly partition: number;
  /** Log start offset. */
  readonly low: number;
  /** End offset (high watermark); transaction markers occupy offsets below it. */
  readonly high: number;
}

const ENSURE_ATTEMPTS = 8;

/** The broker's default `message.max.bytes` (and a topic's `max.message.bytes`): 1 MiB + 12 bytes. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/** Thin wrapper over the kafkajs admin: topic creation, partition counts, committed and end offsets. */
export class TopicAdmin {
  readonly #admin: Admin;
  #connected = false;

  constructor(kafka: Kafka) {
    this.#admin = kafka.admin();
  }

  async connect(): Promise<void> {
    if (this.#connected) return;
    await this.#admin.connect();
    this.#connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.#connected) return;
    this.#connected = false;
    await this.#admin.disconnect();
  }

  /** Partition count of a topic, or undefined when the topic does not exist. */
  async partitionCount(topic: string): Promise<number | undefined> {
    try {
      const { topics } = await this.#admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions.length ?? 0;
      return partitions > 0 ? partitions : undefined;
    } catch (error) {
      if (isUnknownTopic(error)) return undefined;
      throw wrap(`describing topic ${topic} failed`, error);
    }
  }

  /**
   * The largest record batch each topic accepts (`max.message.bytes`, the topic's value or the broker default it
   * inherits), by topic.
   */
  async maxMessageBytes(topics: readonly string[]): Promise<Map<string, number>> {
    const limits = new Map<string, number>();
    if (topics.length === 0) return limits;
    try {
      const response = await this.#admin.describeConfigs({
        resources: topics.map((name) => ({
          type: loadKafkajs().ConfigResourceTypes.TOPIC,
          name,
          configNames: ['max.message.bytes'],
        })),
        includeSynonyms: false,
      });
      for (const resource of response.resources) {
        const entry = resource.configEntries.find((e) => e.configName === 'max.message.bytes');
        const value = Number(entry?.configValue);
        limits.set(
          resource.resourceName,
          Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_MAX_MESSAGE_BYTES,
        );
      }
    } catch (error) {
      throw wrap(`describing the configs of ${topics.join(', ')} failed`, error);
    }
    return limits;
  }

  /** Creates the topics that do not exist yet (concurrent creators are fine); retries retriable broker errors. */
  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    if (specs.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      const existing = new Set(await this.#admin.listTopics());
      const missing: ITopicConfig[] = specs
        .filter((s) => !existing.has(s.topic))
        .map((s) => ({
          topic: s.topic,
          numPartitions: s.numPartitions,
          replicationFactor: s.replicationFactor,
          configEntries: s.compacted === true ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
        }));
      if (missing.length === 0) return;
      try {
        await this.#admin.createTopics({ topics: missing, waitForLeaders: true });
        return;
      } catch (error) {
        if (isAlreadyExists(error)) return;
        const retriable = (error as { retriable?: boolean } | undefined)?.retriable === true;
        if (!retriable || attempt >= ENSURE_ATTEMPTS) {
          throw wrap(`creating topics ${missing.map((t) => t.topic).join(', ')} failed`, error);
        }
        await sleep(100 * attempt);
      }
    }
  }

  /** Raises a topic's partition count to `count` (never lowers it); concurrent callers are fine. */
  async growPartitions(topic: string, count: number): Promise<void> {
    const current = await this.partitionCount(topic);
    if (current === undefined || current >= count) return;
    try {
      await this.#admin.createPartitions({ topicPartitions: [{ topic, count }] });
    } catch (error) {
      // Another instance grew it first (INVALID_PARTITIONS: "already has N partitions").
      if (((await this.partitionCount(topic)) ?? 0) >= count) return;
      throw wrap(`adding partitions to ${topic} (to ${count}) failed`, error);
    }
  }

  /**
   * The group's committed offset for one partition, or null when none; read stable (OffsetFetch `require_stable`):
   * while a transaction's offset commit for the partition is pending, or completed but not applied yet, this waits
   * for it instead of returning the offset from before (`fetchStableCommittedOffsets`). With `stableRequired` (an
   * exactly-once restore) a coordinator without OffsetFetch v7 (Kafka before 2.5) is an error instead of a read that
   * could return the offset from before a completed transaction.
   */
  async committedOffset(
    groupId: string,
    topic: string,
    partition: number,
    stableRequired = false,
  ): Promise<number | null> {
    const result = await fetchStableCommittedOffsets(
      this.#admin,
      groupId,
      [{ topic, partitions: [partition] }],
      {
        withoutStableFetch: stableRequired ? 'fail' : 'warn',
      },
    );
    const found = result[0]?.partitions.find((p) => p.partition === partition);
    if (found === undefined || found.offset === '-1' || found.offset === '') return null;
    return offsetFromKafka(found.offset);
  }

  async endOffsets(topic: string): Promise<PartitionOffsets[]> {
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    return offsets.map((o) => ({
      partition: o.partition,
      low: offsetFromKafka(o.low),
      high: offsetFromKafka(o.high),
    }));
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.#admin.deleteGroups([groupId]);
  }
}

function isAlreadyExists(error: unknown): boolean {
  const e = error as { type?: string; errors?: { type?: string }[] } | undefined;
  if (e?.type === 'TOPIC_ALREADY_EXISTS') return true;
  return (
    Array.isArray(e?.errors) &&
    e.errors.length > 0 &&
    e.errors.every((x) => x.type === 'TOPIC_ALREADY_EXISTS')
  );
}

function isUnknownTopic(error: unknown): boolean {
  return (error as { type?: string } | undefined)?.type === 'UNKNOWN_TOPIC_OR_PARTITION';
}

function wrap(message: string, cause: unknown): ProcessorError {
  const retriable = (cause as { retriable?: boolean } | undefined)?.retriable === true;
  return new ProcessorError(
    PROCESSOR_ERROR_CODES.TOPIC_ADMIN_FAILED,
    `${message}: ${(cause as Error)?.message ?? String(cause)}`,
    {
      retriable,
      cause,
    },
  );
}
