import { describe, expect, it } from 'vitest';
import {
  compileIndexPattern,
  formatUtcDate,
  patternWildcard,
} from '../../src/index-management/index-name.js';

describe('compileIndexPattern', () => {
  it('names daily indices from an epoch-ms, ISO or Date field in UTC', () => {
    const name = compileIndexPattern('clickstream-metrics-{yyyy.MM.dd}', 'window_start');
    const ms = Date.UTC(2026, 10, 22, 23, 59, 59);
    expect(name({ window_start: ms })).toBe('clickstream-metrics-2026.11.22');
    expect(name({ window_start: new Date(ms).toISOString() })).toBe('clickstream-metrics-2026.11.22');
    expect(name({ window_start: new Date(ms + 1000) })).toBe('clickstream-metrics-2026.11.23');
    expect(name({ window_start: String(ms) })).toBe('clickstream-metrics-2026.11.22');
  });

  it('reads dotted paths and hourly tokens', () => {
    expect(compileIndexPattern('e-{yyyy.MM.dd-HH}', 'a.b')({ a: { b: Date.UTC(2026, 0, 1, 7) } })).toBe(
      'e-2026.01.01-07',
    );
  });

  it('returns a constant for a plain name and throws for documents without a date', () => {
    expect(compileIndexPattern('plain', undefined)({})).toBe('plain');
    expect(() => compileIndexPattern('m-{yyyy}', 'ts')({ ts: 'nope' })).toThrow(
      'field ts is missing or not a date',
    );
  });

  it('rejects bad patterns naming the option', () => {
    expect(() => compileIndexPattern('m-{yyyy.QQ}', 'ts')).toThrow(/^index pattern token \{yyyy.QQ\}/);
    expect(() => compileIndexPattern('m-{yyyy}', undefined)).toThrow(/^indexDateField is required/);
  });

  it('formats and derives the wildcard', () => {
    expect(formatUtcDate(new Date(Date.UTC(2026, 1, 3, 4, 5)), 'yyyy-MM-dd HH:mm')).toBe('2026-02-03 04:05');
    expect(patternWildcard('clickstream-metrics-{yyyy.MM.dd}')).toBe('clickstream-metrics-*');
  });
});
