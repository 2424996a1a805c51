import { BYTE_UNITS, DURATION_UNITS, option, unitText, withUnits, type z } from '@tributary/options';
import type { OptionSpec, OptionSurface, Units } from '@tributary/options';

/**
 * An option whose flag is not its key in kebab-case keeps the variable named after the flag (`retentionMs`:
 * `--retention`, `TRIBUTARY_RETENTION`).
 */
export function flagged(flag: string): { flag: string; env: string } {
  return { flag, env: `TRIBUTARY_${flag.replaceAll('-', '_').toUpperCase()}` };
}

type NumberSchema = z.ZodType<number | undefined, number | undefined>;
/** What a spec of a number that also takes text with a unit resolves to and accepts. */
type WithUnits<S extends NumberSchema> = z.ZodType<z.output<S>, z.input<S> | string>;

function unitOption<S extends NumberSchema>(
  schema: S,
  units: Units,
  example: string,
  help: string,
  surface: OptionSurface & { placeholder: string },
): OptionSpec<WithUnits<S>> {
  const fallback = schema.safeParse(undefined).data;
  return option(withUnits(units, example)(schema) as unknown as WithUnits<S>, help, {
    ...(fallback === undefined ? {} : { defaultText: unitText(fallback, units) }),
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
