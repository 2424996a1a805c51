import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatMB,
  formatMs,
  formatPercent,
  formatRate,
  formatSpread,
} from '../../src/report/format.js';

describe('format', () => {
  it('picks a unit for milliseconds', () => {
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(0.4123)).toBe('0.412 ms');
    expect(formatMs(87)).toBe('87.0 ms');
    expect(formatMs(1300)).toBe('1.30 s');
    expect(formatMs(150_000)).toBe('2.5 min');
  });

  it('formats counts, rates, percents and sizes', () => {
    expect(formatCount(1234567.4)).toBe('1,234,567');
    expect(formatRate(950)).toBe('950/s');
    expect(formatRate(220_000)).toBe('220k/s');
    expect(formatRate(1_000_000)).toBe('1.00M/s');
    expect(formatPercent(41.55)).toBe('41.5%');
    expect(formatPercent(180.4)).toBe('180%');
    expect(formatMB(121.6)).toBe('122 MB');
  });

  it('writes a spread as median (min–max), the shared unit once', () => {
    expect(formatSpread(null, formatMs)).toBe('–');
    expect(formatSpread({ min: 5, median: 5, max: 5 }, formatMs)).toBe('5.00 ms');
    expect(formatSpread({ min: 80, median: 87, max: 92 }, formatMs)).toBe('87.0 ms (80.0–92.0)');
    expect(formatSpread({ min: 800, median: 950, max: 1200 }, formatMs)).toBe('950 ms (800 ms–1.20 s)');
  });
});
