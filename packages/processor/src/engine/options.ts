import { option, z, type OptionInput, type OptionValues } from '@tributary/options';
import { EVENT_TIME_DEFAULTS } from '@tributary/schema';
import { name, nonEmptyString, nonNegativeInt, positiveInt } from '../config/option-schemas.js';
import { DEDUP_DEFAULTS } from '../dedup/dedup-store.js';
import { WATERMARK_OPTION_SPECS } from '../time/watermarks.js';

/**
 * Defaults of the engine's caps, in one place (the reference clickstream job's values). The event-time defaults
 * (B, L, dedup TTL, idle timeout) are the contract's: `EVENT_TIME_DEFAULTS` of @tributary/schema.
 */
export const ENGINE_DEFAULTS = {
  /** Early (non-final) updates of open windows every N ms of processing time; 0 = off. */
  earlyUpdateIntervalMs: 0,
  /** Merge stage: keep a closed window this long (event time) after its close for late partials. */
  closedWindowRetentionMs: 600_000,
  /**
   * Distinct keys per window per input partition (partial and single-stage tasks); an accepted event that would add
   * one more is dead-lettered (TRIB_PROC_WINDOW_KEY_LIMIT). 100× the reference workload's 1 000 pages; a partition
   * holds about two windows open at once (the current one and the last until the watermark passes it), so at the
   * cap a 1-minute job keeps ~200 000 (key, window) entries per partition: ~330 bytes of heap each with a 40-character
   * URL, ~70 MB.
   */
  maxKeysPerWindow: 100_000,
  /**
   * Open sessions per input partition (session task); an accepted event that would open one more is dead-lettered
   * (TRIB_PROC_SESSION_LIMIT). 40× the reference workload's 2 500 users per partition; ~1 KB of heap per session
   * of a few pages, ~100 MB at the cap.
   */
  maxOpenSessions: 100_000,
  /**
   * Remembered event ids per input partition (dedup); at the cap the oldest event-time buckets are forgotten and a
   * duplicate of a forgotten id is counted again (see DEDUP_DEFAULTS.maxEntries for the memory it implies).
   */
  maxDedupEntries: DEDUP_DEFAULTS.maxEntries,
} as const;

/** The event-time options of the merge stage: the watermark's, allowed lateness and the idle advance. */
export const WINDOW_TIME_OPTION_SPECS = {
  ...WATERMARK_OPTION_SPECS,
  /** Allowed lateness L: events for a window are accepted until `windowEnd + L <= watermark`. @defaultValue 0 */
  allowedLatenessMs: option(
    nonNegativeInt.default(EVENT_TIME_DEFAULTS.allowedLatenessMs),
    'allowed lateness L',
  ),
  /** When idle, let the emission watermark follow the wall clock so windows close when traffic stops. @defaultValue true */
  wallClockAdvance: option(z.boolean().default(true), 'idle advance of the emission watermark'),
};

/** The event-time options of every task reading events: those of the merge stage and the dedup TTL. */
export const EVENT_TIME_OPTION_SPECS = {
  ...WINDOW_TIME_OPTION_SPECS,
  /** Event-time TTL of remembered event ids. @defaultValue 600000 */
  dedupTtlMs: option(positiveInt.default(EVENT_TIME_DEFAULTS.dedupTtlMs), 'event-time TTL of event ids'),
};

export type EventTimeOptions = OptionInput<typeof EVENT_TIME_OPTION_SPECS>;
export type ResolvedEventTime = OptionValues<typeof EVENT_TIME_OPTION_SPECS>;

/** A logical output name (mapped to a topic by the runtime). */
export const outputName = nonEmptyString;

const outputNames = z
  .object({
    results: outputName.default('results'),
    late: outputName.default('late'),
    deadLetter: outputName.default('dead-letter'),
    repartition: outputName.default('repartition'),
  })
  .prefault({});

/** Logical output names of a task. @defaultValue results, late, dead-letter, repartition */
export type OutputNames = z.input<typeof outputNames>;
export type ResolvedOutputNames = z.output<typeof outputNames>;

/** `outputs` of a task: its logical output names. */
export const OUTPUT_NAMES = option(outputNames, 'logical output names');

/** `onTimeResults` of a windowed task (see WindowSlots). */
export const ON_TIME_RESULTS = option(
  z.boolean().default(true),
  'emit a window at its end before it closes, and again for late events',
);

/** `storePrefix` of a task: prefix of its state stores' names (changelog topic suffixes). */
export function storePrefix(defaultPrefix: string) {
  return option(name.default(defaultPrefix), 'prefix of the state store names');
}
