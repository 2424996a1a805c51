/**
 * Defaults of the event-time contract, shared by the producer's ground truth, the processor and the bench:
 * epoch-aligned tumbling windows, per-partition bounded-out-of-orderness watermarks, allowed lateness, a dedup store
 * with an event-time TTL, and the idle timeout after which a quiet partition stops holding the watermark back.
 */
export const EVENT_TIME_DEFAULTS = {
  /** Tumbling window size. @defaultValue 60 000 (1 minute) */
  windowSizeMs: 60_000,
  /** Window alignment: windowStart = floor((ts - offset) / size) * size + offset. @defaultValue 0 */
  windowOffsetMs: 0,
  /** Bounded out-of-orderness B: watermark = max event time − B. @defaultValue 5 000 */
  outOfOrdernessMs: 5_000,
  /** Allowed lateness L: an event is late when windowEnd + L <= watermark. @defaultValue 0 */
  allowedLatenessMs: 0,
  /** Dedup TTL: an id expires once the watermark reaches the ts of its first acceptance + TTL. @defaultValue 600 000 */
  dedupTtlMs: 600_000,
  /** Processing time without data after which a partition counts as idle. @defaultValue 30 000 */
  idleTimeoutMs: 30_000,
} as const;
