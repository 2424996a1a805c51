import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { groupMessagesPerPartition } from '../../src/kafkajs/linear-grouping.js';

// kafkajs' own grouping (its module is loaded directly here, whatever the process installed).
const kafkajsGrouping = createRequire(import.meta.url)(
  'kafkajs/src/producer/groupMessagesPerPartition.js',
) as typeof groupMessagesPerPartition;

describe('groupMessagesPerPartition (linear)', () => {
  it("gives kafkajs' result: partition → messages in send order, {} without metadata", () => {
    const messages = Array.from({ length: 500 }, (_, i) => ({ i, partition: (i * 7919) % 5 }));
    const args = {
      topic: 't',
      partitionMetadata: [{}, {}, {}, {}, {}],
      messages,
      partitioner: ({ message }: { message: { partition: number } }) => message.partition,
    };
    const ours = groupMessagesPerPartition(args);
    expect(ours).toEqual(kafkajsGrouping(args));
    expect(Object.keys(ours)).toEqual(['0', '1', '2', '3', '4']);
    expect(ours[3]!.map((m) => m.i)).toEqual(messages.filter((m) => m.partition === 3).map((m) => m.i));
    expect(groupMessagesPerPartition({ ...args, partitionMetadata: [] })).toEqual({});
    expect(kafkajsGrouping({ ...args, partitionMetadata: [] })).toEqual({});
  });
});
