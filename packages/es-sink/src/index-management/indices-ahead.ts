import { formatUtcDate } from './index-name.js';

const TOKEN = /\{([^{}]+)\}/g;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How often the sink makes sure the indices of now and of the next period exist. */
export const INDICES_AHEAD_INTERVAL_MS = 10 * 60_000;

/**
 * The indices a date pattern names for the time `now` and for the next hour and day (UTC), without duplicates:
 * `metrics-{yyyy.MM.dd}` at 23:55 gives today's and tomorrow's index, at noon today's and tomorrow's; an hourly
 * pattern gives this hour's and the next one's. Empty for a constant index name.
 */
export function indicesAhead(pattern: string, now: number): string[] {
  if (pattern.match(TOKEN) === null) return [];
  const names = [now, now + HOUR_MS, now + DAY_MS].map((t) =>
    pattern.replace(TOKEN, (_m, format: string) => formatUtcDate(new Date(t), format)),
  );
  return [...new Set(names)];
}
