import { partitionForKey } from '@tributary/kafka';
import type { KafkaMessage, Message } from '@tributary/kafka';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import { offsetToKafka } from '../kafka/offsets.js';
import type { TopicSpec } from '../kafka/topic-admin.js';
import type { StageTopics } from '../runtime/stage-setup.js';

/** A record of an in-memory topic: the kafkajs message a consumer would fetch, and where it sits. */
export interface LogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly message: KafkaMessage;
}

interface TopicLog {
  readonly partitions: LogRecord[][];
  /** Every record in the order it was written, across partitions (what a reader of the whole topic sees). */
  readonly written: LogRecord[];
  /** Next partition of a record without key or partition (the producer's round robin, from 0). */
  roundRobin: number;
}

/** Called after a record was appended to a topic (reference-data tables follow their topics with it). */
export type AppendListener = (record: LogRecord) => void;

/**
 * Topics held in memory, as a broker would hold them for one job: partitioned logs with offsets from 0, committed
 * group offsets, `max.message.bytes`. Every write is visible at once: records reach a topic only through a commit
 * (or a test's input), so what it holds is what a read_committed consumer sees.
 */
export class InMemoryTopics implements StageTopics {
  readonly #topics = new Map<string, TopicLog>();
  readonly #committed = new Map<string, number>();
  readonly #listeners = new Map<string, AppendListener[]>();
  readonly #maxMessageBytes: number;
  #writes = 0;

  constructor(maxMessageBytes: number) {
    this.#maxMessageBytes = maxMessageBytes;
  }

  /** Records appended and offsets committed so far (tells whether a commit round wrote anything). */
  get writes(): number {
    return this.#writes;
  }

  has(topic: string): boolean {
    return this.#topics.has(topic);
  }

  get names(): string[] {
    return [...this.#topics.keys()];
  }

  /** Creates the topic unless it exists (an existing topic keeps its partitions). */
  create(topic: string, partitions: number): void {
    if (this.#topics.has(topic)) return;
    this.#topics.set(topic, {
      partitions: Array.from({ length: partitions }, () => []),
      written: [],
      roundRobin: 0,
    });
  }

  /** Partitions of the topic; undefined when it does not exist. */
  countOf(topic: string): number | undefined {
    return this.#topics.get(topic)?.partitions.length;
  }

  async partitionCount(topic: string): Promise<number | undefined> {
    return this.countOf(topic);
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    for (const spec of specs) this.create(spec.topic, spec.numPartitions);
  }

  async maxMessageBytes(topics: readonly string[]): Promise<Map<string, number>> {
    return new Map(topics.map((t) => [t, this.#maxMessageBytes]));
  }

  /**
   * Appends one record as a producer would send it: to its `partition`, else by its key (murmur2, Kafka's default
   * partitioner), else round robin. Returns the stored record.
   */
  append(topic: string, message: Message, nowMs: number): LogRecord {
    const log = this.#log(topic);
    const key = toBuffer(message.key);
    const count = log.partitions.length;
    let partition = message.partition;
    if (partition === undefined || partition === null) {
      partition = key === null ? log.roundRobin++ % count : partitionForKey(key, count);
    } else if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
      throw new ProcessorError(
        PROCESSOR_ERROR_CODES.UNKNOWN_TOPIC,
        `partition ${String(partition)} of topic ${topic} does not exist (it has ${count})`,
      );
    }
    const records = log.partitions[partition]!;
    const offset = records.length;
    const record: LogRecord = {
      topic,
      partition,
      offset,
      message: {
        key,
        value: toBuffer(message.value),
        timestamp: message.timestamp ?? String(nowMs),
        attributes: 0,
        offset: offsetToKafka(offset),
        headers: message.headers ?? {},
      },
    };
    records.push(record);
    log.written.push(record);
    this.#writes += 1;
    for (const listener of this.#listeners.get(topic) ?? []) listener(record);
    return record;
  }

  /** The records of one partition in offset order (a live view: later appends show in it). */
  partitionLog(topic: string, partition: number): readonly LogRecord[] {
    return this.#log(topic).partitions[partition]!;
  }

  /** The end offset (next offset to write) of one partition. */
  endOffset(topic: string, partition: number): number {
    return this.#log(topic).partitions[partition]!.length;
  }

  /** Every record of the topic from the `from`-th written on, in the order they were written. */
  written(topic: string, from = 0): readonly LogRecord[] {
    return this.#topics.get(topic)?.written.slice(from) ?? [];
  }

  /** Records written to the topic so far. */
  size(topic: string): number {
    return this.#topics.get(topic)?.written.length ?? 0;
  }

  onAppend(topic: string, listener: AppendListener): () => void {
    const listeners = this.#listeners.get(topic) ?? [];
    this.#listeners.set(topic, [...listeners, listener]);
    return () => {
      const now = this.#listeners.get(topic) ?? [];
      this.#listeners.set(
        topic,
        now.filter((l) => l !== listener),
      );
    };
  }

  commitOffset(group: string, topic: string, partition: number, offset: number): void {
    this.#committed.set(offsetKey(group, topic, partition), offset);
    this.#writes += 1;
  }

  /** The group's committed offset (the next to read) of one partition; null when none. */
  committedOffset(group: string, topic: string, partition: number): number | null {
    return this.#committed.get(offsetKey(group, topic, partition)) ?? null;
  }

  #log(topic: string): TopicLog {
    const log = this.#topics.get(topic);
    if (log === undefined)
      throw new ProcessorError(PROCESSOR_ERROR_CODES.UNKNOWN_TOPIC, `topic ${topic} does not exist`);
    return log;
  }
}

function offsetKey(group: string, topic: string, partition: number): string {
  return `${group}\u0000${topic}\u0000${partition}`;
}

function toBuffer(field: Buffer | string | null | undefined): Buffer | null {
  if (field === null || field === undefined) return null;
  return typeof field === 'string' ? Buffer.from(field, 'utf8') : field;
}
