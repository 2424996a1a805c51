/** Handle of one tracked record, returned by `track()` and passed back to `ack()`. */
export interface OffsetToken {
  partition: number;
  offset: number;
  /** Incremented when a partition is reset (rebalance, seek) so late acks of a previous generation are ignored. */
  generation: number;
}

interface PartitionState {
  generation: number;
  offsets: number[];
  /** When each record of `offsets` was tracked (same index), on the tracker's clock. */
  trackedAt: number[];
  head: number;
  acked: Set<number>;
  /** Next offset to commit (last contiguous acknowledged offset + 1), or undefined when nothing is acked yet. */
  committable: number | undefined;
  committed: number | undefined;
}

/**
 * Per-partition bookkeeping of the offsets handed to the sink, in delivery order. The committable position of a
 * partition is the offset after the longest prefix of delivered records that are all acknowledged — never past
 * an unacknowledged record. Offsets need not be consecutive (transaction markers leave gaps). Pure: no Kafka.
 */
export class OffsetTracker {
  readonly #partitions = new Map<number, PartitionState>();
  readonly #now: () => number;
  #pending = 0;

  /** `now`: the clock stamping each tracked record (for `oldestPendingSince`). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Records delivered and not yet acknowledged, over all partitions. */
  get pending(): number {
    return this.#pending;
  }

  /** Registers a delivered record. Offsets must increase per partition; a lower one resets the partition (a seek). */
  track(partition: number, offset: number): OffsetToken {
    let state = this.#partitions.get(partition);
    if (state === undefined) {
      state = {
        generation: 0,
        offsets: [],
        trackedAt: [],
        head: 0,
        acked: new Set(),
        committable: undefined,
        committed: undefined,
      };
      this.#partitions.set(partition, state);
    }
    const last = state.offsets[state.offsets.length - 1];
    if (last !== undefined && offset <= last) this.#resetState(state);
    state.offsets.push(offset);
    state.trackedAt.push(this.#now());
    this.#pending++;
    return { partition, offset, generation: state.generation };
  }

  /** Marks a record done (written, duplicate or dead-lettered); ignored if its partition was reset since. */
  ack(token: OffsetToken): void {
    const state = this.#partitions.get(token.partition);
    if (state === undefined || state.generation !== token.generation || state.acked.has(token.offset)) return;
    const head = state.offsets[state.head];
    if (head === undefined || token.offset < head) return; // already acknowledged and passed
    state.acked.add(token.offset);
    this.#pending--;
    while (state.head < state.offsets.length && state.acked.has(state.offsets[state.head] as number)) {
      const offset = state.offsets[state.head] as number;
      state.acked.delete(offset);
      state.committable = offset + 1;
      state.head++;
    }
    if (state.head > 1024 && state.head * 2 > state.offsets.length) {
      state.offsets = state.offsets.slice(state.head);
      state.trackedAt = state.trackedAt.slice(state.head);
      state.head = 0;
    }
  }

  /**
   * When the oldest record still unacknowledged was tracked (undefined when none is): the earliest over partitions
   * of the first unacknowledged record of each, which is also the oldest of its partition.
   */
  oldestPendingSince(): number | undefined {
    let oldest: number | undefined;
    for (const state of this.#partitions.values()) {
      if (state.head >= state.offsets.length) continue;
      const at = state.trackedAt[state.head] as number;
      if (oldest === undefined || at < oldest) oldest = at;
    }
    return oldest;
  }

  /** Partitions whose committable offset moved since the last `markCommitted`, with that offset. */
  committable(): Array<{ partition: number; offset: number }> {
    const out: Array<{ partition: number; offset: number }> = [];
    for (const [partition, state] of this.#partitions) {
      if (state.committable !== undefined && state.committable !== state.committed)
        out.push({ partition, offset: state.committable });
    }
    return out;
  }

  /** Records that `offset` was committed for `partition`. */
  markCommitted(partition: number, offset: number): void {
    const state = this.#partitions.get(partition);
    if (state !== undefined) state.committed = offset;
  }

  /** Forgets partitions not in `assigned` (after a rebalance); their in-flight acks are ignored. */
  retain(assigned: readonly number[]): void {
    for (const [partition, state] of this.#partitions) {
      if (!assigned.includes(partition)) {
        this.#resetState(state);
        this.#partitions.delete(partition);
      }
    }
  }

  #resetState(state: PartitionState): void {
    this.#pending -= state.offsets.length - state.head - state.acked.size;
    state.generation++;
    state.offsets = [];
    state.trackedAt = [];
    state.head = 0;
    state.acked = new Set();
    state.committable = undefined;
    state.committed = undefined;
  }
}
