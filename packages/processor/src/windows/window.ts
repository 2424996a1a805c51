/** A half-open event-time interval [start, end), in ms since the epoch. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** The window kinds, as an allowed-values array for validators and help. */
export const WINDOW_KINDS = ['tumbling', 'hopping', 'session'] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

/**
 * Maps an event timestamp to the windows it belongs to. Tumbling: exactly one; hopping: `size / advance`
 * (rounded up) overlapping windows; session: the event's own proto-session `[ts, ts + gap)` which the
 * session merger then merges with its neighbours.
 */
export interface WindowAssigner {
  readonly kind: WindowKind;
  /** Windows containing `timestampMs`, ordered by start. */
  assign(timestampMs: number): TimeWindow[];
}

/** Stable string form `start:end` used in state keys. */
export function windowId(w: TimeWindow): string {
  return `${w.start}:${w.end}`;
}
