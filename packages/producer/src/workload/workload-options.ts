import { invalidOption } from '../errors.js';
import { EVENT_TIME_DEFAULTS } from '@tributary/schema';
import { resolveEventTimeRules, stripUndefined } from '../ground-truth/event-time-rules.js';
import type { EventTimeRules } from '../ground-truth/event-time-rules.js';
import { fraction, integerIn, numberIn, positiveNumber } from '../validation.js';

/** What the clickstream workload looks like. Same options and seed → the same byte-identical record stream. */
export interface WorkloadOptions extends EventTimeRules {
  /** PRNG seed. @defaultValue 42 */
  seed: number;
  /** Partitions of the target topic; each event's partition is murmur2(user_id) mod this. @defaultValue 4 */
  partitions: number;
  /** Event-time spacing: event i has timestamp origin + floor(i * 1000 / eventsPerSecond). @defaultValue 10000 */
  eventsPerSecond: number;
  /**
   * Event time of the first event (epoch ms). The load runner uses the wall clock at start unless set.
   * @defaultValue 1735689600000 (2025-01-01T00:00:00Z)
   */
  eventTimeOriginMs: number;
  /** Number of distinct pages (Zipf ranks). @defaultValue 1000 */
  pages: number;
  /** Zipf exponent s of page popularity. @defaultValue 1.1 */
  zipfExponent: number;
  /** Number of distinct users. @defaultValue 10000 */
  users: number;
  /** Sessions active at once; each event goes to one of them uniformly (Poisson thinning). @defaultValue 200 */
  concurrentSessions: number;
  /** Mean events per session (geometric). @defaultValue 20 */
  meanSessionEvents: number;
  /** Share of CLICK among valid events (the rest are VIEW). @defaultValue 0.3 */
  clickRatio: number;
  /** Share of events whose timestamp is moved back by 1..outOfOrdernessMs (never late). @defaultValue 0 */
  outOfOrderRate: number;
  /** Share of events moved into a window already closed for their partition (late by the rules). @defaultValue 0 */
  lateRate: number;
  /** Share of records that re-send a recent accepted event (same bytes, same key, same partition). @defaultValue 0 */
  duplicateRate: number;
  /** Share of records that are malformed (undecodable, or decodable but invalid). @defaultValue 0 */
  malformedRate: number;
  /** A duplicate re-sends one of the last N accepted events of the stream. @defaultValue 64 */
  duplicateWindowEvents: number;
}

export const WORKLOAD_DEFAULTS: Readonly<WorkloadOptions> = Object.freeze({
  windowSizeMs: EVENT_TIME_DEFAULTS.windowSizeMs,
  windowOffsetMs: EVENT_TIME_DEFAULTS.windowOffsetMs,
  outOfOrdernessMs: EVENT_TIME_DEFAULTS.outOfOrdernessMs,
  allowedLatenessMs: EVENT_TIME_DEFAULTS.allowedLatenessMs,
  dedupTtlMs: EVENT_TIME_DEFAULTS.dedupTtlMs,
  seed: 42,
  partitions: 4,
  eventsPerSecond: 10_000,
  eventTimeOriginMs: Date.UTC(2025, 0, 1),
  pages: 1000,
  zipfExponent: 1.1,
  users: 10_000,
  concurrentSessions: 200,
  meanSessionEvents: 20,
  clickRatio: 0.3,
  outOfOrderRate: 0,
  lateRate: 0,
  duplicateRate: 0,
  malformedRate: 0,
  duplicateWindowEvents: 64,
});

export const WORKLOAD_OPTION_NAMES = Object.keys(WORKLOAD_DEFAULTS) as (keyof WorkloadOptions)[];

export function resolveWorkloadOptions(input: Partial<WorkloadOptions> = {}): WorkloadOptions {
  const m = { ...WORKLOAD_DEFAULTS, ...stripUndefined(input) };
  const o: WorkloadOptions = {
    ...resolveEventTimeRules(m),
    seed: integerIn('seed', m.seed, 0, 0xffffffff),
    partitions: integerIn('partitions', m.partitions, 1, 100_000),
    eventsPerSecond: positiveNumber('eventsPerSecond', m.eventsPerSecond),
    eventTimeOriginMs: integerIn('eventTimeOriginMs', m.eventTimeOriginMs, Date.UTC(2000, 0, 1) + 3_600_000),
    pages: integerIn('pages', m.pages, 1, 10_000_000),
    zipfExponent: numberIn('zipfExponent', m.zipfExponent, 0, 10),
    users: integerIn('users', m.users, 1, 100_000_000),
    concurrentSessions: integerIn('concurrentSessions', m.concurrentSessions, 1, 1_000_000),
    meanSessionEvents: numberIn('meanSessionEvents', m.meanSessionEvents, 1),
    clickRatio: fraction('clickRatio', m.clickRatio),
    outOfOrderRate: fraction('outOfOrderRate', m.outOfOrderRate),
    lateRate: fraction('lateRate', m.lateRate),
    duplicateRate: fraction('duplicateRate', m.duplicateRate),
    malformedRate: fraction('malformedRate', m.malformedRate),
    duplicateWindowEvents: integerIn('duplicateWindowEvents', m.duplicateWindowEvents, 1, 100_000),
  };
  const faults = o.outOfOrderRate + o.lateRate + o.duplicateRate + o.malformedRate;
  if (faults > 1) {
    throw invalidOption(
      'outOfOrderRate + lateRate + duplicateRate + malformedRate',
      'must be <= 1 (each record gets at most one fault)',
      faults,
    );
  }
  return o;
}
