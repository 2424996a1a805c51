import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { invalidOption } from '../errors.js';
import { readConfigFile } from './config-file.js';
import {
  DEPRECATED_PROCESSOR_KEYS,
  DEPRECATED_PROCESSOR_OPTIONS,
  PROCESSOR_CONFIG_FIELDS,
  PROCESSOR_CONFIG_KEYS,
  PROCESSOR_DEFAULTS,
  configFromEnv,
  envName,
  flagName,
  resolveProcessorConfig,
} from './processor-config.js';
import type { ProcessorConfig } from './processor-config.js';

export const CLI_COMMANDS = ['clickstream'] as const;
export type CliCommand = (typeof CLI_COMMANDS)[number];

export type ParsedCli =
  | { readonly kind: 'help'; readonly text: string }
  | {
      readonly kind: 'run';
      readonly command: CliCommand;
      readonly config: ProcessorConfig;
      readonly printConfig: boolean;
    };

export interface CliEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly readFile?: (path: string) => string;
}

/**
 * Flags, TRIBUTARY_* environment variables and a JSON file (`--config` / TRIBUTARY_CONFIG) map onto the same
 * options and one validation: defaults < file < env < flags. Throws `TRIB_PROC_INVALID_OPTION` naming the option.
 */
export function parseCli(argv: readonly string[], environment: CliEnvironment): ParsedCli {
  const options: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
    config: { type: 'string', short: 'c' },
    'print-config': { type: 'boolean' },
    'no-elasticsearch': { type: 'boolean' },
  };
  for (const key of PROCESSOR_CONFIG_KEYS) {
    options[flagName(key)] = { type: PROCESSOR_CONFIG_FIELDS[key].kind === 'bool' ? 'boolean' : 'string' };
  }
  for (const key of DEPRECATED_PROCESSOR_KEYS) options[flagName(key)] = { type: 'boolean' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'arguments';
    throw invalidOption(flag, `is not valid here: ${message}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help'] === true) return { kind: 'help', text: helpText() };
  const [command, ...extra] = parsed.positionals;
  if (command === undefined) return { kind: 'help', text: helpText() };
  if (!(CLI_COMMANDS as readonly string[]).includes(command))
    throw invalidOption(
      'command',
      `must be one of ${CLI_COMMANDS.join(', ')} (got ${JSON.stringify(command)})`,
    );
  if (extra.length > 0) throw invalidOption('arguments', `unexpected extra arguments: ${extra.join(' ')}`);

  const fromFlags: Record<string, unknown> = {};
  for (const key of [...PROCESSOR_CONFIG_KEYS, ...DEPRECATED_PROCESSOR_KEYS]) {
    const value = values[flagName(key)];
    if (value !== undefined) fromFlags[key] = value;
  }
  if (values['no-elasticsearch'] === true) {
    if (fromFlags['elasticsearch'] === true)
      throw invalidOption('--no-elasticsearch', 'contradicts --elasticsearch');
    fromFlags['elasticsearch'] = false;
  }
  const configPath = (values['config'] as string | undefined) ?? environment.env['TRIBUTARY_CONFIG'];
  const layers = [];
  if (configPath !== undefined && configPath !== '') {
    layers.push({
      source: `config file ${configPath}`,
      values: readConfigFile(configPath, environment.readFile),
    });
  }
  layers.push({ source: 'environment', values: configFromEnv(environment.env) });
  layers.push({ source: 'flags', values: fromFlags });
  const config = resolveProcessorConfig(...layers);
  return {
    kind: 'run',
    command: command as CliCommand,
    config,
    printConfig: values['print-config'] === true,
  };
}

export function helpText(): string {
  const rows = PROCESSOR_CONFIG_KEYS.map((key) => {
    const spec = PROCESSOR_CONFIG_FIELDS[key];
    const isBool = spec.kind === 'bool';
    const flag = `--${flagName(key)}${isBool ? '' : ' <value>'}`;
    const def = PROCESSOR_DEFAULTS[key];
    const shown = Array.isArray(def) ? def.join(',') : String(def);
    return `  ${flag.padEnd(34)} ${spec.help} [${envName(key)}, default ${shown}]`;
  });
  return [
    'Usage: tributary-processor clickstream [options]',
    '',
    'Runs the reference clickstream job: Protobuf ClickstreamEvent (key user_id) → 1-minute tumbling windows of',
    'clicks and views per page_url (partial → repartition → merge) → WindowResult exactly-once to the results',
    'topic; late events and dead letters to their topics; results indexed into Elasticsearch via @tributary/es-sink.',
    '',
    'Options (flags override TRIBUTARY_* environment variables, which override the JSON config file):',
    `  ${'-c, --config <file>'.padEnd(34)} JSON file of options (camelCase names) [TRIBUTARY_CONFIG]`,
    ...rows,
    ...DEPRECATED_PROCESSOR_KEYS.map(
      (key) =>
        `  ${`--${flagName(key)}`.padEnd(34)} ${DEPRECATED_PROCESSOR_OPTIONS[key]!.help} [${envName(key)}]`,
    ),
    `  ${'--no-elasticsearch'.padEnd(34)} do not start the Elasticsearch connector`,
    `  ${'--print-config'.padEnd(34)} print the resolved configuration as JSON and exit`,
    `  ${'-h, --help'.padEnd(34)} show this help`,
    '',
    'SIGTERM / SIGINT commit or abort the transaction in flight, leave the group and exit 0.',
  ].join('\n');
}
