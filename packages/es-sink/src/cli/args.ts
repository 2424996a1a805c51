import { KAFKA_SECURITY_OPTION_SPECS } from '@tributary/kafka';
import { LOG_LEVELS } from '@tributary/observability';
import { defineOptions, option, z, type OptionValues } from '@tributary/options';
import { WINDOW_DOCUMENT_FIELDS, WINDOW_DOCUMENT_MAPPINGS } from '@tributary/schema';
import {
  CONNECTOR_OPTION_SPECS,
  CONNECTOR_SETTING_SPECS,
  checkConnectorSettings,
  type KafkaEsConnectorOptions,
} from '../connector/connector-options.js';
import {
  ELASTICSEARCH_CONNECTION_OPTION_SPECS,
  elasticsearchClientOptions,
} from '../elasticsearch-connection.js';
import { invalidOption } from '../errors.js';
import { patternWildcard } from '../index-management/index-name.js';
import { INDEX_TEMPLATE, type IndexTemplateSpec } from '../index-management/index-template.js';
import { SINK_OPTION_SPECS, SINK_SETTING_SPECS } from '../options.js';

const { brokers, groupId } = CONNECTOR_OPTION_SPECS;
const { index } = SINK_OPTION_SPECS;
const template = INDEX_TEMPLATE.shape;
const WINDOW_RESULT_ALIAS = 'clickstream-metrics';

/**
 * The CLI's options: the connector's and the sink's settings as they are, the wiring (brokers, Elasticsearch URL and
 * credentials, index and template) with the CLI's defaults, and the process's own (metrics server, logs).
 */
const CLI_OPTION_SPECS = {
  brokers: { ...brokers, schema: brokers.schema.default(['127.0.0.1:9092']) },
  ...KAFKA_SECURITY_OPTION_SPECS,
  ...CONNECTOR_SETTING_SPECS,
  groupId: { ...groupId, schema: groupId.schema.optional(), defaultText: 'tributary-es-sink-<topic>' },
  fromLatest: option(
    z.boolean().default(false),
    'a new consumer group starts at the end (default: the beginning)',
  ),
  ...ELASTICSEARCH_CONNECTION_OPTION_SPECS,
  index: { ...index, schema: z.string().min(1).default(`${WINDOW_RESULT_ALIAS}-{yyyy.MM.dd}`) },
  ...SINK_SETTING_SPECS,
  indexDateField: { ...SINK_SETTING_SPECS.indexDateField, defaultText: 'window_start for a date pattern' },
  alias: option(template.alias, 'alias every index joins', {
    placeholder: '<name>',
    defaultText: `${WINDOW_RESULT_ALIAS} for window-result`,
  }),
  indexTemplate: option(z.boolean().default(true), 'install the index template', { flag: 'template' }),
  dataStream: option(
    z.boolean().default(false),
    'write to the data stream named by --index (op_type create; documents need @timestamp)',
  ),
  shards: option(template.shards.default(1), 'index template: number of shards'),
  replicas: option(template.replicas.default(0), 'index template: number of replicas'),
  refreshInterval: option(template.refreshInterval.default('30s'), 'index template: refresh interval', {
    placeholder: '<t>',
  }),
  metricsPort: option(
    z.int().min(0).max(65_535).optional(),
    'serve /metrics and /health on this port (0 = any free port, logged)',
    { defaultText: 'no server' },
  ),
  metricsHost: option(z.string().min(1).default('127.0.0.1'), 'interface of that server', {
    placeholder: '<host>',
  }),
  logLevel: option(
    z.enum(LOG_LEVELS).default('info'),
    'JSON log lines (pino) on stderr, credentials redacted',
  ),
  statsIntervalMs: option(z.int().min(0).default(10_000), 'log a stats line this often (0 = never)'),
};

type CliValues = OptionValues<typeof CLI_OPTION_SPECS>;

/** The options of `tributary-es-sink`. */
export const CLI_OPTIONS = defineOptions(CLI_OPTION_SPECS, {
  component: 'tributary-es-sink',
  invalid: invalidOption,
  configFile: { short: 'c' },
  renamedEnv: { TRIBUTARY_ES_CA: 'TRIBUTARY_ES_CA_FILE' },
  check: checkCliOptions,
});

function checkCliOptions(
  o: CliValues,
  fail: (key: keyof CliValues & string, message: string) => never,
): void {
  checkConnectorSettings(o, fail);
  elasticsearchClientOptions(o, fail);
  if (o.dataStream && o.index.includes('{'))
    fail('dataStream', 'needs --index <data stream name> without a date pattern');
  if (o.dataStream && o.alias !== undefined) fail('alias', 'cannot be used with --data-stream');
}

