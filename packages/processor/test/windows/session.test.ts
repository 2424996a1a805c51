import { describe, expect, it } from 'vitest';
import { mergeSessionWindow, SessionWindows, sessionsTouch } from '../../src/windows/session.js';

describe('SessionWindows', () => {
  it('assigns the proto-session [ts, ts + gap)', () => {
    const w = new SessionWindows({ gapMs: 1800_000 });
    expect(w.assign(1000)).toEqual([{ start: 1000, end: 1_801_000 }]);
    expect(() => new SessionWindows({ gapMs: 0 })).toThrow(/gapMs/);
  });

  it('touching windows merge (Flink rule)', () => {
    expect(sessionsTouch({ start: 0, end: 10 }, { start: 10, end: 20 })).toBe(true);
    expect(sessionsTouch({ start: 0, end: 10 }, { start: 11, end: 20 })).toBe(false);
  });

  it('an event bridging two sessions merges them', () => {
    const sessions = [
      { start: 0, end: 10, id: 'a' },
      { start: 15, end: 25, id: 'b' },
      { start: 100, end: 110, id: 'c' },
    ];
    const merge = mergeSessionWindow(sessions, { start: 8, end: 18 });
    expect(merge.absorbed.map((s) => s.id)).toEqual(['a', 'b']);
    expect(merge.window).toEqual({ start: 0, end: 25 });
  });

  it('an isolated event absorbs nothing', () => {
    const merge = mergeSessionWindow([{ start: 0, end: 10 }], { start: 50, end: 60 });
    expect(merge.absorbed).toEqual([]);
    expect(merge.window).toEqual({ start: 50, end: 60 });
  });
});
