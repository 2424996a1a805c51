import {
  defineOptions,
  type OptionSet,
  type OptionSetSettings,
  type OptionSpecs,
  type OptionValues,
} from '@tributary/options';
import { InvalidOptionError } from '../errors.js';

/** Where a suite writes: the results (stdout) and timestamped progress lines (stderr). */
export interface SuiteOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface SuiteContext {
  /** The arguments besides options (only suites that declare `positionals` get any). */
  readonly positionals: readonly string[];
  /** Results: what a README shows (stdout). */
  print(text: string): void;
  /** A progress line, with the time of day (stderr). */
  log(line: string): void;
}

/** A benchmark suite as `bench suite` lists and runs it. */
export interface Suite {
  readonly name: string;
  /** One line in `bench suite --help`. */
  readonly summary: string;
  /** What must be running: 'nothing', 'Kafka', 'Kafka and Elasticsearch'. */
  readonly needs: string;
  /** `bench suite <name> --help`. */
  help(): string;
  /** Parses `argv` (options, TRIBUTARY_BENCH_* variables) and runs; resolves to the exit code. */
  main(argv: readonly string[], output: SuiteOutput, env?: NodeJS.ProcessEnv): Promise<number>;
}

export interface SuiteDefinition<Specs extends OptionSpecs> {
  readonly name: string;
  readonly summary: string;
  readonly needs: string;
  /** What is and is not measured, for `--help`. */
  readonly description: string;
  /** The arguments it takes besides options, for the usage line (`<file.cpuprofile>`); none when absent. */
  readonly positionals?: string;
  readonly options: Specs;
  readonly check?: OptionSetSettings<Specs>['check'];
  /** Resolves to the exit code (0 when nothing is returned). */
  run(values: OptionValues<Specs>, context: SuiteContext): Promise<number | void>;
}

/**
 * A suite with its options declared once (`@tributary/options`): flags, `TRIBUTARY_BENCH_<SUITE>_<OPTION>` variables
 * and `--help` derive from the specs; a bad value throws `TRIB_BENCH_INVALID_OPTION` naming the flag (exit 2).
 */
export function defineSuite<Specs extends OptionSpecs>(
  definition: SuiteDefinition<Specs>,
): Suite & { readonly options: OptionSet<Specs> } {
  const options = defineOptions(definition.options, {
    component: `bench suite ${definition.name}`,
    invalid: (name, message) => new InvalidOptionError(name, message),
    envPrefix: `TRIBUTARY_BENCH_${definition.name.replaceAll('-', '_').toUpperCase()}_`,
    ...(definition.check === undefined ? {} : { check: definition.check }),
  });
  const help = (): string =>
    `${options.help({
      usage: `bench suite ${definition.name} ${definition.positionals ?? ''} [options]`.replace('  ', ' '),
      description: `${definition.summary}. Needs: ${definition.needs}.\n\n${definition.description}`,
      optionsTitle: 'Options (flags override the TRIBUTARY_* environment variables):',
    })}\n`;
  return {
    name: definition.name,
    summary: definition.summary,
    needs: definition.needs,
    options,
    help,
    async main(argv, output, env = process.env) {
      const parsed = options.parseCommandLine(argv, { env });
      if (parsed.help) {
        output.stdout(help());
        return 0;
      }
      if (definition.positionals === undefined && parsed.positionals.length > 0)
        throw new InvalidOptionError(definition.name, 'takes no arguments', parsed.positionals.join(' '));
      const context: SuiteContext = {
        positionals: parsed.positionals,
        print: (text) => output.stdout(text.endsWith('\n') ? text : `${text}\n`),
        log: (line) => output.stderr(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`),
      };
      return (await definition.run(parsed.values, context)) ?? 0;
    },
  };
}
