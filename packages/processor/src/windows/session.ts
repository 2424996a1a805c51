import { checkOption, positiveInt } from '../config/option-schemas.js';
import type { TimeWindow, WindowAssigner } from './window.js';

export interface SessionWindowOptions {
  /** Inactivity gap in ms: a session ends `gapMs` after its last event. */
  gapMs: number;
}

/**
 * Session windows: each event opens the proto-session `[ts, ts + gap)`; proto-sessions that intersect or touch
 * (Flink's rule: `a.start <= b.end && b.start <= a.end`) are merged, so an event that bridges two sessions
 * merges them into one. A session is `[first event ts, last event ts + gap)`.
 */
export class SessionWindows implements WindowAssigner {
  readonly kind = 'session' as const;
  readonly gapMs: number;

  constructor(options: SessionWindowOptions) {
    this.gapMs = checkOption('gapMs', positiveInt, options.gapMs);
  }

  assign(timestampMs: number): TimeWindow[] {
    return [{ start: timestampMs, end: timestampMs + this.gapMs }];
  }
}

/** The result of placing a proto-session among a key's sessions. */
export interface SessionMerge<S extends TimeWindow> {
  /** The sessions that the new window overlaps or touches (to be merged into it and removed), by start. */
  readonly absorbed: S[];
  /** The merged window covering the proto-session and every absorbed session. */
  readonly window: TimeWindow;
}

/** True when two windows intersect or touch (the session merge rule). */
export function sessionsTouch(a: TimeWindow, b: TimeWindow): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * Places `proto` among `sessions` (sorted by start, pairwise disjoint): returns the sessions it merges with and
 * the covering window. Pure: the caller removes `absorbed` and inserts the merged session.
 */
export function mergeSessionWindow<S extends TimeWindow>(
  sessions: readonly S[],
  proto: TimeWindow,
): SessionMerge<S> {
  const absorbed: S[] = [];
  let start = proto.start;
  let end = proto.end;
  for (const s of sessions) {
    if (sessionsTouch(s, { start, end })) {
      absorbed.push(s);
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
    }
  }
  // A session absorbed late in the scan may have widened the window so that an earlier one now touches it.
  let widened = true;
  while (widened) {
    widened = false;
    for (const s of sessions) {
      if (!absorbed.includes(s) && sessionsTouch(s, { start, end })) {
        absorbed.push(s);
        start = Math.min(start, s.start);
        end = Math.max(end, s.end);
        widened = true;
      }
    }
  }
  absorbed.sort((a, b) => a.start - b.start);
  return { absorbed, window: { start, end } };
}
