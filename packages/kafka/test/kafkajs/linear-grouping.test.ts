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

  it('with an unknown-partition handler, throws for a partition outside the metadata instead of grouping it', () => {
    const args = {
      topic: 't',
      partitionMetadata: [{}, {}, {}, {}],
      messages: [{ partition: 1 }, { partition: 4 }],
      partitioner: ({ message }: { message: { partition: number } }) => message.partition,
    };
    const refuse = (topic: string, partition: number, known: number) =>
      new Error(`${topic}/${partition} unknown (${known})`);
    expect(() => groupMessagesPerPartition(args, refuse)).toThrow('t/4 unknown (4)');
    expect(() => groupMessagesPerPartition({ ...args, messages: [{ partition: -1 }] }, refuse)).toThrow();
    expect(groupMessagesPerPartition({ ...args, messages: [{ partition: 3 }] }, refuse)).toEqual({
      3: [{ partition: 3 }],
    });
    // kafkajs groups it and later finds no leader for it: the message is silently not sent.
    expect(Object.keys(kafkajsGrouping(args))).toEqual(['1', '4']);
  });
});
