import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { PartitionerArgs } from 'kafkajs';
import { loadKafkajs } from '../src/kafkajs/kafkajs-module.js';
import { ExplicitFirstPartitioner, murmur2, partitionForKey } from '../src/partitioning.js';

const require = createRequire(import.meta.url);
const { Partitioners } = loadKafkajs();
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: string,
) => number;

describe('partitionForKey', () => {
  it('matches kafkajs murmur2 for keys of every length modulo 4', () => {
    for (const key of ['', 'a', 'ab', 'abc', 'abcd', 'u000123', 'user-42', 'ünïcødé', 'x'.repeat(1000)]) {
      expect(murmur2(key)).toBe(kafkajsMurmur2(key));
    }
  });

  it('matches the Java client test vectors', () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    expect(murmur2('21')).toBe(-973932308);
    expect(murmur2('foobar')).toBe(-790332482);
    expect(murmur2('a-little-bit-long-string')).toBe(-985981536);
    expect(murmur2('a-little-bit-longer-string')).toBe(-1486304829);
    expect(murmur2('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8')).toBe(-58897971);
    expect(murmur2('abc')).toBe(479470107);
  });

  it('picks the partition kafkajs DefaultPartitioner picks', () => {
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 7 }, (_, i) => ({
      partitionId: i,
      leader: 1,
      partitionErrorCode: 0,
      replicas: [1],
      isr: [1],
    }));
    for (let i = 0; i < 500; i++) {
      const key = `u${String(i).padStart(5, '0')}`;
      expect(partitionForKey(key, 7)).toBe(
        partitioner({ topic: 't', partitionMetadata, message: { key, value: null } }),
      );
    }
  });
});

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
    const theirs = loadKafkajs().Partitioners.DefaultPartitioner();
    for (const key of ['u0001', 'u0002', 'user-éè', 'x'.repeat(37)]) {
      expect(ours(args({ key, value: 'v' }))).toBe(theirs(args({ key, value: 'v' })));
      expect(ours(args({ key: Buffer.from(key), value: 'v' }))).toBe(
        theirs(args({ key: Buffer.from(key), value: 'v' })),
      );
    }
  });
});
