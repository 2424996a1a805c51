import { option, z } from '@tributary/options';
import { PROCESSOR_ERROR_CODES, ProcessorError, invalidOption } from '../errors.js';
import { PROCESSOR_OPTIONS, type ProcessorConfig } from './processor-config.js';

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

/** The app's options plus the CLI's own; a config file that cannot be read is `TRIB_PROC_CONFIG_FILE_INVALID`. */
export const CLI_OPTIONS = PROCESSOR_OPTIONS.extend(
  {
    printConfig: option(z.boolean().default(false), 'print the resolved configuration as JSON and exit', {
      env: false,
    }),
  },
  {
    configFile: { short: 'c' },
    renamedEnv: { TRIBUTARY_ELASTICSEARCH_URL: 'TRIBUTARY_ES_URL' },
    invalid: (name, message) =>
      name === '--config' && message.includes('config file')
        ? new ProcessorError(PROCESSOR_ERROR_CODES.CONFIG_FILE_INVALID, message, { option: name })
        : invalidOption(name, message),
  },
);

/**
 * Flags, TRIBUTARY_* environment variables and a JSON file (`--config` / TRIBUTARY_CONFIG) map onto the same
 * options and one validation: defaults < file < env < flags. Throws `TRIB_PROC_INVALID_OPTION` naming the option.
 */
export function parseCli(argv: readonly string[], environment: CliEnvironment): ParsedCli {
  const parsed = CLI_OPTIONS.parseCommandLine(argv, environment);
  const [command, ...extra] = parsed.positionals;
  if (parsed.help || command === undefined) return { kind: 'help', text: helpText() };
  if (!(CLI_COMMANDS as readonly string[]).includes(command))
    throw invalidOption(
      'command',
      `must be one of ${CLI_COMMANDS.join(', ')} (got ${JSON.stringify(command)})`,
    );
  if (extra.length > 0) throw invalidOption('arguments', `unexpected extra arguments: ${extra.join(' ')}`);
  const { printConfig, ...config } = parsed.values;
  return { kind: 'run', command: command as CliCommand, config, printConfig };
}

/** What `--print-config` prints: the resolved configuration as JSON, no secret in it (URL credentials as `***`). */
export function printedConfig(config: ProcessorConfig): string {
  return JSON.stringify(PROCESSOR_OPTIONS.redacted(config), null, 2);
}

/** The line printed once the app runs: where events come from and where results go (no credential). */
export function runningLine(c: ProcessorConfig): string {
  const { esUrl } = PROCESSOR_OPTIONS.redacted(c) as { esUrl: string[] };
  return (
    `tributary-processor: clickstream running — ${c.inputTopic} → ${c.resultsTopic} (${c.processingGuarantee})` +
    `${c.elasticsearch ? ` → ${esUrl.join(',')} alias ${c.indexPrefix}` : ''}`
  );
}

export function helpText(): string {
  return CLI_OPTIONS.help({
    usage: 'tributary-processor clickstream [options]',
    description: [
      'Runs the reference clickstream job: Protobuf ClickstreamEvent (key user_id) → 1-minute tumbling windows of',
      'clicks and views per page_url (partial → repartition → merge) → WindowResult exactly-once to the results',
      'topic; late events and dead letters to their topics; results indexed into Elasticsearch via @tributary/es-sink.',
    ].join('\n'),
    epilogue: 'SIGTERM / SIGINT commit or abort the transaction in flight, leave the group and exit 0.',
  });
}
