import { invalidOption } from '../errors.js';
import { checkOption, integer, positiveInt } from '../config/option-schemas.js';
import { windowStartOf } from '@tributary/schema';
import type { TimeWindow, WindowAssigner } from './window.js';

export interface HoppingWindowOptions {
  /** Window length in ms. */
  sizeMs: number;
  /** Distance between consecutive window starts in ms; must be ≤ sizeMs. */
  advanceMs: number;
  /** Shift of the epoch alignment in ms. @defaultValue 0 */
  offsetMs?: number;
}

/**
 * Epoch-aligned overlapping windows of `size`, one starting every `advance` ms (a "sliding" window in Flink's
 * naming). Starts are `k * advance + offset`; an event belongs to every window whose [start, start + size)
 * contains it.
 */
export class HoppingWindows implements WindowAssigner {
  readonly kind = 'hopping' as const;
  readonly sizeMs: number;
  readonly advanceMs: number;
  readonly offsetMs: number;

  constructor(options: HoppingWindowOptions) {
    this.sizeMs = checkOption('sizeMs', positiveInt, options.sizeMs);
    this.advanceMs = checkOption('advanceMs', positiveInt, options.advanceMs);
    if (this.advanceMs > this.sizeMs) {
      throw invalidOption('advanceMs', `must be ≤ sizeMs (${this.sizeMs}); got ${this.advanceMs}`);
    }
    this.offsetMs = checkOption('offsetMs', integer, options.offsetMs ?? 0);
  }

  assign(timestampMs: number): TimeWindow[] {
    // Starts are aligned on the advance: the last one is the start of the advance-sized window holding the event.
    const lastStart = windowStartOf(timestampMs, this.advanceMs, this.offsetMs);
    const windows: TimeWindow[] = [];
    for (let start = lastStart; start > timestampMs - this.sizeMs; start -= this.advanceMs) {
      windows.push({ start, end: start + this.sizeMs });
    }
    return windows.reverse();
  }
}
