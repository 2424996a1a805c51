import { parseArgs } from 'node:util';
import { invalidOption } from '../errors.js';
import type { DevstackOptions, Service } from '../options.js';
import { devstackOptionsFromEnv, optionFromText } from '../options-env.js';
import { RESTART_DEFAULTS, RESTART_SIGNAL_NAMES, type RestartSignal } from '../restart-options.js';

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

/** CLI flags that map one-to-one onto a devstack option (text form). */
const OPTION_FLAGS = {
  services: 'services',
  'kafka-port': 'kafkaPort',
  'kafka-controller-port': 'kafkaControllerPort',
  'es-port': 'esPort',
  'es-transport-port': 'esTransportPort',
  'kafka-version': 'kafkaVersion',
  'es-version': 'esVersion',
  'kafka-heap': 'kafkaHeap',
  'es-heap': 'esHeap',
  'cache-dir': 'cacheDir',
  'data-dir': 'dataDir',
  'write-queue-size': 'writeQueueSize',
  'write-threads': 'writeThreadPoolSize',
  'start-timeout-ms': 'startTimeoutMs',
  'stop-timeout-ms': 'stopTimeoutMs',
  java: 'javaCommand',
  mvn: 'mavenCommand',
} as const satisfies Record<string, keyof DevstackOptions>;

export interface CliInvocation {
  command: Command | undefined;
  help: boolean;
  options: DevstackOptions;
  detach: boolean;
  json: boolean;
  quiet: boolean;
  lines: number;
  events: number | undefined;
  partitions: number | undefined;
  /** The server `restart` restarts. */
  service: Service | undefined;
  /** How `restart` stops it (`--signal term|kill`). */
  signal: RestartSignal;
}

/** `--signal` text: `term` or `kill` (also `sigterm`, `SIGKILL`, any case). */
export function signalFromText(text: string): RestartSignal {
  const signal = `SIG${text.trim().toUpperCase().replace(/^SIG/, '')}`;
  if (!RESTART_SIGNAL_NAMES.includes(signal as RestartSignal)) {
    throw invalidOption('--signal', `must be term or kill (got ${JSON.stringify(text)})`);
  }
  return signal as RestartSignal;
}

/** Names `restart` accepts for each server. */
const RESTART_TARGETS: Readonly<Record<string, Service>> = {
  kafka: 'kafka',
  elasticsearch: 'elasticsearch',
  es: 'elasticsearch',
};

/** The server named after `restart`: `kafka`, `elasticsearch` or `es`. */
function restartTarget(args: readonly string[]): Service {
  const service = args.length === 1 ? RESTART_TARGETS[args[0]!] : undefined;
  if (service === undefined) {
    const got = args.length === 0 ? 'none' : JSON.stringify(args.join(' '));
    throw invalidOption('restart', `needs one server to restart: kafka or elasticsearch (es) (got ${got})`);
  }
  return service;
}

function integerFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text))
    throw invalidOption(`--${name}`, `must be a positive integer (got ${JSON.stringify(text)})`);
  return Number(text);
}

/**
 * Parses the command line (and the TRIBUTARY_* environment, which flags override) into devstack options. Unknown
 * flags and commands throw; option values are validated later by the same code as the library's.
 */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliInvocation {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      ...Object.fromEntries(Object.keys(OPTION_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      'auto-create-topics': { type: 'boolean' },
      'no-reuse': { type: 'boolean' },
      detach: { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      lines: { type: 'string' },
      events: { type: 'string' },
      partitions: { type: 'string' },
      signal: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...extra] = positionals;
  if (command !== undefined && !COMMAND_NAMES.includes(command as Command)) {
    throw invalidOption(
      'command',
      `must be one of ${COMMAND_NAMES.join(', ')} (got ${JSON.stringify(command)})`,
    );
  }
  const help = (values as { help?: boolean }).help === true;
  const service = command === 'restart' && !help ? restartTarget(extra) : undefined;
  if (command !== 'restart' && extra.length > 0)
    throw invalidOption('command', `takes no arguments (got ${JSON.stringify(extra.join(' '))})`);
  const options = devstackOptionsFromEnv(env);
  const flags = values as Record<string, string | boolean | undefined>;
  for (const [flag, key] of Object.entries(OPTION_FLAGS)) {
    const text = flags[flag];
    if (typeof text === 'string') optionFromText(options, key, text, `--${flag}`);
  }
  if (flags['auto-create-topics'] === true) options.autoCreateTopics = true;
  if (flags['no-reuse'] === true) options.reuse = false;
  return {
    command: command as Command | undefined,
    help,
    options,
    detach: flags['detach'] === true,
    json: flags['json'] === true,
    quiet: flags['quiet'] === true,
    lines: integerFlag('lines', flags['lines'] as string | undefined) ?? 100,
    events: integerFlag('events', flags['events'] as string | undefined),
    partitions: integerFlag('partitions', flags['partitions'] as string | undefined),
    service,
    signal: typeof flags['signal'] === 'string' ? signalFromText(flags['signal']) : RESTART_DEFAULTS.signal,
  };
}
