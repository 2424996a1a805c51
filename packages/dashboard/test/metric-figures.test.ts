import { describe, expect, it } from 'vitest';
import { bucketDelta, histogramBuckets, histogramQuantile, maxOf, sumOf } from '../src/metric-figures.js';
import type { MetricFamily } from '../src/prometheus-text.js';

const families: MetricFamily[] = [
  {
    name: 'in_total',
    help: '',
    type: 'counter',
    values: [
      { labels: { stage: 'a', topic: 'events' }, value: 10 },
      { labels: { stage: 'b', topic: 'repartition' }, value: 7 },
    ],
  },
  {
    name: 'lag',
    help: '',
    type: 'gauge',
    values: [
      { labels: { partition: '0' }, value: 3 },
      { labels: { partition: '1' }, value: -Infinity },
      { labels: { partition: '2' }, value: 9 },
    ],
  },
  {
    name: 'lat',
    help: '',
    type: 'histogram',
    values: [
      { metricName: 'lat_bucket', labels: { le: '1', stage: 'a' }, value: 1 },
      { metricName: 'lat_bucket', labels: { le: '+Inf', stage: 'a' }, value: 2 },
      { metricName: 'lat_bucket', labels: { le: '1', stage: 'b' }, value: 3 },
      { metricName: 'lat_bucket', labels: { le: '+Inf', stage: 'b' }, value: 3 },
      { metricName: 'lat_count', labels: { stage: 'a' }, value: 2 },
    ],
  },
];

describe('metric figures', () => {
  it('sums a counter, optionally over matching labels; undefined for a missing metric', () => {
    expect(sumOf(families, 'in_total')).toBe(17);
    expect(sumOf(families, 'in_total', { topic: 'events' })).toBe(10);
    expect(sumOf(families, 'in_total', { topic: 'nope' })).toBe(0);
    expect(sumOf(families, 'missing')).toBeUndefined();
  });

  it('max of a gauge ignores non-finite samples', () => {
    expect(maxOf(families, 'lag')).toBe(9);
    expect(maxOf(families, 'missing')).toBeUndefined();
    expect(maxOf([{ name: 'x', help: '', type: 'gauge', values: [] }], 'x')).toBeUndefined();
  });

  it('sums histogram buckets per le across label sets, ascending with +Inf last', () => {
    expect(histogramBuckets(families, 'lat')).toEqual({ le: [1, Infinity], counts: [4, 5] });
    expect(histogramBuckets(families, 'missing')).toBeUndefined();
  });

  it('histogram_quantile interpolates inside the bucket like Prometheus', () => {
    const b = { le: [0.1, 0.5, 1, Infinity], counts: [50, 90, 100, 100] };
    expect(histogramQuantile(0.5, b)).toBeCloseTo(0.1, 10);
    expect(histogramQuantile(0.25, b)).toBeCloseTo(0.05, 10);
    expect(histogramQuantile(0.7, b)).toBeCloseTo(0.3, 10);
    expect(histogramQuantile(0.99, b)).toBeCloseTo(0.95, 10);
  });

  it('a quantile in the +Inf bucket answers the largest finite bound; no observations answer undefined', () => {
    expect(histogramQuantile(0.99, { le: [1, 2, Infinity], counts: [1, 1, 10] })).toBe(2);
    expect(histogramQuantile(0.99, { le: [1, Infinity], counts: [0, 0] })).toBeUndefined();
    expect(histogramQuantile(0.99, { le: [], counts: [] })).toBeUndefined();
  });

  it('bucket deltas are the observations between two snapshots; a reset gives the later snapshot', () => {
    const earlier = { le: [1, Infinity], counts: [2, 3] };
    expect(bucketDelta({ le: [1, Infinity], counts: [5, 9] }, earlier)).toEqual({
      le: [1, Infinity],
      counts: [3, 6],
    });
    expect(bucketDelta({ le: [1, Infinity], counts: [1, 1] }, earlier)).toEqual({
      le: [1, Infinity],
      counts: [1, 1],
    });
    expect(bucketDelta(earlier, undefined)).toBe(earlier);
  });
});
