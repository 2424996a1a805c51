/**
 * kafkajs 2.2.4 groups a send's messages per partition with `[...current, message]` for every message: a copy of the
 * partition's array per message, quadratic in the per-partition batch (~20% of a sender thread's CPU samples at
 * 1000 records per partition, and most of its garbage). This installs a linear grouping with the same result (an
 * object partition → messages in send order) into the module cache, so kafkajs' producer picks it up when it loads.
 *
 * Call `installLinearGrouping(createRequire(import.meta.url))` from the package whose kafkajs is to be patched, before
 * kafkajs' producer is loaded; once it is loaded it has no effect (kafkajs keeps its own reference) and nothing
 * changes. Only kafkajs 2.2.4's module layout is patched: with another version, or without the module, it does
 * nothing.
 */
import { patchKafkajsModule, supportedKafkajs } from './module-patch.js';

interface GroupArgs<M> {
  topic: string;
  partitionMetadata: readonly unknown[];
  messages: readonly M[];
  partitioner: (args: { topic: string; partitionMetadata: readonly unknown[]; message: M }) => number;
}

/** Same result as kafkajs' groupMessagesPerPartition, in linear time. */
export function groupMessagesPerPartition<M>({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: GroupArgs<M>): Record<number, M[]> {
  const result: Record<number, M[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    const list = result[partition];
    if (list === undefined) result[partition] = [message];
    else list.push(message);
  }
  return result;
}

/**
 * Installs the linear grouping into the kafkajs 2.2.4 that `require` resolves, if its producer is not loaded yet;
 * returns whether it is in place.
 */
export function installLinearGrouping(require: NodeJS.Require): boolean {
  return (
    supportedKafkajs(require) &&
    patchKafkajsModule(
      require,
      'kafkajs/src/producer/groupMessagesPerPartition.js',
      'kafkajs/src/producer/sendMessages.js',
      () => groupMessagesPerPartition.bind(null),
    )
  );
}
