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
 *
 * The installed grouping also refuses a message for a partition missing from the producer's metadata (kafkajs finds
 * no leader for it and drops it without an error: a changelog write to a partition added after the metadata was
 * fetched would vanish while its transaction commits). It throws kafkajs' KafkaJSMetadataNotLoaded, on which kafkajs
 * refreshes its metadata and retries the send.
 */
import { patchKafkajsModule, supportedKafkajs } from './module-patch.js';

interface GroupArgs<M> {
  topic: string;
  partitionMetadata: readonly unknown[];
  messages: readonly M[];
  partitioner: (args: { topic: string; partitionMetadata: readonly unknown[]; message: M }) => number;
}

/**
 * Called with a message's partition when the producer's metadata has no such partition (a topic that gained
 * partitions since the metadata was fetched); what it returns is thrown. Without it such messages are grouped
 * anyway — and kafkajs then drops them silently, since no broker leads that partition in its metadata.
 */
export type UnknownPartition = (topic: string, partition: number, known: number) => Error;

/**
 * Same result as kafkajs' groupMessagesPerPartition, in linear time — except that, with `unknownPartition`, a
 * message for a partition outside the metadata (ids 0 … n−1) throws instead of being dropped later.
 */
export function groupMessagesPerPartition<M>(
  { topic, partitionMetadata, messages, partitioner }: GroupArgs<M>,
  unknownPartition?: UnknownPartition,
): Record<number, M[]> {
  const result: Record<number, M[]> = {};
  if (partitionMetadata.length === 0) return result;
  const known = partitionMetadata.length;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    if (
      unknownPartition !== undefined &&
      !(partition >= 0 && partition < known && Number.isInteger(partition))
    )
      throw unknownPartition(topic, partition, known);
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
      () => {
        const { KafkaJSMetadataNotLoaded } = require('kafkajs/src/errors.js') as {
          KafkaJSMetadataNotLoaded: new (message: string) => Error;
        };
        // kafkajs' send loop answers KafkaJSMetadataNotLoaded by refreshing its metadata and retrying, so a partition
        // that exists by now is found; one that does not fails the send (and the transaction) instead of vanishing.
        const unknown: UnknownPartition = (topic, partition, known) =>
          new KafkaJSMetadataNotLoaded(
            `partition ${partition} of topic ${topic} is not in the producer's metadata (${known} partitions)`,
          );
        return (args: GroupArgs<unknown>) => groupMessagesPerPartition(args, unknown);
      },
    )
  );
}
