import kafkajs from 'kafkajs';
import type { PartitionerArgs } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ExplicitFirstPartitioner } from '../../src/kafka/explicit-partitioner.js';

const { Partitioners } = kafkajs;

const partitionMetadata = [0, 1, 2, 3, 4, 5].map((partitionId) => ({
  partitionErrorCode: 0,
  partitionId,
  leader: 1,
  replicas: [1],
  isr: [1],
}));
const args = (message: PartitionerArgs['message']): PartitionerArgs => ({
  topic: 't',
  partitionMetadata,
  message,
});

describe('ExplicitFirstPartitioner', () => {
  it("returns a message's explicit partition", () => {
    const partition = ExplicitFirstPartitioner();
    expect(partition(args({ key: 'u1', value: 'v', partition: 4 }))).toBe(4);
    expect(partition(args({ key: 'u1', value: 'v', partition: 0 }))).toBe(0);
  });

  it("falls back to kafkajs' default (murmur2 of the key) when no partition is set", () => {
    const ours = ExplicitFirstPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const key of ['u0001', 'u0002', 'user-éè', 'x'.repeat(37)]) {
      expect(ours(args({ key, value: 'v' }))).toBe(theirs(args({ key, value: 'v' })));
      expect(ours(args({ key: Buffer.from(key), value: 'v' }))).toBe(
        theirs(args({ key: Buffer.from(key), value: 'v' })),
      );
    }
  });
});
