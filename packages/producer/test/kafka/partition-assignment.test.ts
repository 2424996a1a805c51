import { describe, expect, it } from 'vitest';
import { assignPartitions } from '../../src/kafka/partition-assignment.js';

describe('assignPartitions', () => {
  it('deals partitions round-robin, each to exactly one producer', () => {
    const a = assignPartitions(10, 4);
    expect(a.producers).toBe(4);
    expect(a.partitionsOf).toEqual([
      [0, 4, 8],
      [1, 5, 9],
      [2, 6],
      [3, 7],
    ]);
    expect(a.producerOf).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
  });

  it('never uses more producers than partitions', () => {
    const a = assignPartitions(3, 8);
    expect(a.producers).toBe(3);
    expect(a.partitionsOf).toEqual([[0], [1], [2]]);
  });

  it('puts every partition on the one producer when there is one', () => {
    const a = assignPartitions(5, 1);
    expect(a.partitionsOf).toEqual([[0, 1, 2, 3, 4]]);
    expect(a.producerOf).toEqual([0, 0, 0, 0, 0]);
  });

  it('is a partition of the partitions: disjoint and covering, with producerOf consistent', () => {
    for (const [partitions, producers] of [
      [1, 1],
      [4, 4],
      [7, 3],
      [64, 5],
      [100, 64],
    ] as const) {
      const a = assignPartitions(partitions, producers);
      const all = a.partitionsOf.flat().sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: partitions }, (_, p) => p));
      a.partitionsOf.forEach((ps, i) => {
        for (const p of ps) expect(a.producerOf[p]).toBe(i);
      });
      const sizes = a.partitionsOf.map((ps) => ps.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('rejects counts below 1 or not integers', () => {
    expect(() => assignPartitions(0, 1)).toThrow(/partitions must be an integer >= 1 \(got 0\)/);
    expect(() => assignPartitions(4, 0)).toThrow(/producers must be an integer >= 1 \(got 0\)/);
    expect(() => assignPartitions(4, 1.5)).toThrow(/producers must be an integer >= 1/);
  });
});
