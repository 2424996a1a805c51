/**
 * Open-loop pacing: record i is due at `startMs + i * 1000 / rate`, whatever happened to the records before it.
 * Latency is measured from this intended time, so a stalled broker shows up as latency instead of being hidden
 * (coordinated omission); how far sending fell behind the schedule is reported separately as schedule lag.
 * A rate of 0 means unthrottled: every record is due at once and latency is measured from when it was built.
 * Intended times are computed by multiplication, so there is no accumulated drift. The load runner and the bench's
 * `runOpenLoop` both pace on it.
 */
export class PacingSchedule {
  readonly rate: number;
  readonly startMs: number;
  readonly total: number;

  /**
   * @param rate records per second (0 = unthrottled)
   * @param startMs monotonic time of record 0
   * @param total records in the run (Infinity when the run is bounded by duration)
   */
  constructor(rate: number, startMs: number, total = Number.POSITIVE_INFINITY) {
    if (!Number.isFinite(rate) || rate < 0)
      throw new RangeError(`rate must be a finite number >= 0 (got ${rate})`);
    if (!Number.isFinite(startMs)) throw new RangeError(`startMs must be a finite number (got ${startMs})`);
    this.rate = rate;
    this.startMs = startMs;
    this.total = total;
  }

  get unthrottled(): boolean {
    return this.rate === 0;
  }

  /** Intended send time of record `seq`. */
  intendedAt(seq: number): number {
    return this.rate === 0 ? this.startMs : this.startMs + (seq * 1000) / this.rate;
  }

  /** How many records (from 0) are due at `nowMs`: all with intendedAt(seq) <= nowMs, capped by total. */
  dueCount(nowMs: number): number {
    if (this.rate === 0) return this.total;
    if (nowMs < this.startMs) return 0;
    let due = Math.min(Math.floor(((nowMs - this.startMs) * this.rate) / 1000) + 1, this.total);
    // Agree exactly with intendedAt() despite floating-point rounding.
    while (due < this.total && this.intendedAt(due) <= nowMs) due++;
    while (due > 0 && this.intendedAt(due - 1) > nowMs) due--;
    return due;
  }

  /** Milliseconds from `nowMs` until record `seq` is due (0 when already due). */
  delayUntil(seq: number, nowMs: number): number {
    return Math.max(0, this.intendedAt(seq) - nowMs);
  }

  /** Schedule lag of record `seq` sent at `sentMs`: how far behind its intended time it actually went out. */
  lagOf(seq: number, sentMs: number): number {
    return Math.max(0, sentMs - this.intendedAt(seq));
  }
}

/** The run's record budget: total records from --count, or rate × duration. */
export function plannedRecords(
  rate: number,
  durationMs: number | undefined,
  count: number | undefined,
): number {
  if (count !== undefined) return count;
  if (durationMs === undefined) return Number.POSITIVE_INFINITY;
  if (rate === 0) return Number.POSITIVE_INFINITY;
  return Math.floor((durationMs * rate) / 1000);
}
