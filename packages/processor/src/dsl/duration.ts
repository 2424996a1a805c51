import { invalidOption } from '../errors.js';

/** Units of a duration string, in ms. */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export type DurationUnit = keyof typeof UNIT_MS;

/** A duration: whole milliseconds, or a whole number and a unit (`'500ms'`, `'5s'`, `'1m'`, `'2h'`, `'1d'`). */
export type Duration = number | `${number}${DurationUnit}`;

const DURATION = /^(\d{1,15})(ms|s|m|h|d)$/;

/** The whole milliseconds of `value`; anything else (negative, fractional, unknown unit) fails naming `option`. */
export function durationMs(option: string, value: Duration): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
  } else if (typeof value === 'string') {
    const match = DURATION.exec(value);
    if (match !== null) {
      const ms = Number(match[1]) * UNIT_MS[match[2] as DurationUnit];
      if (Number.isSafeInteger(ms)) return ms;
    }
  }
  throw invalidOption(
    option,
    `must be a duration: whole ms, or a whole number with ms, s, m, h or d (got ${JSON.stringify(value)})`,
  );
}

/** `durationMs` of an optional value (undefined stays undefined: the engine's default applies). */
export function optionalDurationMs(option: string, value: Duration | undefined): number | undefined {
  return value === undefined ? undefined : durationMs(option, value);
}

/** A duration that may be negative: `-` before a `Duration` (`'-5m'`), or a negative number of ms. */
export type SignedDuration = Duration | `-${number}${DurationUnit}` | `-${number}`;

/** The whole milliseconds of a signed duration; anything else fails naming `option`. */
export function signedDurationMs(option: string, value: SignedDuration): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value < 0) return value;
  if (typeof value === 'string' && value.startsWith('-')) {
    const rest = value.slice(1);
    const ms = durationMs(option, /^\d+$/.test(rest) ? Number(rest) : (rest as Duration));
    return ms === 0 ? 0 : -ms;
  }
  return durationMs(option, value as Duration);
}
