import { partitionForKey } from '@tributary/kafka';
import type { IHeaders, Message, TopicMessages } from '@tributary/kafka';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import type { ChangelogEntry, OutputRecord } from '../task/partition-task.js';
import { isOversized, oversizedDeadLetter, type OutputSource } from './oversized-records.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './topic-admin.js';
import { changelogTopic } from './topic-names.js';

export interface RouteContext {
  readonly stageId: string;
  /** The input partition the task owns; its changelog records go to the same partition number. */
  readonly inputPartition: number;
  /** Logical output name → topic; null = discard. */
  readonly outputs: ReadonlyMap<string, string | null>;
  /** Partition count per output topic, read at start (broadcast copies; by-key partitions). */
  readonly partitionCounts: ReadonlyMap<string, number>;
  readonly nowMs: number;
  /**
   * `max.message.bytes` per output topic, read at start: a record the broker would refuse is replaced by a truncated
   * dead letter on `deadLetterOutput` (output topics not listed are not checked; changelog topics not listed are held
   * to the broker default).
   */
  readonly maxMessageBytes?: ReadonlyMap<string, number>;
  /** The logical output oversized records are dead-lettered to. @defaultValue 'dead-letter' */
  readonly deadLetterOutput?: string;
  /** Where the task's input stood (the source headers of a replacing dead letter). */
  readonly source?: OutputSource;
}

export interface RoutedRecords {
  readonly topicMessages: TopicMessages[];
  /** Records per logical output (a broadcast counts once per copy; discarded outputs count what was dropped). */
  readonly outputCounts: Map<string, number>;
  readonly changelogCount: number;
  readonly messageCount: number;
  /** Output records replaced by a dead letter because they were over their topic's max.message.bytes, by output. */
  readonly oversized: Map<string, number>;
}

/**
 * Maps drained task outputs and changelog entries onto Kafka messages, grouped per topic in production order.
 * by-key gets the partition the producer's default partitioner would pick (the Java client's murmur2 of the key over
 * the topic's partition count; kafkajs' own choice for a null key), set explicitly so the producer's partitioner does
 * no per-message work; broadcast writes one copy to every partition of the target topic; changelog entries go to `${stageId}-${store}-changelog`, partition = input partition.
 */
export function routeRecords(
  outputs: readonly OutputRecord[],
  changelog: readonly ChangelogEntry[],
  ctx: RouteContext,
): RoutedRecords {
  const byTopic = new Map<string, Message[]>();
  const outputCounts = new Map<string, number>();
  const oversized = new Map<string, number>();
  const limits = ctx.maxMessageBytes;
  let messageCount = 0;
  const push = (topic: string, message: Message): void => {
    let list = byTopic.get(topic);
    if (list === undefined) byTopic.set(topic, (list = []));
    list.push(message);
    messageCount += 1;
  };
  for (const record of outputs) {
    const topic = ctx.outputs.get(record.output);
    if (topic === null) {
      outputCounts.set(record.output, (outputCounts.get(record.output) ?? 0) + 1);
      continue;
    }
    if (topic === undefined) {
      throw new ProcessorError(
        PROCESSOR_ERROR_CODES.UNKNOWN_OUTPUT,
        `task output "${record.output}" is not mapped to a topic; add outputs.${record.output}`,
      );
    }
    const base: Message = {
      key: record.key,
      value: record.value,
      headers: { ...record.headers } as IHeaders,
      timestamp: String(record.timestamp ?? ctx.nowMs),
    };
    const limit = limits?.get(topic);
    if (limit !== undefined && isOversized(base, limit)) {
      const replaced = deadLetterInstead(base, topic, limit, ctx);
      oversized.set(record.output, (oversized.get(record.output) ?? 0) + 1);
      const output = replaced.output;
      outputCounts.set(output, (outputCounts.get(output) ?? 0) + 1);
      if (replaced.topic !== null) push(replaced.topic, replaced.message);
      continue;
    }
    const destination = record.destination;
    let copies = 1;
    if (destination.kind === 'by-key') {
      const count = ctx.partitionCounts.get(topic);
      if (count === undefined || record.key === null || record.key === undefined) push(topic, base);
      else push(topic, { ...base, partition: partitionForKey(record.key, count) });
    } else if (destination.kind === 'partition') {
      push(topic, { ...base, partition: destination.partition });
    } else {
      const count = ctx.partitionCounts.get(topic);
      if (count === undefined)
        throw new ProcessorError(
          PROCESSOR_ERROR_CODES.TOPIC_ADMIN_FAILED,
          `partition count of ${topic} unknown`,
        );
      for (let p = 0; p < count; p++) push(topic, { ...base, partition: p });
      copies = count;
    }
    outputCounts.set(record.output, (outputCounts.get(record.output) ?? 0) + copies);
  }
  for (const entry of changelog) {
    const topic = changelogTopic(ctx.stageId, entry.store);
    const message: Message = {
      key: entry.key,
      value: entry.value,
      partition: ctx.inputPartition,
      timestamp: String(ctx.nowMs),
    };
    // State cannot be dead-lettered: an entry the broker would refuse fails the commit, naming the store and key.
    const limit = limits?.get(topic) ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (isOversized(message, limit)) {
      throw new ProcessorError(
        PROCESSOR_ERROR_CODES.RECORD_TOO_LARGE,
        `state entry ${JSON.stringify(entry.key.slice(0, 200))} of store ${entry.store} is over ${topic}'s ` +
          `max.message.bytes (${limit}): the task's state grew past what its changelog can hold`,
      );
    }
    push(topic, message);
  }
  const topicMessages: TopicMessages[] = [];
  for (const [topic, messages] of byTopic) topicMessages.push({ topic, messages });
  return { topicMessages, outputCounts, changelogCount: changelog.length, messageCount, oversized };
}

/**
 * The dead letter replacing an oversized record (partitioned by its key, like every dead letter). Without a mapped
 * dead-letter output the commit fails, naming the record: it is never dropped silently. A dead-letter output mapped
 * to null discards it (counted), as that mapping discards every dead letter.
 */
function deadLetterInstead(
  message: Message,
  topic: string,
  limit: number,
  ctx: RouteContext,
): { output: string; topic: string | null; message: Message } {
  const output = ctx.deadLetterOutput ?? 'dead-letter';
  const deadLetterTopic = ctx.outputs.get(output);
  if (deadLetterTopic === undefined) {
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.RECORD_TOO_LARGE,
      `a record for ${topic} is over its max.message.bytes (${limit}) and there is no "${output}" output to ` +
        `dead-letter it to; add outputs.${output}`,
    );
  }
  if (deadLetterTopic === null) return { output, topic: null, message };
  const source = ctx.source ?? { topic: '', partition: ctx.inputPartition, offset: undefined };
  const deadLetterLimit = ctx.maxMessageBytes?.get(deadLetterTopic) ?? limit;
  const replaced = oversizedDeadLetter(message, topic, limit, deadLetterLimit, source);
  // By the original key, as every other dead letter of that key (the replacement's key may be truncated).
  const count = ctx.partitionCounts.get(deadLetterTopic);
  if (count !== undefined && message.key !== null && message.key !== undefined)
    replaced.partition = partitionForKey(message.key as Buffer, count);
  return { output, topic: deadLetterTopic, message: replaced };
}
