import { option, z } from '@tributary/options';
import type { OptionValues } from '@tributary/options';
import { checkEventTimeRules, EVENT_TIME_RULES } from '../ground-truth/event-time-rules.js';
import { flagged } from '../option-kinds.js';

const share = z.number().min(0).max(1);
const FAULT_RATES = ['outOfOrderRate', 'lateRate', 'duplicateRate', 'malformedRate'] as const;

/** Earliest event-time origin (epoch ms) a workload may start at. */
export const EVENT_TIME_ORIGIN = z.int().min(Date.UTC(2000, 0, 1) + 3_600_000);

/**
 * What the clickstream looks like (the event-time rules, pages, users, sessions, faults): the options the generator
 * and the load runner share. Same options and seed → the same byte-identical record stream.
 */
export const CLICKSTREAM_OPTIONS = EVENT_TIME_RULES.extend(
  {
    /** PRNG seed. */
    seed: option(z.int().min(0).max(0xffffffff).default(42), 'PRNG seed: same seed, same events'),
    /** Number of distinct pages (Zipf ranks). */
    pages: option(z.int().min(1).max(10_000_000).default(1000), 'distinct pages'),
    /** Zipf exponent s of page popularity. */
    zipfExponent: option(
      z.number().min(0).max(10).default(1.1),
      'Zipf exponent of page popularity',
      flagged('zipf'),
    ),
    /** Number of distinct users. */
    users: option(z.int().min(1).max(100_000_000).default(10_000), 'distinct users'),
    /** Sessions active at once; each event goes to one of them uniformly (Poisson thinning). */
    concurrentSessions: option(
      z.int().min(1).max(1_000_000).default(200),
      'concurrent sessions',
      flagged('sessions'),
    ),
    /** Mean events per session (geometric). */
    meanSessionEvents: option(
      z.number().min(1).default(20),
      'mean events per session',
      flagged('session-events'),
    ),
    /** Share of CLICK among valid events (the rest are VIEW). */
    clickRatio: option(share.default(0.3), 'share of CLICK events'),
    /** Share of events whose timestamp is moved back by 1..outOfOrdernessMs (never late). */
    outOfOrderRate: option(share.default(0), 'share of events moved back within the bound'),
    /** Share of events moved into a window already closed for their partition (late by the rules). */
    lateRate: option(share.default(0), 'share of events late beyond allowed lateness'),
    /** Share of records that re-send a recent accepted event (same bytes, same key, same partition). */
    duplicateRate: option(share.default(0), 'share of records re-sending a recent event'),
    /** Share of records that are malformed (undecodable, or decodable but invalid). */
    malformedRate: option(share.default(0), 'share of malformed records'),
    /** A duplicate re-sends one of the last N accepted events of the stream. */
    duplicateWindowEvents: option(
      z.int().min(1).max(100_000).default(64),
      'a duplicate re-sends one of the last N accepted events',
    ),
  },
  {
    component: 'ClickstreamGenerator',
    check: (values, fail) => {
      checkEventTimeRules(values, fail);
      const faults = FAULT_RATES.reduce((sum, key) => sum + values[key], 0);
      if (faults > 1)
        fail(
          FAULT_RATES.findLast((key) => values[key] > 0)!,
          `makes the fault rates add up to ${faults}; ${FAULT_RATES.join(' + ')} must be <= 1 (each record gets at most one fault)`,
        );
    },
  },
);

/** The generator's options: the clickstream, and how its events are spread over partitions and event time. */
export const WORKLOAD_OPTIONS = CLICKSTREAM_OPTIONS.extend({
  /** Partitions of the target topic; each event's partition is murmur2(user_id) mod this. */
  partitions: option(z.int().min(1).max(100_000).default(4), 'partitions of the target topic'),
  /** Event-time spacing: event i has timestamp origin + floor(i * 1000 / eventsPerSecond). */
  eventsPerSecond: option(z.number().positive().default(10_000), 'event-time spacing'),
  /** Event time of the first event (epoch ms). The load runner uses the wall clock at start unless set. */
  eventTimeOriginMs: option(
    EVENT_TIME_ORIGIN.default(Date.UTC(2025, 0, 1)),
    'event time of the first event, epoch ms',
  ),
});

/** What the clickstream workload looks like. Same options and seed → the same byte-identical record stream. */
export type WorkloadOptions = OptionValues<typeof WORKLOAD_OPTIONS.specs>;
