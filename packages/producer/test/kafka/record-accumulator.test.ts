import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { RecordAccumulator } from '../../src/kafka/record-accumulator.js';
import type { PendingRecord } from '../../src/kafka/record-accumulator.js';

const rec = (seq: number, partition: number): PendingRecord => ({
  seq,
  partition,
  key: `k${seq}`,
  value: new Uint8Array([seq]),
  headers: undefined,
  intendedMs: seq,
  fault: 'none',
  event: undefined,
});

describe('RecordAccumulator', () => {
  it('becomes ready when a partition is full and drains every partition in per-partition order', () => {
    const clock = new ManualClock();
    const acc = new RecordAccumulator(3, { batchSize: 3, lingerMs: 1000 });
    acc.add(rec(0, 0), clock.now());
    acc.add(rec(1, 2), clock.now());
    acc.add(rec(2, 0), clock.now());
    expect(acc.ready(clock.now())).toBe(false);
    expect(acc.drain(clock.now())).toEqual([]);
    acc.add(rec(3, 0), clock.now());
    expect(acc.ready(clock.now())).toBe(true);
    expect(acc.drain(clock.now()).map((r) => r.seq)).toEqual([0, 2, 3, 1]);
    expect(acc.size).toBe(0);
    expect(acc.ready(clock.now())).toBe(false);
  });

  it('becomes ready when the oldest record has lingered long enough', () => {
    const clock = new ManualClock(100);
    const acc = new RecordAccumulator(2, { batchSize: 100, lingerMs: 5 });
    expect(acc.nextDeadline()).toBe(Number.POSITIVE_INFINITY);
    acc.add(rec(0, 1), clock.now());
    clock.advance(3);
    acc.add(rec(1, 0), clock.now());
    expect(acc.nextDeadline()).toBe(105);
    expect(acc.ready(104.9)).toBe(false);
    clock.advance(2);
    expect(acc.ready(clock.now())).toBe(true);
    expect(acc.drain(clock.now()).map((r) => r.seq)).toEqual([1, 0]);
    expect(acc.nextDeadline()).toBe(Number.POSITIVE_INFINITY);
  });

  it('drains at most batchSize records per partition per call', () => {
    const acc = new RecordAccumulator(2, { batchSize: 2, lingerMs: 1000 });
    for (let i = 0; i < 5; i++) acc.add(rec(i, 0), 0);
    acc.add(rec(5, 1), 0);
    expect(acc.drain(0).map((r) => r.seq)).toEqual([0, 1, 5]);
    expect(acc.size).toBe(3);
    expect(acc.ready(0)).toBe(true);
    expect(acc.drain(0).map((r) => r.seq)).toEqual([2, 3]);
    expect(acc.ready(0)).toBe(false);
    expect(acc.ready(1000)).toBe(true);
    expect(acc.drain(1000).map((r) => r.seq)).toEqual([4]);
    expect(acc.size).toBe(0);
  });

  it('drains on force and rejects unknown partitions', () => {
    const acc = new RecordAccumulator(1, { batchSize: 10, lingerMs: 10 });
    expect(acc.drain(0, true)).toEqual([]);
    acc.add(rec(0, 0), 0);
    expect(acc.drain(0, true)).toHaveLength(1);
    expect(() => acc.add(rec(1, 1), 0)).toThrow(/partition 1/);
  });
});
