import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  niceScale,
  ninesOf,
  percentileChart,
  timeSeriesChart,
} from '../../src/report/svg-charts.js';

describe('svg charts', () => {
  it('computes nice axis maxima and steps', () => {
    expect(niceScale(87)).toEqual({ max: 100, step: 20 });
    expect(niceScale(1316)).toEqual({ max: 1500, step: 500 });
    expect(niceScale(0)).toEqual({ max: 1, step: 0.2 });
  });

  it('maps percentiles to nines', () => {
    expect(ninesOf(0)).toBe(0);
    expect(ninesOf(90)).toBeCloseTo(1, 9);
    expect(ninesOf(99.9)).toBeCloseTo(3, 9);
    expect(Number.isFinite(ninesOf(100))).toBe(true);
  });

  it('escapes markup', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('places percentile points on the nines axis and leaves the max to the table', () => {
    const svg = percentileChart('p', [
      {
        name: 'run 1',
        points: [
          { percentile: 0, valueMs: 0 },
          { percentile: 90, valueMs: 50 },
          { percentile: 99, valueMs: 100 },
          { percentile: 100, valueMs: 999 },
        ],
      },
    ]);
    // Plot area x from 64 to 570, 2 nines: 0 → 64, 90 → 317, 99 → 570; y: 100 ms is the top (28), 0 the bottom (276).
    expect(svg).toContain('points="64,276 317,152 570,28"');
    expect(svg).toContain('>99%</text>');
    expect(svg).toContain('>run 1</text>');
  });

  it('draws time series with seconds on the x axis', () => {
    const svg = timeSeriesChart('t', 'events/s', [
      {
        name: 'a',
        points: [
          [0, 0],
          [10_000, 100],
        ],
      },
    ]);
    expect(svg).toContain('points="64,276 570,28"');
    expect(svg).toContain('>events/s</text>');
  });
});
