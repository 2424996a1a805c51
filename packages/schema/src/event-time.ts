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

/** The rules of the contract that place an event in its window and decide whether it is late. */
export interface WindowRules {
  /** Tumbling window size. */
  readonly windowSizeMs: number;
  /** Window alignment offset. */
  readonly windowOffsetMs: number;
  /** Allowed lateness L. */
  readonly allowedLatenessMs: number;
}

/**
 * Start of the epoch-aligned tumbling window containing `timestampMs`: `floor((ts − offset) / size) · size + offset`,
 * a floor division, so timestamps before the epoch or the offset land in the right window. The window is
 * `[start, start + size)`.
 */
export function windowStartOf(timestampMs: number, sizeMs: number, offsetMs = 0): number {
  return Math.floor((timestampMs - offsetMs) / sizeMs) * sizeMs + offsetMs;
}

/**
 * The lateness rule: a window ending at `windowEndMs` is closed once `windowEnd + L <= watermark`. Nothing is added to
 * a closed window any more (an event whose windows are all closed is late) and its last emission is final.
 */
export function isWindowClosed(windowEndMs: number, watermarkMs: number, allowedLatenessMs: number): boolean {
  return windowEndMs + allowedLatenessMs <= watermarkMs;
}

/** True when an event at `timestampMs` is late against `watermarkMs`: its tumbling window is closed. */
export function isLate(timestampMs: number, watermarkMs: number, rules: WindowRules): boolean {
  const windowEnd = windowStartOf(timestampMs, rules.windowSizeMs, rules.windowOffsetMs) + rules.windowSizeMs;
  return isWindowClosed(windowEnd, watermarkMs, rules.allowedLatenessMs);
}
