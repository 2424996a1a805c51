'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload for node -r, patching kafkajs' require cache */
/**
 * Bench-only experiment (`--linear-grouping`), preloaded with `node -r`: replaces kafkajs 2.2.4's
 * producer/groupMessagesPerPartition — which copies the partition's array for every message (`[...current, message]`),
 * O(n²) in the messages per partition of one send/sendBatch — with a linear version of the same result. It shows
 * how much of the processor's cost is that copy; the shipped processor does not load it.
 */
const path = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');

function groupMessagesPerPartition({ topic, partitionMetadata, messages, partitioner }) {
  if (partitionMetadata.length === 0) return {};
  const result = {};
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (result[partition] ??= []).push(message);
  }
  return result;
}

require(path);
require.cache[path].exports = groupMessagesPerPartition;
