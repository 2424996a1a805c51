import { describe, expect, it } from 'vitest';
import { sampleStage, taskWatermark } from '../../src/metrics/task-sample.js';

describe('taskWatermark', () => {
  it('reads a watermark getter, a method or watermarks.data; −∞ and missing are undefined', () => {
    expect(taskWatermark({ watermark: 5 })).toBe(5);
    expect(taskWatermark({ watermark: () => 6 })).toBe(6);
    expect(taskWatermark({ watermarks: { data: 7, emit: 3 } })).toBe(7);
    expect(taskWatermark({ watermark: Number.NEGATIVE_INFINITY })).toBeUndefined();
    expect(taskWatermark({})).toBeUndefined();
  });
});

describe('sampleStage', () => {
  const task = (watermark: number, sizes: Record<string, number>) => ({
    watermark,
    stateSize: Object.fromEntries(
      Object.entries(sizes).map(([k, entries]) => [k, { entries, approxBytes: 0 }]),
    ),
  });

  it('computes watermark lag, idle partitions, open windows and entries per store at the given clock', () => {
    const now = 100_000;
    const sample = sampleStage(
      [
        {
          topic: 'in',
          partition: 0,
          task: task(90_000, { 'pc-windows': 4, 'pc-dedup': 50 }),
          lastActiveMs: 99_000,
        },
        {
          topic: 'in',
          partition: 1,
          task: task(40_000, { 'pc-windows': 2, 'pc-dedup': 10 }),
          lastActiveMs: 60_000,
        },
        { topic: 'in', partition: 2, task: {}, lastActiveMs: 100_000 },
      ],
      now,
      30_000,
    );
    expect(sample.partitions).toEqual([
      { topic: 'in', partition: 0, watermarkMs: 90_000, watermarkLagSeconds: 10, idle: false },
      { topic: 'in', partition: 1, watermarkMs: 40_000, watermarkLagSeconds: 60, idle: true },
      { topic: 'in', partition: 2, watermarkMs: undefined, watermarkLagSeconds: undefined, idle: false },
    ]);
    expect(sample.idlePartitions).toBe(1);
    expect(sample.windowsOpen).toBe(6);
    expect([...sample.stateEntries]).toEqual([
      ['pc-windows', 6],
      ['pc-dedup', 60],
    ]);
  });

  it('counts a partition idle exactly at the timeout and never with none', () => {
    const t = [{ topic: 'in', partition: 0, task: {}, lastActiveMs: 0 }];
    expect(sampleStage(t, 29_999, 30_000).idlePartitions).toBe(0);
    expect(sampleStage(t, 30_000, 30_000).idlePartitions).toBe(1);
    expect(sampleStage([], 30_000, 30_000)).toMatchObject({ idlePartitions: 0, windowsOpen: 0 });
  });
});
