/** A reading of how many input records a consumer group had committed, at a wall time. */
export interface CommittedReading {
  readonly atMs: number;
  readonly committed: number;
}

/**
 * Input records committed per second over `[fromMs, untilMs]`, from periodic readings of a group's committed
 * offsets. Only readings that saw the count grow are used, from the first to the last in the window: an engine that
 * commits on checkpoints (Flink) moves its offsets every few seconds, and a reading between two commits says nothing
 * new, so the figure spans whole commit periods and is off by at most a polling interval at each end, not by a
 * commit period. Null with fewer than two such readings.
 */
export function committedThroughput(
  readings: readonly CommittedReading[],
  fromMs: number,
  untilMs: number,
): number | null {
  let first: CommittedReading | undefined;
  let last: CommittedReading | undefined;
  for (let i = 1; i < readings.length; i++) {
    const r = readings[i]!;
    if (r.atMs < fromMs || r.atMs > untilMs || r.committed <= readings[i - 1]!.committed) continue;
    first ??= r;
    last = r;
  }
  if (first === undefined || last === undefined || last.atMs <= first.atMs) return null;
  return ((last.committed - first.committed) * 1000) / (last.atMs - first.atMs);
}
