import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { WINDOW_DOCUMENT_FIELDS, WINDOW_DOCUMENT_MAPPINGS } from '@tributary/schema';
import { invalidOption } from '../errors.js';
import { patternWildcard } from '../index-management/index-name.js';
import type { IndexTemplateSpec } from '../index-management/index-template.js';
import type { KafkaEsConnectorOptions } from '../connector/connector-options.js';
import type { RecordFormat, VersionSource } from '../connector/record-mapper.js';
import type { SinkAuth } from '../options.js';
import { LOG_LEVELS, type LogLevel } from '@tributary/observability';

const OPTIONS = {
  brokers: { type: 'string' },
  topic: { type: 'string' },
  'group-id': { type: 'string' },
  'from-latest': { type: 'boolean' },
  'dead-letter-topic': { type: 'string' },
  'no-dead-letter-topic': { type: 'boolean' },
  'dead-letter-replication-factor': { type: 'string' },
  'shutdown-timeout-ms': { type: 'string' },
  'high-water-mark': { type: 'string' },
  'low-water-mark': { type: 'string' },
  'commit-interval-ms': { type: 'string' },
  format: { type: 'string' },
  'id-field': { type: 'string' },
  'version-from': { type: 'string' },
  'version-field': { type: 'string' },
  'es-url': { type: 'string' },
  'es-username': { type: 'string' },
  'es-password': { type: 'string' },
  'es-api-key': { type: 'string' },
  'es-ca': { type: 'string' },
  index: { type: 'string' },
  'index-date-field': { type: 'string' },
  alias: { type: 'string' },
  'no-template': { type: 'boolean' },
  'data-stream': { type: 'boolean' },
  'timestamp-field': { type: 'string' },
  shards: { type: 'string' },
  replicas: { type: 'string' },
  'refresh-interval': { type: 'string' },
  'flush-docs': { type: 'string' },
  'flush-bytes': { type: 'string' },
  'flush-interval-ms': { type: 'string' },
  concurrency: { type: 'string' },
  'adaptive-concurrency': { type: 'boolean' },
  'retry-deadline-ms': { type: 'string' },
  'stats-interval-ms': { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface CliConfig {
  help: boolean;
  statsIntervalMs: number;
  /** Port of the /metrics + /health server (0 = ephemeral); undefined = no server. */
  metricsPort: number | undefined;
  /** Interface of that server. */
  metricsHost: string;
  logLevel: LogLevel;
  connector: KafkaEsConnectorOptions;
}

function int(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw invalidOption(`--${flag}`, `must be a non-negative integer (got ${JSON.stringify(value)})`);
  return n;
}

/** Drops undefined values so `exactOptionalPropertyTypes` options objects only carry what was given. */
function defined<T>(o: { [K in keyof T]?: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
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

/**
 * Maps argv and environment variables onto the connector options (the same object the library takes, validated
 * by the same code). Throws TRIB_SINK_INVALID_OPTION naming the flag.
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliConfig {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw invalidOption('arguments', `are invalid: ${(error as Error).message}`);
  }
  if (values.help === true)
    return {
      help: true,
      statsIntervalMs: 0,
      metricsPort: undefined,
      metricsHost: '127.0.0.1',
      logLevel: 'info',
      connector: undefined as unknown as KafkaEsConnectorOptions,
    };
  const topic = values.topic;
  if (topic === undefined || topic === '') throw invalidOption('--topic', 'is required');
  const format = (values.format ?? 'window-result') as RecordFormat;
  const index = values.index ?? 'clickstream-metrics-{yyyy.MM.dd}';
  const alias =
    values.alias ??
    (format === 'window-result' && values.index === undefined ? 'clickstream-metrics' : undefined);
  const username = values['es-username'] ?? env['TRIBUTARY_ES_USERNAME'];
  const password = values['es-password'] ?? env['TRIBUTARY_ES_PASSWORD'];
  const apiKey = values['es-api-key'] ?? env['TRIBUTARY_ES_API_KEY'];
  let auth: SinkAuth | undefined;
  if (apiKey !== undefined) auth = { apiKey };
  else if (username !== undefined || password !== undefined) {
    if (username === undefined || password === undefined)
      throw invalidOption('--es-username', 'and --es-password must be given together');
    auth = { username, password };
  }
  let ca: string | undefined;
  if (values['es-ca'] !== undefined) {
    try {
      ca = readFileSync(values['es-ca'], 'utf8');
    } catch (error) {
      throw invalidOption('--es-ca', `cannot be read: ${(error as Error).message}`);
    }
  }
  if (values['no-dead-letter-topic'] === true && values['dead-letter-topic'] !== undefined)
    throw invalidOption('--no-dead-letter-topic', 'contradicts --dead-letter-topic');
  const dataStream = values['data-stream'] === true;
  if (dataStream && (values.index === undefined || index.includes('{'))) {
    throw invalidOption('--data-stream', 'needs --index <data stream name> without a date pattern');
  }
  if (dataStream && values.alias !== undefined)
    throw invalidOption('--alias', 'cannot be used with --data-stream');
  const indexDateField = index.includes('{')
    ? (values['index-date-field'] ?? WINDOW_DOCUMENT_FIELDS.windowStart)
    : undefined;
  const templateName =
    (alias ?? patternWildcard(index).replace(/[*{}]/g, '')).replace(/-+$/, '') || 'tributary-es-sink';
  const template =
    values['no-template'] === true
      ? undefined
      : defined<IndexTemplateSpec>({
          name: templateName,
          indexPatterns: [patternWildcard(index)],
          mappings: format === 'window-result' ? windowMappings(dataStream) : undefined,
          shards: int('shards', values.shards) ?? 1,
          replicas: int('replicas', values.replicas) ?? 0,
          refreshInterval: values['refresh-interval'] ?? '30s',
          alias: dataStream ? undefined : alias,
          dataStream: dataStream ? true : undefined,
        });
  const connector = defined<KafkaEsConnectorOptions>({
    brokers: (values.brokers ?? env['TRIBUTARY_KAFKA_BROKERS'] ?? '127.0.0.1:9092')
      .split(',')
      .map((b) => b.trim()),
    topic,
    groupId: values['group-id'] ?? `tributary-es-sink-${topic}`,
    fromBeginning: values['from-latest'] !== true,
    deadLetterTopic: values['no-dead-letter-topic'] === true ? false : values['dead-letter-topic'],
    deadLetterReplicationFactor: int(
      'dead-letter-replication-factor',
      values['dead-letter-replication-factor'],
    ),
    shutdownTimeoutMs: int('shutdown-timeout-ms', values['shutdown-timeout-ms']),
    highWaterMark: int('high-water-mark', values['high-water-mark']),
    lowWaterMark: int('low-water-mark', values['low-water-mark']),
    commitIntervalMs: int('commit-interval-ms', values['commit-interval-ms']),
    format,
    idField: values['id-field'],
    versionFrom: values['version-from'] as VersionSource | undefined,
    versionField: values['version-field'],
    timestampFrom: dataStream
      ? (values['timestamp-field'] ??
        (format === 'window-result' ? WINDOW_DOCUMENT_FIELDS.windowStart : undefined))
      : values['timestamp-field'],
    sink: defined<KafkaEsConnectorOptions['sink']>({
      node: values['es-url'] ?? env['TRIBUTARY_ES_URL'] ?? 'http://127.0.0.1:9200',
      auth,
      tls: ca === undefined ? undefined : { ca },
      index,
      indexDateField,
      action: dataStream ? 'create' : undefined,
      template,
      flushDocs: int('flush-docs', values['flush-docs']),
      flushBytes: int('flush-bytes', values['flush-bytes']),
      flushIntervalMs: int('flush-interval-ms', values['flush-interval-ms']),
      concurrency: int('concurrency', values.concurrency),
      adaptiveConcurrency: values['adaptive-concurrency'],
      maxConcurrency:
        values['adaptive-concurrency'] === true
          ? Math.max(8, int('concurrency', values.concurrency) ?? 2)
          : undefined,
      retryDeadlineMs: int('retry-deadline-ms', values['retry-deadline-ms']),
    }),
  });
  const metricsPort = int('metrics-port', values['metrics-port'] ?? env['TRIBUTARY_METRICS_PORT']);
  if (metricsPort !== undefined && metricsPort > 65_535)
    throw invalidOption('--metrics-port', `must be a port from 0 to 65535 (got ${metricsPort})`);
  const metricsHost = values['metrics-host'] ?? env['TRIBUTARY_METRICS_HOST'] ?? '127.0.0.1';
  if (metricsHost === '') throw invalidOption('--metrics-host', 'must not be empty');
  const logLevel = values['log-level'] ?? env['TRIBUTARY_LOG_LEVEL'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    throw invalidOption(
      '--log-level',
      `must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(logLevel)})`,
    );
  return {
    help: false,
    statsIntervalMs: int('stats-interval-ms', values['stats-interval-ms']) ?? 10_000,
    metricsPort,
    metricsHost,
    logLevel: logLevel as LogLevel,
    connector,
  };
}
