import { describe, expect, it } from 'vitest';
import { z } from '@tributary/options';
import { duration, durationText, percent, rate } from '../src/bench-options.js';

function read(schema: z.ZodType, value: unknown): unknown {
  const result = schema.safeParse(value);
  return result.success ? result.data : result.error.issues[0]!.message;
}

describe('numbers with units', () => {
  it('reads durations as ms, a bare number of seconds, numbers as they are', () => {
    const d = duration(z.number());
    expect(read(d, '500ms')).toBe(500);
    expect(read(d, '60s')).toBe(60_000);
    expect(read(d, '2m')).toBe(120_000);
    expect(read(d, '1.5h')).toBe(5_400_000);
    expect(read(d, '30')).toBe(30_000);
    expect(read(d, 250)).toBe(250);
    expect(read(d, 'soon')).toBe('must be a duration like 500ms, 60s, 2m or 1h');
    expect([durationText(30_000), durationText(1_500)]).toEqual(['30s', '1500ms']);
  });

  it('reads rates with k/M suffixes and an optional /s', () => {
    const r = rate(z.number());
    expect(read(r, '5000')).toBe(5000);
    expect(read(r, '20k')).toBe(20_000);
    expect(read(r, '1.5M')).toBe(1_500_000);
    expect(read(r, '300/s')).toBe(300);
    expect(read(r, '2k/s')).toBe(2_000);
    expect(read(r, 'fast')).toMatch(/^must be a rate like 5000, 20k or 1M/);
  });

  it('reads percentages with or without %', () => {
    const p = percent(z.number());
    expect(read(p, '10%')).toBe(10);
    expect(read(p, '2.5')).toBe(2.5);
    expect(read(p, 'ten')).toMatch(/^must be a percentage/);
  });
});
