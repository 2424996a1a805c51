import { describe, expect, it } from 'vitest';
import {
  parseDuration,
  parseInteger,
  parseList,
  parsePercent,
  parseRate,
} from '../../src/cli/flag-parsers.js';

describe('flag parsers', () => {
  it('parses durations, a bare number being seconds', () => {
    expect(parseDuration('500ms', '--duration')).toBe(500);
    expect(parseDuration('60s', '--duration')).toBe(60_000);
    expect(parseDuration('2m', '--duration')).toBe(120_000);
    expect(parseDuration('1.5h', '--duration')).toBe(5_400_000);
    expect(parseDuration('30', '--duration')).toBe(30_000);
    expect(() => parseDuration('soon', '--duration')).toThrow(
      '--duration must be a duration like 500ms, 60s, 2m or 1h (got "soon")',
    );
  });

  it('parses rates with k/M suffixes', () => {
    expect(parseRate('5000', '--rate')).toBe(5000);
    expect(parseRate('20k', '--rate')).toBe(20_000);
    expect(parseRate('1.5M', '--rate')).toBe(1_500_000);
    expect(parseRate('300/s', '--rate')).toBe(300);
    expect(() => parseRate('-5', '--rate')).toThrow(/^--rate must be a rate/);
  });

  it('parses integers and percentages', () => {
    expect(parseInteger('4', '--partitions')).toBe(4);
    expect(() => parseInteger('4.5', '--partitions')).toThrow('--partitions must be an integer (got "4.5")');
    expect(parsePercent('10%', '--threshold')).toBe(10);
    expect(parsePercent('2.5', '--threshold')).toBe(2.5);
    expect(() => parsePercent('ten', '--threshold')).toThrow(/^--threshold must be a percentage/);
  });

  it('parses lists against the allowed values', () => {
    const allowed = ['table', 'gateway'] as const;
    expect(parseList('table, gateway', '--scenarios', allowed)).toEqual(['table', 'gateway']);
    expect(() => parseList('table,fast', '--scenarios', allowed)).toThrow(
      '--scenarios must be a comma-separated list of table, gateway (got "fast")',
    );
    expect(() => parseList('table,table', '--scenarios', allowed)).toThrow(/must not repeat/);
    expect(() => parseList(',', '--scenarios', allowed)).toThrow(/at least one/);
  });
});
