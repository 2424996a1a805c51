import type { z } from 'zod';

/** How one option appears outside code: its flag, its environment variable, its line in `--help`. */
export interface OptionSurface {
  /** Flag name without `--`; `false` = no flag. @defaultValue the key in kebab-case (`kafkaPort` → `kafka-port`) */
  readonly flag?: string | false;
  /** One-letter alias (`-q`). */
  readonly short?: string;
  /** Environment variable; `false` = none. @defaultValue prefix + the key in SNAKE_CASE (`TRIBUTARY_KAFKA_PORT`) */
  readonly env?: string | false;
  /** Value placeholder in `--help` (`<n>`, `<list>`). @defaultValue derived from the schema */
  readonly placeholder?: string;
  /** What `--help` shows as the default when the value is computed or absent (`a fresh temp dir`). */
  readonly defaultText?: string;
  /** A boolean option that this one switches on when given explicitly (by any source) and not given itself. */
  readonly implies?: string;
  /** Left out of `--help` (still accepted). */
  readonly hidden?: boolean;
  /** A credential: never shown by `--help`, {@link OptionSet.redacted} or a validation message (`got ***`). */
  readonly secret?: boolean;
  /**
   * A value that may carry a credential in part (a URL's `user:password@`): {@link OptionSet.redacted} and validation
   * messages show it through this function, which gets the value or the part a message quotes (one element of a
   * list). A `secret` option is hidden whole instead.
   */
  readonly redact?: (value: unknown) => unknown;
}

/** One option: its schema (type, default, constraints) and what users see of it. */
export interface OptionSpec<S extends z.ZodType = z.ZodType> extends OptionSurface {
  readonly schema: S;
  /** One line for `--help`. */
  readonly help: string;
}

/** Declares an option: `option(z.int().min(1).default(9092), 'Kafka listener port')`. */
export function option<S extends z.ZodType>(
  schema: S,
  help: string,
  surface: OptionSurface = {},
): OptionSpec<S> {
  return { ...surface, schema, help };
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The validated options: every default applied. */
export type OptionValues<Specs extends OptionSpecs> = {
  -readonly [K in keyof Specs]: z.output<Specs[K]['schema']>;
};

/** What a caller may pass: every option optional, `undefined` meaning "not given". */
export type OptionInput<Specs extends OptionSpecs> = {
  readonly [K in keyof Specs]?: z.input<Specs[K]['schema']> | undefined;
};
