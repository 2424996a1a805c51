import { DURATION_UNITS, option, withUnits, z } from '@tributary/options';
import { InvalidOptionError } from './errors.js';

/** What every bench option set shares: `TRIBUTARY_BENCH_*` variables and `TRIB_BENCH_INVALID_OPTION` errors. */
export const BENCH_OPTION_SETTINGS = {
  envPrefix: 'TRIBUTARY_BENCH_',
  invalid: (name: string, message: string): Error => new InvalidOptionError(name, message),
} as const;

/** Milliseconds; text `500ms`, `60s`, `2m`, `1h`, or a bare number of seconds. */
export const duration = withUnits(DURATION_UNITS, 'a duration like 500ms, 60s, 2m or 1h', 1000);

/** `30_000` → `30s`, as help and messages show a duration. */
export function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Per second; text `5000`, `20k`, `1.5M`, optionally followed by `/s`. */
export const rate = withUnits(
  Object.fromEntries(
    Object.entries({ '': 1, k: 1e3, m: 1e6 }).flatMap(([unit, f]) => [
      [unit, f],
      [`${unit}/s`, f],
    ]),
  ),
  'a rate like 5000, 20k or 1M (events per second)',
);

/** Percent; text `10%`, `2.5%` or `10`. */
export const percent = withUnits({ '%': 1 }, 'a percentage like 10% or 2.5%');

/**
 * A duration option in ms, given as text by flags and variables (`60s`, `2m`; a bare number is seconds), so its
 * variable is named after its flag (`TRIBUTARY_BENCH_DURATION`), never `…_MS`.
 */
export function durationOption(flag: string, defaultMs: number, minMs: number, help: string) {
  return option(
    duration(z.number().min(minMs, `must be at least ${durationText(minMs)}`)).default(defaultMs),
    help,
    {
      flag,
      env: `${BENCH_OPTION_SETTINGS.envPrefix}${flag.replaceAll('-', '_').toUpperCase()}`,
      placeholder: '<d>',
      defaultText: durationText(defaultMs),
    },
  );
}
