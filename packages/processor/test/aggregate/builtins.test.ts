import { describe, expect, it } from 'vitest';
import type { Aggregator } from '../../src/aggregate/aggregator.js';
import {
  avgAggregator,
  countAggregator,
  maxAggregator,
  minAggregator,
  sumAggregator,
} from '../../src/aggregate/builtins.js';

interface Ev {
  v: number;
}

function run<A, R>(agg: Aggregator<Ev, A, R>, values: number[]): A {
  let acc = agg.create();
  for (const v of values) acc = agg.add(acc, { v });
  return acc;
}

/** Splitting the input, aggregating parts and merging must equal aggregating everything; serialize round-trips. */
function checkLaws<A, R>(agg: Aggregator<Ev, A, R>, values: number[]): R {
  const whole = agg.result(run(agg, values));
  const half = Math.floor(values.length / 2);
  const merged = agg.merge(run(agg, values.slice(0, half)), run(agg, values.slice(half)));
  expect(agg.result(merged)).toEqual(whole);
  const restored = agg.deserialize(agg.serialize(run(agg, values)));
  expect(agg.result(restored)).toEqual(whole);
  return whole;
}

describe('built-in aggregators', () => {
  const values = [5, -2, 9, 3, 3];

  it('count', () => expect(checkLaws(countAggregator<Ev>(), values)).toBe(5));
  it('sum', () =>
    expect(
      checkLaws(
        sumAggregator<Ev>((e) => e.v),
        values,
      ),
    ).toBe(18));
  it('min', () =>
    expect(
      checkLaws(
        minAggregator<Ev>((e) => e.v),
        values,
      ),
    ).toBe(-2));
  it('max', () =>
    expect(
      checkLaws(
        maxAggregator<Ev>((e) => e.v),
        values,
      ),
    ).toBe(9));
  it('avg', () =>
    expect(
      checkLaws(
        avgAggregator<Ev>((e) => e.v),
        values,
      ),
    ).toBeCloseTo(3.6));

  it('empty windows: min/max/avg are null, merge with empty is identity', () => {
    const min = minAggregator<Ev>((e) => e.v);
    expect(min.result(min.create())).toBeNull();
    expect(min.result(min.merge(min.create(), run(min, [4])))).toBe(4);
    const max = maxAggregator<Ev>((e) => e.v);
    expect(max.result(max.merge(run(max, [4]), max.create()))).toBe(4);
    const avg = avgAggregator<Ev>((e) => e.v);
    expect(avg.result(avg.create())).toBeNull();
  });
});
