import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { PacingSchedule, plannedRecords } from '../../src/pacing/pacing-schedule.js';

describe('PacingSchedule', () => {
  it('spaces intended send times by 1/rate from the start', () => {
    const s = new PacingSchedule(1000, 500);
    expect(s.intendedAt(0)).toBe(500);
    expect(s.intendedAt(1)).toBe(501);
    expect(s.intendedAt(2500)).toBe(3000);
  });

  it('places record i at start + i / rate without drift', () => {
    const s = new PacingSchedule(3, 100, 3);
    expect(s.intendedAt(0)).toBe(100);
    expect(s.intendedAt(3)).toBe(1100);
    // After a million records the intended time is still exact (no accumulated float error).
    const fast = new PacingSchedule(100_000, 0, 6_000_000);
    expect(fast.intendedAt(1_000_000)).toBe(10_000);
  });

  it('counts due records from the clock reading, capped by the total', () => {
    const s = new PacingSchedule(1000, 50, 10);
    expect(s.dueCount(49.9)).toBe(0);
    expect(s.dueCount(50)).toBe(1);
    expect(s.dueCount(53.5)).toBe(4);
    expect(s.dueCount(1e9)).toBe(10);
  });

  it('counts due records with an injected clock, inclusive of the exact intended time', () => {
    const clock = new ManualClock(100);
    const s = new PacingSchedule(3, clock.now(), 10);
    expect(s.dueCount(clock.now() - 1)).toBe(0);
    expect(s.dueCount(clock.now())).toBe(1);
    clock.advance(1000 / 3);
    expect(s.dueCount(clock.now())).toBe(2);
    clock.advance(1000 / 3 + 1000 / 3);
    expect(s.dueCount(clock.now())).toBe(4);
    clock.advance(10_000);
    expect(s.dueCount(clock.now())).toBe(10);
    for (let seq = 0; seq < 10; seq++) {
      expect(s.dueCount(s.intendedAt(seq))).toBe(seq + 1);
      expect(s.dueCount(s.intendedAt(seq) - 1e-6)).toBe(seq);
    }
  });

  it('records schedule lag separately and never negative', () => {
    const s = new PacingSchedule(100, 0);
    expect(s.lagOf(10, 100)).toBe(0);
    expect(s.lagOf(10, 250)).toBe(150);
    expect(s.lagOf(10, 50)).toBe(0);
    expect(s.delayUntil(10, 40)).toBe(60);
    expect(s.delayUntil(10, 400)).toBe(0);
  });

  it('treats rate 0 as unthrottled', () => {
    const s = new PacingSchedule(0, 10, 500);
    expect(s.unthrottled).toBe(true);
    expect(s.dueCount(0)).toBe(500);
    expect(s.intendedAt(499)).toBe(10);
    expect(() => new PacingSchedule(-1, 0)).toThrow(/rate/);
    expect(() => new PacingSchedule(1, Infinity)).toThrow(/^startMs must be a finite number/);
  });

  it('plans records from count, or rate × duration', () => {
    expect(plannedRecords(1000, 30_000, undefined)).toBe(30_000);
    expect(plannedRecords(1000, 30_000, 77)).toBe(77);
    expect(plannedRecords(0, 30_000, undefined)).toBe(Number.POSITIVE_INFINITY);
  });
});
