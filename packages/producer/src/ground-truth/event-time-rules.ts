import { EVENT_TIME_DEFAULTS } from '@tributary/schema';
import { integerIn } from '../validation.js';

/**
 * The event-time contract shared with @tributary/processor: epoch-aligned tumbling windows, per-partition
 * bounded-out-of-orderness watermarks, allowed lateness and a dedup store with an event-time TTL. Defaults:
 * `EVENT_TIME_DEFAULTS` of @tributary/schema, which also holds the window start and the lateness rule
 * (`windowStartOf`, `isWindowClosed`, `isLate`).
 */
export interface EventTimeRules {
  /** Tumbling window size in ms. @defaultValue 60000 */
  windowSizeMs: number;
  /** Window alignment offset in ms: windowStart = floor((ts - offset) / size) * size + offset. @defaultValue 0 */
  windowOffsetMs: number;
  /** Out-of-orderness bound B: watermark = maxTs - B. @defaultValue 5000 */
  outOfOrdernessMs: number;
  /** Allowed lateness L: an event is late when windowEnd + L <= watermark. @defaultValue 0 */
  allowedLatenessMs: number;
  /** Dedup TTL: an id expires once watermark >= ts of its first acceptance + TTL. @defaultValue 600000 */
  dedupTtlMs: number;
}

export function resolveEventTimeRules(input: Partial<EventTimeRules> = {}, prefix = ''): EventTimeRules {
  const merged = { ...EVENT_TIME_DEFAULTS, ...stripUndefined(input) };
  const windowSizeMs = integerIn(`${prefix}windowSizeMs`, merged.windowSizeMs, 1);
  return {
    windowSizeMs,
    windowOffsetMs: integerIn(`${prefix}windowOffsetMs`, merged.windowOffsetMs, 0, windowSizeMs - 1),
    outOfOrdernessMs: integerIn(`${prefix}outOfOrdernessMs`, merged.outOfOrdernessMs, 0),
    allowedLatenessMs: integerIn(`${prefix}allowedLatenessMs`, merged.allowedLatenessMs, 0),
    dedupTtlMs: integerIn(`${prefix}dedupTtlMs`, merged.dedupTtlMs, 1),
  };
}

export function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
