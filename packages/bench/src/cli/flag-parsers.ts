import { InvalidOptionError } from '../errors.js';

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
};

/** `500ms`, `60s`, `2m`, `1h`, or a bare number of seconds → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|min|h)?$/.exec(text.trim());
  if (!match) throw new InvalidOptionError(flag, 'must be a duration like 500ms, 60s, 2m or 1h', text);
  const ms = Number(match[1]) * DURATION_UNITS[match[2] ?? 's']!;
  return ms;
}

/** `10000`, `10k`, `1.5M` events per second. */
export function parseRate(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)(?:\/s)?$/.exec(text.trim());
  if (!match)
    throw new InvalidOptionError(flag, 'must be a rate like 5000, 20k or 1M (events per second)', text);
  const factor = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[match[2]!]!;
  return Number(match[1]) * factor;
}

/** A decimal integer. */
export function parseInteger(text: string, flag: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new InvalidOptionError(flag, 'must be an integer', text);
  return Number(text);
}

/** `10%`, `10` (percent) or `2.5%` → percent. */
export function parsePercent(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  if (!match) throw new InvalidOptionError(flag, 'must be a percentage like 10% or 2.5%', text);
  return Number(match[1]);
}

/** A comma-separated list with every item from `allowed`, no duplicates, at least one. */
export function parseList<T extends string>(text: string, flag: string, allowed: readonly T[]): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0)
    throw new InvalidOptionError(flag, `must list at least one of ${allowed.join(', ')}`, text);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new InvalidOptionError(flag, `must be a comma-separated list of ${allowed.join(', ')}`, item);
    }
  }
  if (new Set(items).size !== items.length)
    throw new InvalidOptionError(flag, 'must not repeat a value', text);
  return items as T[];
}
