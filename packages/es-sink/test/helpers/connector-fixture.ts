import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { encodeWindowResult, type WindowResult } from '@tributary/schema';
import {
  createKafkaClient,
  type Admin,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from '@tributary/kafka';

/** A WindowResult record of page `/page/<i>` (its own document id: one id per `i`). */
export function windowRecord(i: number, version = 1): { key: string; value: Buffer } {
  const r: WindowResult = {
    pageUrl: `/page/${i}`,
    windowStart: Date.UTC(2026, 10, 22, 10, i % 60),
    windowEnd: Date.UTC(2026, 10, 22, 10, (i % 60) + 1),
    clickCount: i,
    viewCount: 2 * i,
    isFinal: true,
    version,
  };
  return { key: r.pageUrl, value: Buffer.from(encodeWindowResult(r)) };
}

/** Polls `predicate` every 200 ms; throws naming `what` after `timeoutMs`. */
export async function waitFor(
  predicate: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Real Kafka and Elasticsearch for connector integration tests: an admin, a producer and an Elasticsearch client,
 * names with a random suffix, and cleanup of every topic, index and template it handed out.
 */
export class ConnectorFixture {
  readonly suffix = randomUUID().slice(0, 8);
  readonly kafka: Kafka;
  readonly es: Client;
  readonly #topics = new Set<string>();
  readonly #indices = new Set<string>();
  #admin: Admin | undefined;
  #producer: Producer | undefined;

  constructor(
    readonly brokers: string[],
    readonly esUrl: string,
  ) {
    this.kafka = createKafkaClient({ clientId: `es-sink-it-${this.suffix}`, brokers });
    this.es = new Client({ node: esUrl });
  }

  get admin(): Admin {
    if (this.#admin === undefined) throw new Error('ConnectorFixture.open() first');
    return this.#admin;
  }

  async open(): Promise<void> {
    this.#admin = this.kafka.admin();
    await this.#admin.connect();
    this.#producer = this.kafka.producer();
    await this.#producer.connect();
  }

  async close(): Promise<void> {
    await this.#admin?.deleteTopics({ topics: [...this.#topics] }).catch(() => undefined);
    await this.#admin?.disconnect();
    await this.#producer?.disconnect();
    for (const index of this.#indices) {
      await this.es.indices.delete({ index, ignore_unavailable: true }, { ignore: [404] });
      await this.es.indices.deleteIndexTemplate({ name: index }, { ignore: [404] });
    }
    await this.es.close();
  }

  /** `<name>-<suffix>`, deleted (topic, index and template of that name) on close. */
  name(name: string): string {
    const full = `${name}-${this.suffix}`;
    this.#topics.add(full);
    this.#indices.add(full);
    return full;
  }

  /** Deletes `topic` on close (e.g. a dead-letter topic the connector creates). */
  own(topic: string): string {
    this.#topics.add(topic);
    return topic;
  }

  async createTopic(name: string, numPartitions = 1): Promise<string> {
    const topic = this.name(name);
    await this.admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
    return topic;
  }

  async send(
    topic: string,
    messages: Array<{ key?: string | null; value: Buffer | string; partition?: number }>,
  ) {
    if (this.#producer === undefined) throw new Error('ConnectorFixture.open() first');
    await this.#producer.send({ topic, messages });
  }

  async endOffsets(topic: string): Promise<Map<number, number>> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  }

  /** The group's committed offsets in Kafka (what a restarted connector resumes from); -1 = none. */
  async committed(groupId: string, topic: string): Promise<Map<number, number>> {
    const [entry] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  }

  /** Whether the group committed the end offset of every non-empty partition. */
  async allCommitted(groupId: string, topic: string): Promise<boolean> {
    const [ends, done] = await Promise.all([this.endOffsets(topic), this.committed(groupId, topic)]);
    return [...ends].every(([p, end]) => end === 0 || (done.get(p) ?? -1) >= end);
  }

  async count(index: string): Promise<number> {
    await this.es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
    return (await this.es.count({ index, ignore_unavailable: true, allow_no_indices: true })).count;
  }

  /** Reads the first `n` records of `topic` from the beginning (throws after `timeoutMs`). */
  async read(topic: string, n: number, timeoutMs = 30_000): Promise<KafkaMessage[]> {
    const messages: KafkaMessage[] = [];
    const reader = this.kafka.consumer({ groupId: `es-sink-it-reader-${randomUUID()}` });
    await reader.connect();
    try {
      await reader.subscribe({ topic, fromBeginning: true });
      await reader.run({ eachMessage: async ({ message }) => void messages.push(message) });
      await waitFor(() => messages.length >= n, `${n} records are read from ${topic}`, timeoutMs);
    } finally {
      await reader.disconnect();
    }
    return messages;
  }
}
