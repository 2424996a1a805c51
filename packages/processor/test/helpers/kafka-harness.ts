import { randomBytes } from 'node:crypto';
import { createKafkaClient } from '@tributary/kafka';
import type { Kafka } from '@tributary/kafka';
import type { Admin, IHeaders, KafkaMessage, Message } from '@tributary/kafka';

/** Integration-test helpers against the shared broker: unique names, topic setup/cleanup, produce and read back. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
  /** Every header name, those without a value (null) included. */
  readonly headerNames: readonly string[];
}

export class KafkaHarness {
  readonly kafka: Kafka;
  readonly #admin: Admin;
  readonly #created = new Set<string>();
  readonly #tails: TopicTail[] = [];

  constructor(brokers: string[]) {
    this.kafka = createKafkaClient({ clientId: 'processor-tests', brokers });
    this.#admin = this.kafka.admin();
  }

  async connect(): Promise<void> {
    await this.#admin.connect();
  }

  /** Creates (and tracks) a topic; `compacted` sets `cleanup.policy=compact`. */
  async createTopic(
    topic: string,
    numPartitions: number,
    options: { compacted?: boolean } = {},
  ): Promise<void> {
    await this.#admin.createTopics({
      topics: [
        {
          topic,
          numPartitions,
          replicationFactor: 1,
          ...(options.compacted === true
            ? { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }
            : {}),
        },
      ],
      waitForLeaders: true,
    });
    this.#created.add(topic);
  }

  /** Topics (and groups) to delete at cleanup, e.g. those the job created. */
  track(...topics: string[]): void {
    for (const t of topics) this.#created.add(t);
  }

  async produce(topic: string, messages: Message[], compression?: number): Promise<void> {
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let i = 0; i < messages.length; i += 500) {
        const batch = messages.slice(i, i + 500);
        await producer.send({
          topic,
          messages: batch,
          acks: -1,
          ...(compression === undefined ? {} : { compression }),
        });
      }
    } finally {
      await producer.disconnect();
    }
  }

  /**
   * Reads a topic read_committed from the beginning until `expected` records arrived and then `settleMs` passed
   * without more (so extra, duplicated records would be seen), or until `timeoutMs`.
   */
  async readAll(
    topic: string,
    options: { expected: number; settleMs?: number; timeoutMs?: number },
  ): Promise<ReadRecord[]> {
    const groupId = uniqueName('reader');
    const consumer = this.kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
    const records: ReadRecord[] = [];
    const settleMs = options.settleMs ?? 1_500;
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    let lastArrival = Date.now();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push(toRecord(partition, message));
        lastArrival = Date.now();
      },
    });
    while (Date.now() < deadline) {
      if (records.length >= options.expected && Date.now() - lastArrival >= settleMs) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await consumer.disconnect();
    await this.#admin.deleteGroups([groupId]).catch(() => undefined);
    return records;
  }

  /** Committed offsets of a group, by partition. */
  async committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
    const result = await this.#admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(result[0]?.partitions.map((p) => [p.partition, p.offset]) ?? []);
  }

  async endOffsets(topic: string): Promise<Map<number, string>> {
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, o.high]));
  }

  /** A `TopicTail` of `topic` (not started) that `cleanup` stops and whose group it deletes. */
  tail(topic: string): TopicTail {
    const tail = new TopicTail(this.kafka, topic);
    this.#tails.push(tail);
    return tail;
  }

  /**
   * Stops the tails, deletes their groups and `groups`, the tracked topics and every topic starting with one of
   * `prefixes`. Best effort: a test's leftovers are named uniquely, and a failing cleanup must not fail a suite.
   */
  async cleanup(groups: string[] = [], prefixes: string[] = []): Promise<void> {
    const allGroups = [...groups];
    for (const t of this.#tails) allGroups.push(await t.stop().catch(() => ''));
    await this.#admin.deleteGroups(allGroups.filter((g) => g !== '')).catch(() => undefined);
    const existing = await this.#admin.listTopics().catch(() => [] as string[]);
    const topics = existing.filter((t) => this.#created.has(t) || prefixes.some((p) => t.startsWith(p)));
    if (topics.length > 0) await this.#admin.deleteTopics({ topics }).catch(() => undefined);
    await this.#admin.disconnect().catch(() => undefined);
  }
}

/** Follows a topic read_committed from the beginning; `waitFor` polls a predicate over everything read so far. */
export class TopicTail {
  readonly records: ReadRecord[] = [];
  readonly #kafka: Kafka;
  readonly #topic: string;
  readonly #groupId = uniqueName('tail');
  #consumer: ReturnType<Kafka['consumer']> | undefined;

  constructor(kafka: Kafka, topic: string) {
    this.#kafka = kafka;
    this.#topic = topic;
  }

  async start(): Promise<void> {
    const consumer = this.#kafka.consumer({
      groupId: this.#groupId,
      readUncommitted: false,
      maxWaitTimeInMs: 100,
    });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.#topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        this.records.push(toRecord(partition, message));
      },
    });
  }

  async waitFor(predicate: (records: readonly ReadRecord[]) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (predicate(this.records)) return true;
      await new Promise((r) => setTimeout(r, 250));
    }
    return predicate(this.records);
  }

  async stop(): Promise<string> {
    await this.#consumer?.disconnect();
    return this.#groupId;
  }
}

function toRecord(partition: number, message: KafkaMessage): ReadRecord {
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? '',
    value: message.value,
    headers: headers(message.headers),
    headerNames: Object.keys(message.headers ?? {}),
  };
}

/** The first value of each header as a string; a header without a value (null) is left out. */
function headers(h: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    const first: unknown = Array.isArray(v) ? v[0] : v;
    if (first !== undefined && first !== null) out[k] = String(first);
  }
  return out;
}

/** N records with keys `user-0 … user-(keys-1)` spread round-robin. */
export function keyedMessages(count: number, keys: number): Message[] {
  return Array.from({ length: count }, (_, i) => ({ key: `user-${i % keys}`, value: `event-${i}` }));
}

/** Checks the counter task's results: for every key exactly the values 1..n, no duplicates, no gaps. */
export function counterMismatches(
  records: readonly ReadRecord[],
  expectedPerKey: ReadonlyMap<string, number>,
): string[] {
  const byKey = new Map<string, number[]>();
  for (const r of records) {
    const list = byKey.get(r.key) ?? [];
    list.push(Number(r.value?.toString('utf8')));
    byKey.set(r.key, list);
  }
  const problems: string[] = [];
  for (const [key, n] of expectedPerKey) {
    const values = byKey.get(key) ?? [];
    const expected = Array.from({ length: n }, (_, i) => i + 1);
    if (values.length !== n || values.some((v, i) => v !== expected[i])) {
      problems.push(
        `${key}: expected 1..${n}, got ${values.length} values [${values.slice(0, 8).join(',')}…]`,
      );
    }
  }
  for (const key of byKey.keys()) if (!expectedPerKey.has(key)) problems.push(`unexpected key ${key}`);
  return problems;
}

export function countsPerKey(count: number, keys: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < count; i++) m.set(`user-${i % keys}`, (m.get(`user-${i % keys}`) ?? 0) + 1);
  return m;
}
