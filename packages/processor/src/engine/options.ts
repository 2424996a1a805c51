import { DEDUP_DEFAULTS } from '../dedup/dedup-store.js';
import { invalidOption } from '../errors.js';
import { checkIdleAdvanceMode, type IdleAdvanceMode } from '../time/watermarks.js';
import { checkNonEmptyString, checkNonNegativeInteger, checkPositiveInteger } from './option-checks.js';
import { EVENT_TIME_DEFAULTS } from '@tributary/schema';

/** Defaults of every engine task, in one place (the reference clickstream job's values). */
export const ENGINE_DEFAULTS = {
  /** Bounded out-of-orderness B. */
  outOfOrdernessMs: EVENT_TIME_DEFAULTS.outOfOrdernessMs,
  /** Allowed lateness L: events for a window are accepted until `windowEnd + L <= watermark`. */
  allowedLatenessMs: EVENT_TIME_DEFAULTS.allowedLatenessMs,
  /** Event-time TTL of remembered event ids (10 minutes). */
  dedupTtlMs: EVENT_TIME_DEFAULTS.dedupTtlMs,
  /** Processing time without data after which a partition counts as idle. */
  idleTimeoutMs: EVENT_TIME_DEFAULTS.idleTimeoutMs,
  /** When idle, let the emission watermark follow the wall clock so windows close when traffic stops. */
  wallClockAdvance: true,
  /** How the idle advance follows the wall clock: `now - B - idleTimeout`, or anchored at the data. */
  idleAdvanceMode: 'wall-clock' as IdleAdvanceMode,
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
  /** Logical output names (mapped to topics by the runtime). */
  outputs: { results: 'results', late: 'late', deadLetter: 'dead-letter', repartition: 'repartition' },
} as const;

export interface EventTimeOptions {
  /** @defaultValue 5000 */
  outOfOrdernessMs?: number;
  /** @defaultValue 0 */
  allowedLatenessMs?: number;
  /** @defaultValue 600000 */
  dedupTtlMs?: number;
  /** @defaultValue 30000 */
  idleTimeoutMs?: number;
  /** @defaultValue true */
  wallClockAdvance?: boolean;
  /** @defaultValue 'wall-clock' */
  idleAdvanceMode?: IdleAdvanceMode;
}

export interface ResolvedEventTime {
  readonly outOfOrdernessMs: number;
  readonly allowedLatenessMs: number;
  readonly dedupTtlMs: number;
  readonly idleTimeoutMs: number;
  readonly wallClockAdvance: boolean;
  readonly idleAdvanceMode: IdleAdvanceMode;
}

export function resolveEventTime(options: EventTimeOptions): ResolvedEventTime {
  const wallClockAdvance = options.wallClockAdvance ?? ENGINE_DEFAULTS.wallClockAdvance;
  if (typeof wallClockAdvance !== 'boolean') throw invalidOption('wallClockAdvance', 'must be a boolean');
  return {
    outOfOrdernessMs: checkNonNegativeInteger(
      'outOfOrdernessMs',
      options.outOfOrdernessMs ?? ENGINE_DEFAULTS.outOfOrdernessMs,
    ),
    allowedLatenessMs: checkNonNegativeInteger(
      'allowedLatenessMs',
      options.allowedLatenessMs ?? ENGINE_DEFAULTS.allowedLatenessMs,
    ),
    dedupTtlMs: checkPositiveInteger('dedupTtlMs', options.dedupTtlMs ?? ENGINE_DEFAULTS.dedupTtlMs),
    idleTimeoutMs: checkNonNegativeInteger(
      'idleTimeoutMs',
      options.idleTimeoutMs ?? ENGINE_DEFAULTS.idleTimeoutMs,
    ),
    wallClockAdvance,
    idleAdvanceMode: checkIdleAdvanceMode(options.idleAdvanceMode ?? ENGINE_DEFAULTS.idleAdvanceMode),
  };
}

export interface OutputNames {
  /** @defaultValue 'results' */
  results?: string;
  /** @defaultValue 'late' */
  late?: string;
  /** @defaultValue 'dead-letter' */
  deadLetter?: string;
  /** @defaultValue 'repartition' */
  repartition?: string;
}

export type ResolvedOutputNames = { readonly [K in keyof OutputNames]-?: string };

export function resolveOutputs(outputs: OutputNames = {}): ResolvedOutputNames {
  const d = ENGINE_DEFAULTS.outputs;
  return {
    results: checkNonEmptyString('outputs.results', outputs.results ?? d.results),
    late: checkNonEmptyString('outputs.late', outputs.late ?? d.late),
    deadLetter: checkNonEmptyString('outputs.deadLetter', outputs.deadLetter ?? d.deadLetter),
    repartition: checkNonEmptyString('outputs.repartition', outputs.repartition ?? d.repartition),
  };
}

/** Store names must be valid Kafka topic-name suffixes. */
export function checkStorePrefix(value: unknown): string {
  const prefix = checkNonEmptyString('storePrefix', value);
  if (!/^[A-Za-z0-9._-]+$/.test(prefix)) {
    throw invalidOption('storePrefix', `must match [A-Za-z0-9._-]+ (got ${JSON.stringify(prefix)})`);
  }
  return prefix;
}
