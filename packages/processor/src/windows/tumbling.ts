import { checkOption, integer, positiveInt } from '../config/option-schemas.js';
import { windowStartOf } from '@tributary/schema';
import type { TimeWindow, WindowAssigner } from './window.js';

export interface TumblingWindowOptions {
  /** Window length in ms. */
  sizeMs: number;
  /** Shift of the epoch alignment in ms (e.g. a time-zone offset). @defaultValue 0 */
  offsetMs?: number;
}

/**
 * Epoch-aligned, non-overlapping windows: `start = floor((ts - offset) / size) * size + offset`,
 * `end = start + size`, window = [start, end) — the contract's `windowStartOf` (@tributary/schema).
 */
export class TumblingWindows implements WindowAssigner {
  readonly kind = 'tumbling' as const;
  readonly sizeMs: number;
  readonly offsetMs: number;
  /** The last assignment, returned again while timestamps stay in its window (events arrive mostly in order). */
  #last: readonly TimeWindow[] = [];

  constructor(options: TumblingWindowOptions) {
    this.sizeMs = checkOption('sizeMs', positiveInt, options.sizeMs);
    this.offsetMs = checkOption('offsetMs', integer, options.offsetMs ?? 0);
  }

  /** The one window containing `timestampMs`, in a frozen array that consecutive calls may share. */
  assign(timestampMs: number): TimeWindow[] {
    const last = this.#last[0];
    if (last !== undefined && timestampMs >= last.start && timestampMs < last.end)
      return this.#last as TimeWindow[];
    const assigned = Object.freeze([Object.freeze(this.windowFor(timestampMs))]);
    this.#last = assigned;
    return assigned as TimeWindow[];
  }

  /** The one window containing `timestampMs`. */
  windowFor(timestampMs: number): TimeWindow {
    const start = windowStartOf(timestampMs, this.sizeMs, this.offsetMs);
    return { start, end: start + this.sizeMs };
  }
}
