import { option, z, type OptionValues } from '@tributary/options';
import { invalidOption } from '../errors.js';
import { DEVSTACK_OPTIONS, SERVICES, type DevstackOptions, type Service } from '../options.js';
import { RESTART_OPTIONS } from '../restart-options.js';
import { SMOKE_OPTIONS } from '../smoke.js';

export const COMMANDS = {
  up: 'up',
  down: 'down',
  status: 'status',
  logs: 'logs',
  smoke: 'smoke',
  restart: 'restart',
} as const;
export type Command = (typeof COMMANDS)[keyof typeof COMMANDS];
export const COMMAND_NAMES: readonly Command[] = Object.values(COMMANDS);

/** The commands' own flags, on top of every devstack option (smoke's and restart's are their library options). */
const CLI_OPTION_SPECS = {
  detach: option(z.boolean().default(false), '(up) leave the servers running and exit', { env: false }),
  json: option(z.boolean().default(false), '(status, smoke) print JSON', { env: false }),
  lines: option(z.int().min(0).default(100), '(logs) lines per log file', { env: false }),
  events: SMOKE_OPTIONS.specs.events,
  partitions: SMOKE_OPTIONS.specs.partitions,
  signal: RESTART_OPTIONS.specs.signal,
  quiet: option(z.boolean().default(false), 'no progress lines', { short: 'q', env: false }),
};

/** The command line: devstack options from flags and TRIBUTARY_* variables, plus the commands' own flags. */
export const CLI_OPTIONS = DEVSTACK_OPTIONS.extend(CLI_OPTION_SPECS, { component: 'tributary-devstack' });

export type CliValues = Pick<OptionValues<typeof CLI_OPTIONS.specs>, keyof typeof CLI_OPTION_SPECS>;

export interface CliInvocation extends CliValues {
  command: Command | undefined;
  help: boolean;
  /** The devstack options given by flags or environment variables (the library applies the defaults). */
  options: DevstackOptions;
  /** The server `restart` restarts. */
  service: Service | undefined;
}

/** Names `restart` accepts for each server. */
const RESTART_TARGETS: Readonly<Record<string, Service>> = { ...SERVICES, es: SERVICES.elasticsearch };

/** The server named after `restart`: `kafka`, `elasticsearch` or `es`. */
function restartTarget(args: readonly string[]): Service {
  const service = args.length === 1 ? RESTART_TARGETS[args[0]!] : undefined;
  if (service === undefined) {
    const got = args.length === 0 ? 'none' : JSON.stringify(args.join(' '));
    throw invalidOption('restart', `needs one server to restart: kafka or elasticsearch (es) (got ${got})`);
  }
  return service;
}

/**
 * Parses the command line and the TRIBUTARY_* environment (which flags override) and validates every option with the
 * library's own rules. Unknown flags, commands and bad values throw `TRIB_DEVSTACK_INVALID_OPTION`.
 */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliInvocation {
  const { help, positionals, values, given } = CLI_OPTIONS.parseCommandLine(argv, { env });
  const [command, ...extra] = positionals;
  if (command !== undefined && !COMMAND_NAMES.includes(command as Command)) {
    throw invalidOption(
      'command',
      `must be one of ${COMMAND_NAMES.join(', ')} (got ${JSON.stringify(command)})`,
    );
  }
  const service = command === 'restart' && !help ? restartTarget(extra) : undefined;
  if (command !== 'restart' && extra.length > 0)
    throw invalidOption('command', `takes no arguments (got ${JSON.stringify(extra.join(' '))})`);
  const keys = DEVSTACK_OPTIONS.keys.filter((key) => given.has(key));
  const options: DevstackOptions = Object.fromEntries(keys.map((key) => [key, values[key]]));
  const own = help ? CLI_OPTIONS.defaults : values;
  const cli = Object.fromEntries(
    Object.keys(CLI_OPTION_SPECS).map((key) => [key, own[key as keyof CliValues]]),
  );
  return { ...(cli as CliValues), command: command as Command | undefined, help, options, service };
}
