import { describe, expect, it } from 'vitest';
import { HoppingWindows } from '../../src/windows/hopping.js';

describe('HoppingWindows', () => {
  it('assigns an event to size/advance overlapping windows, ordered by start', () => {
    const w = new HoppingWindows({ sizeMs: 60_000, advanceMs: 20_000 });
    expect(w.assign(65_000)).toEqual([
      { start: 20_000, end: 80_000 },
      { start: 40_000, end: 100_000 },
      { start: 60_000, end: 120_000 },
    ]);
  });

  it('handles a size that is not a multiple of the advance', () => {
    const w = new HoppingWindows({ sizeMs: 25, advanceMs: 10 });
    // windows containing 30: starts 10 ([10,35)), 20, 30
    expect(w.assign(30).map((x) => x.start)).toEqual([10, 20, 30]);
    for (const win of w.assign(37)) {
      expect(win.start <= 37 && 37 < win.end).toBe(true);
    }
  });

  it('equals tumbling when advance = size, and honours the offset', () => {
    const w = new HoppingWindows({ sizeMs: 100, advanceMs: 100, offsetMs: 7 });
    expect(w.assign(106)).toEqual([{ start: 7, end: 107 }]);
    expect(w.assign(107)).toEqual([{ start: 107, end: 207 }]);
  });

  it('rejects an advance larger than the size', () => {
    expect(() => new HoppingWindows({ sizeMs: 10, advanceMs: 20 })).toThrow(/advanceMs must be ≤ sizeMs/);
    expect(() => new HoppingWindows({ sizeMs: 10, advanceMs: 0 })).toThrow(/advanceMs/);
  });
});
