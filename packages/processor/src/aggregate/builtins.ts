import { jsonDeserialize, jsonSerialize, type Aggregator } from './aggregator.js';

/** Counts events. */
export function countAggregator<E>(): Aggregator<E, number, number> {
  return {
    create: () => 0,
    add: (acc) => acc + 1,
    merge: (a, b) => a + b,
    result: (acc) => acc,
    serialize: jsonSerialize,
    deserialize: (b) => jsonDeserialize<number>(b),
  };
}

/** Sums `select(event)`. */
export function sumAggregator<E>(select: (event: E) => number): Aggregator<E, number, number> {
  return {
    create: () => 0,
    add: (acc, e) => acc + select(e),
    merge: (a, b) => a + b,
    result: (acc) => acc,
    serialize: jsonSerialize,
    deserialize: (b) => jsonDeserialize<number>(b),
  };
}

/** Minimum of `select(event)`; `null` for an empty window. */
export function minAggregator<E>(select: (event: E) => number): Aggregator<E, number | null, number | null> {
  return {
    create: () => null,
    add: (acc, e) => {
      const v = select(e);
      return acc === null || v < acc ? v : acc;
    },
    merge: (a, b) => (a === null ? b : b === null ? a : Math.min(a, b)),
    result: (acc) => acc,
    serialize: jsonSerialize,
    deserialize: (b) => jsonDeserialize<number | null>(b),
  };
}

/** Maximum of `select(event)`; `null` for an empty window. */
export function maxAggregator<E>(select: (event: E) => number): Aggregator<E, number | null, number | null> {
  return {
    create: () => null,
    add: (acc, e) => {
      const v = select(e);
      return acc === null || v > acc ? v : acc;
    },
    merge: (a, b) => (a === null ? b : b === null ? a : Math.max(a, b)),
    result: (acc) => acc,
    serialize: jsonSerialize,
    deserialize: (b) => jsonDeserialize<number | null>(b),
  };
}

/** Average accumulator: sum and count, so partial averages merge exactly. */
export interface AvgAccumulator {
  sum: number;
  count: number;
}

/** Mean of `select(event)`; `null` for an empty window. */
export function avgAggregator<E>(select: (event: E) => number): Aggregator<E, AvgAccumulator, number | null> {
  return {
    create: () => ({ sum: 0, count: 0 }),
    add: (acc, e) => ({ sum: acc.sum + select(e), count: acc.count + 1 }),
    merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
    result: (acc) => (acc.count === 0 ? null : acc.sum / acc.count),
    serialize: jsonSerialize,
    deserialize: (b) => jsonDeserialize<AvgAccumulator>(b),
  };
}
