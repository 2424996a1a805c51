import { describe, expect, it } from 'vitest';
import { ConstantRateSchedule } from '../../src/pacing/constant-rate-schedule.js';

describe('ConstantRateSchedule', () => {
  it('places operation i at start + i / rate without drift', () => {
    const s = new ConstantRateSchedule({ ratePerSec: 3, durationMs: 1000, startMs: 100 });
    expect(s.intervalMs).toBeCloseTo(333.333, 3);
    expect(s.intendedMs(0)).toBe(100);
    expect(s.intendedMs(3)).toBe(1100);
    expect(s.totalOperations).toBe(3);
    // After a million operations the intended time is still exact (no accumulated float error).
    const fast = new ConstantRateSchedule({ ratePerSec: 100_000, durationMs: 60_000, startMs: 0 });
    expect(fast.intendedMs(1_000_000)).toBe(10_000);
    expect(fast.totalOperations).toBe(6_000_000);
  });

  it('excludes the warm-up from the measured operations', () => {
    const s = new ConstantRateSchedule({ ratePerSec: 100, durationMs: 2000, warmupMs: 500, startMs: 0 });
    expect(s.warmupOperations).toBe(50);
    expect(s.totalOperations).toBe(250);
    expect(s.measuredOperations).toBe(200);
    expect(s.operation(49)).toEqual({ index: 49, intendedMs: 490, warmup: true });
    expect(s.operation(50)).toEqual({ index: 50, intendedMs: 500, warmup: false });
    expect(s.measuredFromMs).toBe(500);
    expect(s.endMs).toBe(2500);
  });

  it('counts due operations from the clock reading', () => {
    const s = new ConstantRateSchedule({ ratePerSec: 1000, durationMs: 10, startMs: 50 });
    expect(s.dueCount(49.9)).toBe(0);
    expect(s.dueCount(50)).toBe(1);
    expect(s.dueCount(53.5)).toBe(4);
    expect(s.dueCount(1e9)).toBe(10);
  });

  it('rejects bad options naming the option', () => {
    expect(() => new ConstantRateSchedule({ ratePerSec: 0, durationMs: 1, startMs: 0 })).toThrow(
      /^ratePerSec must be/,
    );
    expect(() => new ConstantRateSchedule({ ratePerSec: 1, durationMs: -1, startMs: 0 })).toThrow(
      /^durationMs must be/,
    );
    expect(
      () => new ConstantRateSchedule({ ratePerSec: 1, durationMs: 1, warmupMs: Number.NaN, startMs: 0 }),
    ).toThrow(/^warmupMs must be/);
    expect(() => new ConstantRateSchedule({ ratePerSec: 1, durationMs: 1, startMs: Infinity })).toThrow(
      expect.objectContaining({ code: 'TRIB_BENCH_INVALID_OPTION', option: 'startMs' }),
    );
    const s = new ConstantRateSchedule({ ratePerSec: 1, durationMs: 1000, startMs: 0 });
    expect(() => s.operation(1)).toThrow(RangeError);
  });
});
