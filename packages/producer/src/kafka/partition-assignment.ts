/**
 * Which of the load runner's producers sends each partition. Partitions are dealt round-robin (`p mod n`) over
 * `n = min(producers, partitions)` producers, so every partition has exactly one producer — one idempotent
 * sequence, one request in flight: its order is kept — while requests of different producers overlap.
 */
export interface PartitionAssignment {
  /** Producers actually used: min(requested, partitions). */
  readonly producers: number;
  /** Producer index of each partition. */
  readonly producerOf: readonly number[];
  /** Partitions of each producer, ascending. */
  readonly partitionsOf: readonly (readonly number[])[];
}

export function assignPartitions(partitions: number, producers: number): PartitionAssignment {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions must be an integer >= 1 (got ${String(partitions)})`);
  }
  if (!Number.isInteger(producers) || producers < 1) {
    throw new RangeError(`producers must be an integer >= 1 (got ${String(producers)})`);
  }
  const n = Math.min(producers, partitions);
  const producerOf: number[] = [];
  const partitionsOf: number[][] = Array.from({ length: n }, () => []);
  for (let p = 0; p < partitions; p++) {
    producerOf.push(p % n);
    partitionsOf[p % n]!.push(p);
  }
  return { producers: n, producerOf, partitionsOf };
}
