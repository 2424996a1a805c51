import { describe, expect, it } from 'vitest';
import { EVENT_TIME_DEFAULTS, isLate, isWindowClosed, windowStartOf } from '../src/event-time.js';

describe('EVENT_TIME_DEFAULTS', () => {
  it("keeps the reference clickstream job's contract: 1-minute windows, B = 5 s, L = 0, 10-minute dedup, 30 s idle", () => {
    expect(EVENT_TIME_DEFAULTS).toEqual({
      windowSizeMs: 60_000,
      windowOffsetMs: 0,
      outOfOrdernessMs: 5_000,
      allowedLatenessMs: 0,
      dedupTtlMs: 600_000,
      idleTimeoutMs: 30_000,
    });
  });
});

describe('windowStartOf', () => {
  it('floors to the window size, aligned on the epoch plus the offset', () => {
    expect(windowStartOf(0, 60_000)).toBe(0);
    expect(windowStartOf(59_999, 60_000)).toBe(0);
    expect(windowStartOf(60_000, 60_000)).toBe(60_000);
    expect(windowStartOf(125_000, 60_000, 10_000)).toBe(70_000);
    expect(windowStartOf(5_000, 60_000, 10_000)).toBe(-50_000);
  });

  it('is a floor division before the epoch', () => {
    expect(windowStartOf(-1, 60_000)).toBe(-60_000);
    expect(windowStartOf(-60_000, 60_000)).toBe(-60_000);
    expect(windowStartOf(-60_001, 60_000)).toBe(-120_000);
  });
});

describe('isWindowClosed', () => {
  it('closes a window once windowEnd + L <= watermark', () => {
    expect(isWindowClosed(60_000, 59_999, 0)).toBe(false);
    expect(isWindowClosed(60_000, 60_000, 0)).toBe(true);
    expect(isWindowClosed(60_000, 61_000, 1_000)).toBe(true);
    expect(isWindowClosed(60_000, 60_999, 1_000)).toBe(false);
    expect(isWindowClosed(60_000, Number.NEGATIVE_INFINITY, 0)).toBe(false);
  });
});

describe('isLate', () => {
  const rules = { windowSizeMs: 60_000, windowOffsetMs: 0, allowedLatenessMs: 2_000 };

  it("is late exactly when the event's window is closed at the watermark", () => {
    expect(isLate(30_000, 61_999, rules)).toBe(false);
    expect(isLate(30_000, 62_000, rules)).toBe(true);
    expect(isLate(60_000, 62_000, rules)).toBe(false); // the next window
    expect(isLate(30_000, Number.NEGATIVE_INFINITY, rules)).toBe(false); // no event seen yet
  });

  it('follows the offset', () => {
    // [10 000, 70 000) with the offset, [60 000, 120 000) without.
    expect(isLate(65_000, 72_000, { ...rules, windowOffsetMs: 10_000 })).toBe(true);
    expect(isLate(65_000, 72_000, rules)).toBe(false);
    expect(isLate(5_000, 12_000, { ...rules, windowOffsetMs: 10_000 })).toBe(true);
  });
});
