/**
 * The Java client's (and kafkajs 2.x default) partitioner for keyed messages: `toPositive(murmur2(key)) % partitions`
 * (shared with the processor, from @tributary/schema). The producer computes each event's partition with it and sets
 * it explicitly, so the ground truth knows the log order.
 */
export { murmur2, partitionForKey } from '@tributary/schema';
