import { parseArgs } from 'node:util';
import { z } from 'zod';
import { readOptionsFile } from './options-file.js';
import { issueMessage, quoted } from './issue-message.js';
import type { OptionInput, OptionSpec, OptionSpecs, OptionValues } from './option.js';
import { kindOf } from './schema-shape.js';
import { valueFromText } from './text-value.js';
import { helpRows, type HelpLayout } from './help-text.js';

/** Where a value came from; names the option the way its source spells it in messages. */
export type OptionSource =
  | { readonly kind: 'defaults' }
  | { readonly kind: 'options' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'env' }
  | { readonly kind: 'flags' };

/** Values from one source; text (flags, env) is converted by each option's schema. Later layers win. */
export interface OptionLayer {
  readonly source: OptionSource;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface OptionSetSettings<Specs extends OptionSpecs> {
  /** The program or library, named in messages (`is not an option of tributary-devstack`). */
  readonly component: string;
  /** Makes the error thrown for a bad option, so each package keeps its own error code. */
  readonly invalid: (option: string, message: string) => Error;
  /** Prefix of the derived environment variable names. @defaultValue `'TRIBUTARY_'` */
  readonly envPrefix?: string;
  /**
   * Environment variables that were renamed (old name → new name): setting an old one fails naming both, instead of
   * being ignored while the option silently takes its default.
   */
  readonly renamedEnv?: Readonly<Record<string, string>>;
  /** A JSON file of options (camelCase keys): `--config <file>` / `TRIBUTARY_CONFIG`. @defaultValue none */
  readonly configFile?: { readonly flag?: string; readonly short?: string; readonly env?: string };
  /**
   * Rules across options, run after each value is valid. `fail(key, message)` names the option as the user gave it;
   * `sourceOf(key)` tells where an option's value came from (undefined: its default).
   */
  readonly check?: (
    values: OptionValues<Specs>,
    fail: (key: keyof Specs & string, message: string) => never,
    sourceOf: (key: keyof Specs & string) => OptionSource | undefined,
  ) => void;
}

/** What a command line resolves to. */
export interface ParsedCommandLine<Specs extends OptionSpecs> {
  /** `-h` / `--help` was given: show {@link OptionSet.help} (values are not resolved). */
  readonly help: boolean;
  readonly positionals: readonly string[];
  readonly values: OptionValues<Specs>;
  /** The options given explicitly, by any source (file, environment, flags). */
  readonly given: ReadonlySet<keyof Specs & string>;
}

export interface CommandLineContext {
  readonly env?: NodeJS.ProcessEnv;
  readonly readFile?: (path: string) => string;
}

const HELP_FLAG = 'help';

/**
 * A component's options, declared once: the type, the defaults, validation whose messages name the option as the
 * user spelled it (`--kafka-port`, `TRIBUTARY_KAFKA_PORT`, `kafkaPort in config file x.json`), flags, environment
 * variables, a JSON file and `--help` all derive from the same specs.
 */
export class OptionSet<Specs extends OptionSpecs> {
  readonly keys: readonly (keyof Specs & string)[];
  readonly #schema: z.ZodObject;
  #defaults: Partial<OptionValues<Specs>> | undefined;
  /** The config file's flag and variable (settings.configFile with its defaults), undefined without one. */
  readonly #configFile: { flag: string; short: string | undefined; env: string } | undefined;

  constructor(
    readonly specs: Specs,
    readonly settings: OptionSetSettings<Specs>,
  ) {
    this.keys = Object.keys(specs) as (keyof Specs & string)[];
    const file = settings.configFile;
    this.#configFile =
      file === undefined
        ? undefined
        : {
            flag: file.flag ?? 'config',
            short: file.short,
            env: file.env ?? `${settings.envPrefix ?? 'TRIBUTARY_'}CONFIG`,
          };
    this.#schema = z.object(Object.fromEntries(this.keys.map((key) => [key, specs[key]!.schema])));
    for (const key of this.keys) {
      const implied = specs[key]!.implies;
      if (implied !== undefined && !(implied in specs))
        throw new Error(`option ${key} implies ${implied}, which is not an option`);
    }
  }

