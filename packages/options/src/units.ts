import { z } from 'zod';

/** Unit name → factor. */
export type Units = Readonly<Record<string, number>>;

/** Milliseconds per unit. */
export const DURATION_UNITS: Units = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Bytes per unit (binary multiples, as Kafka and Elasticsearch count them). */
export const BYTE_UNITS: Units = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * Wraps a number schema so that it also reads text with a unit from flags, variables and files: `30s` → 30000,
 * `1mb` → 1048576, `20k` → 20000. A bare number in text counts `bare` per unit (1 = already in the base unit).
 * Unit names match exactly, then in lower case. Text that fits no unit fails with `must be <like>`.
 */
export function withUnits(units: Units, like: string, bare = 1) {
  return <S extends z.ZodType>(schema: S) =>
    z.preprocess((value, ctx) => {
      if (typeof value !== 'string') return value;
      const match = /^([+-]?\d+(?:\.\d+)?)\s*(\S*)$/.exec(value.trim());
      const unit = match?.[2] ?? '';
      const factor =
        match === null ? undefined : unit === '' ? bare : (units[unit] ?? units[unit.toLowerCase()]);
      if (factor !== undefined) return Math.round(Number(match![1]) * factor * 1e6) / 1e6;
      ctx.addIssue({ code: 'custom', message: `must be ${like}`, input: value });
      return z.NEVER;
    }, schema);
}

/** `30000` → `30s`, `1048576` → `1mb`: the largest unit that divides the value (the shortest name on a tie). */
export function unitText(value: number, units: Units): string {
  const ordered = Object.entries(units).sort(([a, x], [b, y]) => y - x || a.length - b.length);
  const found = ordered.find(([, factor]) => value !== 0 && value % factor === 0);
  return found === undefined ? String(value) : `${value / found[1]}${found[0]}`;
}
