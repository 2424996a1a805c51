import { option, z } from '@tributary/options';
import type { OptionSpec, OptionSurface } from '@tributary/options';

/**
 * An option whose flag is not its key in kebab-case keeps the variable named after the flag (`retentionMs`:
 * `--retention`, `TRIBUTARY_RETENTION`).
 */
export function flagged(flag: string): { flag: string; env: string } {
  return { flag, env: `TRIBUTARY_${flag.replaceAll('-', '_').toUpperCase()}` };
}

type Units = Readonly<Record<string, number>>;

/** Largest unit first (for `--help`'s default). */
const DURATION_UNITS: Units = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const BYTE_UNITS: Units = {
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  kb: 1024,
  kib: 1024,
  b: 1,
};

type NumberSchema = z.ZodType<number | undefined, number | undefined>;
/** What a spec of a number that also takes text with a unit resolves to and accepts. */
type WithUnits<S extends NumberSchema> = z.ZodType<z.output<S>, z.input<S> | string>;

/**
 * `schema` (a number, optionally with a default) that also takes text with one of `units` from flags, variables or
 * the config file: `30s` → 30000, `1mb` → 1048576; a bare number is in the last unit.
 */
function unitOption<S extends NumberSchema>(
  schema: S,
  units: Units,
  example: string,
  help: string,
  surface: OptionSurface & { placeholder: string },
): OptionSpec<WithUnits<S>> {
  const names = Object.keys(units);
  const pattern = new RegExp(`^\\s*(\\d+(?:\\.\\d+)?)\\s*(${names.join('|')})?\\s*$`, 'i');
  const fromText = (value: number | string): number => {
    if (typeof value === 'number') return value;
    const [, amount, unit = names.at(-1)!] = pattern.exec(value)!;
    return Math.round(Number(amount) * units[unit.toLowerCase()]!);
  };
  // The text's check stays outside the transform, so a union of one failing form reports its message.
  const orText = (inner: z.ZodType) =>
    z
      .union([z.number(), z.string().regex(pattern, `must be ${example}`)])
      .transform(fromText)
      .pipe(inner as z.ZodType<number, number>);
  const wrapped =
    schema instanceof z.ZodDefault
      ? orText(schema.unwrap() as z.ZodType).default(schema.def.defaultValue as number)
      : schema instanceof z.ZodOptional
        ? orText(schema.unwrap() as z.ZodType).optional()
        : orText(schema);
  const fallback = schema.safeParse(undefined).data;
  const unit = fallback ? names.find((name) => fallback % units[name]! === 0) : undefined;
  return option(wrapped as unknown as WithUnits<S>, help, {
    ...(unit === undefined ? {} : { defaultText: `${fallback! / units[unit]!}${unit}` }),
    ...surface,
  });
}

/** Milliseconds, also as `500ms`, `30s`, `5m`, `1h` or `7d`. */
export function durationOption<S extends NumberSchema>(
  schema: S,
  help: string,
  surface: OptionSurface = {},
): OptionSpec<WithUnits<S>> {
  const example = 'a duration like 500ms, 30s, 5m, 1h, 7d or a number of ms';
  return unitOption(schema, DURATION_UNITS, example, help, { placeholder: '<duration>', ...surface });
}

/** Bytes, also as `512kb`, `1mb` or `1gb`. */
export function sizeOption<S extends NumberSchema>(
  schema: S,
  help: string,
  surface: OptionSurface = {},
): OptionSpec<WithUnits<S>> {
  const example = 'a size like 512kb, 1mb or a number of bytes';
  return unitOption(schema, BYTE_UNITS, example, help, { placeholder: '<bytes>', ...surface });
}