  /** The same options plus more (a CLI's own flags on top of a library's options). */
  extend<More extends OptionSpecs>(
    more: More,
    settings: Partial<OptionSetSettings<Specs & More>> = {},
  ): OptionSet<Specs & More> {
    return new OptionSet({ ...this.specs, ...more } as Specs & More, {
      ...(this.settings as unknown as OptionSetSettings<Specs & More>),
      ...settings,
    });
  }

  /** Every option's default (options without one are absent). */
  get defaults(): Partial<OptionValues<Specs>> {
    if (this.#defaults === undefined) {
      const out: Record<string, unknown> = {};
      for (const key of this.keys) {
        const result = this.specs[key]!.schema.safeParse(undefined);
        if (result.success && result.data !== undefined) out[key] = result.data;
      }
      this.#defaults = out as Partial<OptionValues<Specs>>;
    }
    return this.#defaults;
  }

  /** `kafkaPort` → `kafka-port`, or the spec's own flag; undefined when the option has no flag. */
  flagName(key: keyof Specs & string): string | undefined {
    const flag = this.specs[key]!.flag;
    return flag === false ? undefined : (flag ?? key.replace(/([A-Z])/g, '-$1').toLowerCase());
  }

  /** `kafkaPort` → `TRIBUTARY_KAFKA_PORT`, or the spec's own variable; undefined when it has none. */
  envName(key: keyof Specs & string): string | undefined {
    const env = this.specs[key]!.env;
    if (env === false) return undefined;
    return env ?? `${this.settings.envPrefix ?? 'TRIBUTARY_'}${key.replace(/([A-Z])/g, '_$1').toUpperCase()}`;
  }

  /** Validates options given in code (the library path): defaults applied, undefined values ignored. */
  resolve(input: OptionInput<Specs> = {}): OptionValues<Specs> {
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw this.settings.invalid('options', `must be an object (got ${quoted(input)})`);
    return this.resolveLayers([{ source: { kind: 'options' }, values: input as Record<string, unknown> }])
      .values;
  }

  /** The environment's values for every option that has a variable (unset and empty variables are ignored). */
  envLayer(env: NodeJS.ProcessEnv): OptionLayer {
    const values: Record<string, unknown> = {};
    for (const key of this.keys) {
      const name = this.envName(key);
      const text = name === undefined ? undefined : env[name];
      if (text !== undefined && text !== '') values[key] = text;
    }
    return { source: { kind: 'env' }, values };
  }

