import { defineOptions, z } from '@tributary/options';
import type { OptionValues } from '@tributary/options';
import { EVENT_TIME_DEFAULTS } from '@tributary/schema';
import { optionError } from '../errors.js';
import { durationOption, flagged } from '../option-kinds.js';

/**
 * The event-time contract shared with @tributary/processor: epoch-aligned tumbling windows, per-partition
 * bounded-out-of-orderness watermarks, allowed lateness and a dedup store with an event-time TTL. Defaults:
 * `EVENT_TIME_DEFAULTS` of @tributary/schema, which also holds the window start and the lateness rule
 * (`windowStartOf`, `isWindowClosed`, `isLate`).
 */
export const EVENT_TIME_RULE_SPECS = {
  /** Tumbling window size in ms. */
  windowSizeMs: durationOption(
    z.int().min(1).default(EVENT_TIME_DEFAULTS.windowSizeMs),
    'tumbling window size of the manifest',
    flagged('window-size'),
  ),
  /** Window alignment offset in ms (< windowSizeMs): windowStart = floor((ts - offset) / size) * size + offset. */
  windowOffsetMs: durationOption(
    z.int().min(0).default(EVENT_TIME_DEFAULTS.windowOffsetMs),
    'window alignment offset (< window size)',
    flagged('window-offset'),
  ),
  /** Out-of-orderness bound B: watermark = maxTs - B. */
  outOfOrdernessMs: durationOption(
    z.int().min(0).default(EVENT_TIME_DEFAULTS.outOfOrdernessMs),
    'watermark bound B',
    flagged('out-of-orderness'),
  ),
  /** Allowed lateness L: an event is late when windowEnd + L <= watermark. */
  allowedLatenessMs: durationOption(
    z.int().min(0).default(EVENT_TIME_DEFAULTS.allowedLatenessMs),
    'allowed lateness L',
    flagged('allowed-lateness'),
  ),
  /** Dedup TTL: an id expires once watermark >= ts of its first acceptance + TTL. */
  dedupTtlMs: durationOption(
    z.int().min(1).default(EVENT_TIME_DEFAULTS.dedupTtlMs),
    'dedup TTL in event time',
    flagged('dedup-ttl'),
  ),
};

export type EventTimeRules = OptionValues<typeof EVENT_TIME_RULE_SPECS>;

/** The rule across the event-time options, for every option set that holds them. */
export function checkEventTimeRules(
  rules: EventTimeRules,
  fail: (key: 'windowOffsetMs', message: string) => never,
): void {
  if (rules.windowOffsetMs >= rules.windowSizeMs)
    fail('windowOffsetMs', `must be < windowSizeMs ${rules.windowSizeMs} (got ${rules.windowOffsetMs})`);
}

export const EVENT_TIME_RULES = defineOptions(EVENT_TIME_RULE_SPECS, {
  component: 'the event-time rules',
  invalid: optionError,
  check: checkEventTimeRules,
});

/** The event-time rules among other options (a ground truth's), validated. */
export function eventTimeRulesOf(options: Partial<EventTimeRules>): EventTimeRules {
  return EVENT_TIME_RULES.resolve(
    Object.fromEntries(EVENT_TIME_RULES.keys.map((key) => [key, options[key]])),
  );
}
