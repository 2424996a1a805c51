import type { PartitionRange, TableSource, TableSourceBatch } from '../enrichment/table-loader.js';
import type { InMemoryTopics, LogRecord } from './in-memory-topics.js';

/**
 * A reference-data topic held in memory, read as `CompactedTopicSource` reads a Kafka topic: every partition from
 * its beginning to the end offsets taken at start, then each later record as it is written.
 */
export class InMemoryTableSource implements TableSource {
  readonly #topics: InMemoryTopics;
  readonly #topic: string;
  #unsubscribe: (() => void) | undefined;

  constructor(topics: InMemoryTopics, topic: string) {
    this.#topics = topics;
    this.#topic = topic;
  }

  async ranges(): Promise<ReadonlyMap<number, PartitionRange>> {
    const ranges = new Map<number, PartitionRange>();
    const count = this.#topics.countOf(this.#topic) ?? 0;
    for (let p = 0; p < count; p++) ranges.set(p, { start: 0, end: this.#topics.endOffset(this.#topic, p) });
    return ranges;
  }

  async start(onBatch: (batch: TableSourceBatch) => void): Promise<void> {
    const count = this.#topics.countOf(this.#topic) ?? 0;
    for (let partition = 0; partition < count; partition++) {
      const records = this.#topics.partitionLog(this.#topic, partition);
      if (records.length === 0) continue;
      onBatch({ partition, lastOffset: records.length - 1, records: records.map(tableRecord) });
    }
    this.#unsubscribe = this.#topics.onAppend(this.#topic, (record) =>
      onBatch({ partition: record.partition, lastOffset: record.offset, records: [tableRecord(record)] }),
    );
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}

function tableRecord(record: LogRecord): { offset: number; key: Buffer | null; value: Buffer | null } {
  return { offset: record.offset, key: record.message.key, value: record.message.value };
}
