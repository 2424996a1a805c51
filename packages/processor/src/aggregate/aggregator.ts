/**
 * A user-defined aggregate function. `add` and `merge` may mutate and return their first argument or return a
 * new accumulator; callers always use the returned value. `serialize`/`deserialize` move accumulators through
 * the changelog and the repartition topic and must round-trip exactly.
 */
export interface Aggregator<E, A, R> {
  create(): A;
  add(acc: A, event: E): A;
  merge(a: A, b: A): A;
  result(acc: A): R;
  serialize(acc: A): Buffer;
  deserialize(bytes: Buffer): A;
}

/** JSON helpers for accumulators that are plain JSON values. */
export function jsonSerialize(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function jsonDeserialize<T>(bytes: Buffer): T {
  return JSON.parse(bytes.toString('utf8')) as T;
}