  /**
   * Flags override environment variables, which override the JSON config file, which overrides the defaults.
   * Unknown flags, unknown keys in the file and bad values throw the component's error naming the option.
   */
  parseCommandLine(argv: readonly string[], context: CommandLineContext = {}): ParsedCommandLine<Specs> {
    const env = context.env ?? process.env;
    const parsed = this.#parseArgs(argv);
    const flagValues = parsed.values as Record<string, string | boolean | undefined>;
    if (flagValues[HELP_FLAG] === true) {
      return {
        help: true,
        positionals: parsed.positionals,
        values: {} as OptionValues<Specs>,
        given: new Set(),
      };
    }
    for (const [old, renamed] of Object.entries(this.settings.renamedEnv ?? {}))
      if (env[old] !== undefined && env[old] !== '')
        throw this.settings.invalid(old, `was renamed ${renamed}`);
    const layers: OptionLayer[] = [];
    const file = this.#configFile;
    if (file !== undefined) {
      const path = (flagValues[file.flag] as string | undefined) ?? env[file.env];
      if (path !== undefined && path !== '') {
        const values = readOptionsFile(path, context.readFile, (message) =>
          this.settings.invalid(`--${file.flag}`, message),
        );
        layers.push({ source: { kind: 'file', path }, values });
      }
    }
    layers.push(this.envLayer(env));
    layers.push({ source: { kind: 'flags' }, values: this.#flagLayerValues(flagValues) });
    const { values, given } = this.#resolve(layers, true);
    return { help: false, positionals: parsed.positionals, values, given };
  }

  /** Merges layers (later wins) over the defaults and validates once. */
  resolveLayers(layers: readonly OptionLayer[]): {
    values: OptionValues<Specs>;
    given: ReadonlySet<keyof Specs & string>;
  } {
    return this.#resolve(layers, false);
  }

  /** `commandLine`: an option nobody gave (a required one) is named by its flag. */
  #resolve(
    layers: readonly OptionLayer[],
    commandLine: boolean,
  ): { values: OptionValues<Specs>; given: ReadonlySet<keyof Specs & string> } {
    const merged: Record<string, unknown> = {};
    const raw: Record<string, unknown> = {};
    const origin = new Map<string, OptionSource>();
    for (const { source, values } of layers) {
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) continue;
        if (!Object.hasOwn(this.specs, key)) {
          const where = source.kind === 'file' ? ` (config file ${source.path})` : '';
          throw this.settings.invalid(key, `is not an option of ${this.settings.component}${where}`);
        }
        const text = (source.kind === 'env' || source.kind === 'flags') && typeof value === 'string';
        merged[key] = text ? valueFromText(this.specs[key]!.schema, value) : value;
        raw[key] = value;
        origin.set(key, source);
      }
    }
    for (const key of this.keys) {
      const implied = this.specs[key]!.implies;
      const source = origin.get(key);
      if (implied !== undefined && source !== undefined && !origin.has(implied)) {
        merged[implied] = true;
        origin.set(implied, source);
      }
    }
    const result = this.#schema.safeParse(merged, { reportInput: true });
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const key = String(issue.path[0] ?? 'options');
      const rest = issue.path.slice(1).map(String);
      const got = issue.path.length <= 1 && key in raw ? raw[key] : (issue as { input?: unknown }).input;
      const spec = this.specs[key];
      const shown =
        spec?.secret === true ? '***' : quoted(spec?.redact === undefined ? got : spec.redact(got));
      const source = origin.get(key);
      throw this.#invalid(
        key,
        source,
        commandLine,
        rest,
        got === undefined && source === undefined
          ? issueMessage(issue)
          : `${issueMessage(issue)} (got ${shown}${this.#fromFile(source)})`,
      );
    }
    const values = result.data as OptionValues<Specs>;
    this.settings.check?.(
      values,
      (key, message) => {
        const source = origin.get(key);
        const file = this.#fromFile(source);
        throw this.#invalid(
          key,
          source,
          commandLine,
          [],
          file === '' ? message : `${message} (${file.trimStart()})`,
        );
      },
      (key) => origin.get(key),
    );
    return { values, given: new Set(origin.keys()) as ReadonlySet<keyof Specs & string> };
  }

  /**
   * The values with every secret option replaced by `'***'` and every partly secret one shown through its `redact`
   * (for `--print-config`, startup lines and logs).
   */
  redacted(values: Partial<OptionValues<Specs>>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...values };
    for (const key of this.keys) {
      const { secret, redact } = this.specs[key]!;
      if (out[key] === undefined) continue;
      if (secret === true) out[key] = '***';
      else if (redact !== undefined) out[key] = redact(out[key]);
    }
    return out;
  }

  /** `--help` text: usage, description, one row per option (flag, help, variable, default), then the epilogue. */
  help(layout: HelpLayout): string {
    const rows = helpRows(
      this.keys
        .filter((key) => this.specs[key]!.hidden !== true && this.flagName(key) !== undefined)
        .map((key) => {
          const spec = this.specs[key]! as OptionSpec;
          return {
            flag: this.flagName(key)!,
            short: spec.short,
            boolean: kindOf(spec.schema) === 'boolean',
            spec,
            env: this.envName(key),
            defaultValue: this.defaults[key],
          };
        }),
      this.#configFile === undefined
        ? []
        : [
            {
              left: `${this.#configFile.short === undefined ? '' : `-${this.#configFile.short}, `}--${this.#configFile.flag} <file>`,
              right: `JSON file of options (camelCase names) [${this.#configFile.env}]`,
            },
          ],
    );
    return [
      `Usage: ${layout.usage}`,
      ...(layout.description === undefined ? [] : ['', layout.description]),
      '',
      layout.optionsTitle ??
        'Options (flags override TRIBUTARY_* environment variables, which override the config file):',
      ...rows,
      ...helpRows([], [{ left: '-h, --help', right: 'show this help' }]),
      ...(layout.epilogue === undefined ? [] : ['', layout.epilogue]),
    ].join('\n');
  }

  #parseArgs(argv: readonly string[]): ReturnType<typeof parseArgs> {
    const options: NonNullable<Parameters<typeof parseArgs>[0]>['options'] = {
      [HELP_FLAG]: { type: 'boolean', short: 'h' },
    };
    const file = this.#configFile;
    if (file !== undefined)
      options[file.flag] = {
        type: 'string',
        ...(file.short === undefined ? {} : { short: file.short }),
      };
    for (const key of this.keys) {
      const flag = this.flagName(key);
      if (flag === undefined) continue;
      const spec = this.specs[key]!;
      const short = spec.short === undefined ? {} : { short: spec.short };
      if (kindOf(spec.schema) === 'boolean') {
        options[flag] = { type: 'boolean', ...short };
        options[`no-${flag}`] = { type: 'boolean' };
      } else {
        options[flag] = { type: 'string', ...short };
        if (spec.schema.safeParse(false).success) options[`no-${flag}`] = { type: 'boolean' };
      }
    }
    // `--retention -1`: a value that looks like a negative number belongs to the flag before it.
    const args: string[] = [];
    for (const arg of argv) {
      const previous = args.at(-1);
      const name =
        previous?.startsWith('--') === true && !previous.includes('=') ? previous.slice(2) : undefined;
      if (name !== undefined && options[name]?.type === 'string' && /^-\d/.test(arg))
        args[args.length - 1] = `${previous}=${arg}`;
      else args.push(arg);
    }
    try {
      return parseArgs({ args, options, allowPositionals: true, strict: true });
    } catch (error) {
      const message = (error as Error).message;
      const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'arguments';
      const code = (error as { code?: string }).code;
      if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
        throw this.settings.invalid(flag, `is not an option of ${this.settings.component} (see --help)`);
      if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
        throw this.settings.invalid(
          flag,
          /argument missing/.test(message) ? 'needs a value' : `takes no value (${message})`,
        );
      }
      throw this.settings.invalid(flag, `is not valid here: ${message}`);
    }
  }

  #flagLayerValues(flagValues: Record<string, string | boolean | undefined>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of this.keys) {
      const flag = this.flagName(key);
      if (flag === undefined) continue;
      const value = flagValues[flag];
      if (value !== undefined) out[key] = value;
      if (flagValues[`no-${flag}`] === true) {
        if (value !== undefined) throw this.settings.invalid(`--no-${flag}`, `contradicts --${flag}`);
        out[key] = false;
      }
    }
    return out;
  }

  /** Names the option as its source spells it: `--kafka-port`, `TRIBUTARY_KAFKA_PORT`, or `kafkaPort`. */
  #invalid(
    key: string,
    source: OptionSource | undefined,
    commandLine: boolean,
    path: readonly string[],
    message: string,
  ): Error {
    const known = Object.hasOwn(this.specs, key);
    const label =
      known &&
      (source?.kind === 'flags' || (source === undefined && commandLine && this.flagName(key) !== undefined))
        ? `--${this.flagName(key)}`
        : known && source?.kind === 'env'
          ? (this.envName(key) ?? key)
          : key;
    return this.settings.invalid([label, ...path].join('.'), message);
  }

  /** ` from config file x.json` when the value came from the file, else nothing. */
  #fromFile(source: OptionSource | undefined): string {
    return source?.kind === 'file' ? ` from config file ${source.path}` : '';
  }
}

/** Declares a component's options: `defineOptions({ kafkaPort: option(z.int()..., 'help') }, { component, invalid })`. */
export function defineOptions<Specs extends OptionSpecs>(
  specs: Specs,
  settings: OptionSetSettings<Specs>,
): OptionSet<Specs> {
  return new OptionSet(specs, settings);
}
