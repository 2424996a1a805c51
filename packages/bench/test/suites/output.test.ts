import { describe, expect, it } from 'vitest';
import { markdownTable, perSecond, times } from '../../src/suites/output.js';

describe('suite output', () => {
  it('renders a Markdown table, numbers right-aligned', () => {
    expect(markdownTable(['codec', 'ev/s'], [['JSON', '1 k/s']])).toBe(
      '| codec | ev/s |\n| --- | ---: |\n| JSON | 1 k/s |',
    );
  });

  it('formats ratios and rates, – for what was not measured', () => {
    expect(times(0.7249)).toBe('0.72×');
    expect(times(undefined)).toBe('–');
    expect(times(Number.NaN)).toBe('–');
    expect(perSecond(1_404_000)).toBe('1.40 M/s');
    expect(perSecond(607_400)).toBe('607 k/s');
    expect(perSecond(undefined)).toBe('–');
  });
});
