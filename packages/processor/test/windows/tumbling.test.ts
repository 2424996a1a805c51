import { describe, expect, it } from 'vitest';
import { TumblingWindows } from '../../src/windows/tumbling.js';

describe('TumblingWindows', () => {
  it('aligns windows to the epoch', () => {
    const w = new TumblingWindows({ sizeMs: 60_000 });
    expect(w.assign(0)).toEqual([{ start: 0, end: 60_000 }]);
    expect(w.assign(59_999)).toEqual([{ start: 0, end: 60_000 }]);
    expect(w.assign(60_000)).toEqual([{ start: 60_000, end: 120_000 }]);
    expect(w.assign(1_700_000_012_345)).toEqual([{ start: 1_699_999_980_000, end: 1_700_000_040_000 }]);
  });

  it('floors negative timestamps correctly', () => {
    const w = new TumblingWindows({ sizeMs: 1000 });
    expect(w.windowFor(-1)).toEqual({ start: -1000, end: 0 });
  });

  it('applies the offset: start = floor((ts - offset) / size) * size + offset', () => {
    const w = new TumblingWindows({ sizeMs: 60_000, offsetMs: 15_000 });
    expect(w.windowFor(14_999)).toEqual({ start: -45_000, end: 15_000 });
    expect(w.windowFor(15_000)).toEqual({ start: 15_000, end: 75_000 });
  });

  it('rejects bad options naming the option', () => {
    expect(() => new TumblingWindows({ sizeMs: 0 })).toThrow(/sizeMs must be a positive integer/);
    expect(() => new TumblingWindows({ sizeMs: 10, offsetMs: 1.5 })).toThrow(/offsetMs must be an integer/);
    expect(() => new TumblingWindows({ sizeMs: -1 })).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_INVALID_OPTION', option: 'sizeMs' }),
    );
  });

  it('returns one frozen array while timestamps stay in a window, a new one for the next window', () => {
    const w = new TumblingWindows({ sizeMs: 1000 });
    const first = w.assign(1_500);
    expect(w.assign(1_999)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true);
    expect(w.assign(2_000)).toEqual([{ start: 2_000, end: 3_000 }]);
    expect(w.assign(1_000)).toEqual([{ start: 1_000, end: 2_000 }]);
  });
});
