import type { WindowSpec } from '../windows/window-spec.js';
import { durationMs, type Duration } from './duration.js';

/** Epoch-aligned, non-overlapping windows of `size` (shifted by `offset`). */
export function tumbling(options: { size: Duration; offset?: Duration }): WindowSpec {
  return {
    kind: 'tumbling',
    sizeMs: durationMs('tumbling.size', options.size),
    offsetMs: durationMs('tumbling.offset', options.offset ?? 0),
  };
}

/** Overlapping windows of `size`, one starting every `advance` (≤ size). */
export function hopping(options: { size: Duration; advance: Duration; offset?: Duration }): WindowSpec {
  return {
    kind: 'hopping',
    sizeMs: durationMs('hopping.size', options.size),
    advanceMs: durationMs('hopping.advance', options.advance),
    offsetMs: durationMs('hopping.offset', options.offset ?? 0),
  };
}

/** Sessions per key: a session ends `gap` after its last event. Needs the input partitioned by the key. */
export function session(options: { gap: Duration }): WindowSpec {
  return { kind: 'session', gapMs: durationMs('session.gap', options.gap) };
}