/** `tributary-es-sink --help`. */
export function cliHelp(): string {
  return CLI_OPTIONS.help({
    usage: 'tributary-es-sink --topic <topic> [options]',
    description:
      'Consumes a Kafka topic (read_committed) and writes it to Elasticsearch through a bulk sink that retries per\n' +
      'document, dead-letters what cannot be written, and commits only offsets whose records are all acknowledged.',
    epilogue:
      'Exit codes: 0 after a clean shutdown (SIGTERM/SIGINT: stop fetching, flush, commit, disconnect),\n' +
      '2 for bad options or configuration (message names the fix), 1 for a failure while running.',
  });
}

export type CliConfig = { help: true } | (CliValues & { help: false; connector: KafkaEsConnectorOptions });

/** Drops undefined values so `exactOptionalPropertyTypes` options objects only carry what was given. */
function defined<T>(o: { [K in keyof T]?: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The values of the given options (those without a value left out). */
function pick<K extends keyof CliValues>(
  o: CliValues,
  specs: Readonly<Record<K, unknown>>,
): Pick<CliValues, K> {
  const entries = Object.keys(specs).map((key) => [key, o[key as K]]);
  return defined<Pick<CliValues, K>>(Object.fromEntries(entries));
}

/** Window-result mappings; data streams also need `@timestamp` (copied from window_start). */
function windowMappings(dataStream: boolean): Record<string, unknown> {
  if (!dataStream) return WINDOW_DOCUMENT_MAPPINGS;
  return {
    ...WINDOW_DOCUMENT_MAPPINGS,
    properties: {
      ...WINDOW_DOCUMENT_MAPPINGS.properties,
      '@timestamp': { type: 'date', format: 'epoch_millis' },
    },
  };
}

function indexTemplate(o: CliValues, alias: string | undefined): IndexTemplateSpec {
  const wildcard = patternWildcard(o.index);
  return defined<IndexTemplateSpec>({
    name: (alias ?? wildcard.replace(/[*{}]/g, '')).replace(/-+$/, '') || 'tributary-es-sink',
    indexPatterns: [wildcard],
    mappings: o.format === 'window-result' ? windowMappings(o.dataStream) : undefined,
    shards: o.shards,
    replicas: o.replicas,
    refreshInterval: o.refreshInterval,
    alias: o.dataStream ? undefined : alias,
    dataStream: o.dataStream ? true : undefined,
  });
}

/**
 * Maps argv, `TRIBUTARY_*` variables and the config file onto the connector options (the same object the library
 * takes, validated by the same code). Throws TRIB_SINK_INVALID_OPTION naming the flag or variable.
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliConfig {
  const { help, positionals, values: o, given } = CLI_OPTIONS.parseCommandLine(argv, { env });
  if (help) return { help: true };
  if (positionals[0] !== undefined)
    throw invalidOption(positionals[0], 'is not an option of tributary-es-sink (see --help)');
  const alias =
    o.alias ?? (o.format === 'window-result' && !given.has('index') ? WINDOW_RESULT_ALIAS : undefined);
  const windowStart = o.format === 'window-result' ? WINDOW_DOCUMENT_FIELDS.windowStart : undefined;
  const timestampFrom = o.timestampFrom ?? (o.dataStream ? windowStart : undefined);
  const connector: KafkaEsConnectorOptions = {
    ...pick(o, CONNECTOR_SETTING_SPECS),
    ...defined({ timestampFrom }),
    brokers: o.brokers,
    groupId: o.groupId ?? `tributary-es-sink-${o.topic}`,
    fromBeginning: !o.fromLatest,
    sink: {
      ...pick(o, SINK_SETTING_SPECS),
      ...elasticsearchClientOptions(o),
      ...defined({
        template: o.indexTemplate ? indexTemplate(o, alias) : undefined,
        indexDateField: o.index.includes('{')
          ? (o.indexDateField ?? WINDOW_DOCUMENT_FIELDS.windowStart)
          : undefined,
      }),
      index: o.index,
      ...(o.dataStream && !given.has('action') ? { action: 'create' as const } : {}),
      ...(o.adaptiveConcurrency && !given.has('maxConcurrency')
        ? { maxConcurrency: Math.max(o.maxConcurrency, o.concurrency) }
        : {}),
    },
  };
  return { ...o, help: false, connector };
}
