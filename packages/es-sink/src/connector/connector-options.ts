import { KAFKA_CLIENT_SECURITY_OPTION_SPECS } from '@tributary/kafka';
import { defineOptions, option, z, type OptionInput, type OptionValues } from '@tributary/options';
import { invalidOption } from '../errors.js';
import { compileIndexPattern } from '../index-management/index-name.js';
import { CODE_ONLY, PROM_REGISTRY, SINK_OPTIONS, fn, type BulkSinkOptions } from '../options.js';
import { RECORD_FORMATS, VERSION_SOURCES, type RecordMapper } from './record-mapper.js';
import type { OffsetToken } from './offset-tracker.js';

/** What the connector hands the sink with each document (back in onAck / onDeadLetter). */
export interface RecordContext {
  token: OffsetToken;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, unknown> | undefined;
}

export type ConnectorLogger = (
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

/** The sink's options as the connector takes them: the connector supplies the per-document callbacks. */
export type ConnectorSinkOptions = Omit<
  BulkSinkOptions<Record<string, unknown>, RecordContext>,
  'onAck' | 'onDeadLetter' | 'idKey' | 'versionKey'
>;

/** The dead-letter topic a connector of `topic` uses when none is configured: `<topic>-dlq`. */
export function defaultDeadLetterTopic(topic: string): string {
  return `${topic}-dlq`;
}

/** Kafka's legal topic names (what the connector may create). */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const TOPIC_OR_FALSE = 'must be a Kafka topic name (letters, digits, . _ -), or false for none';

/** "is required" when the option is missing, the schema's own message otherwise. */
const REQUIRED = {
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : undefined),
};

/**
 * The connector's settings: how it consumes, maps, dead-letters and commits (modelled on Kafka Connect). Every one is
 * also a flag of the `tributary-es-sink` CLI.
 */
export const CONNECTOR_SETTING_SPECS = {
  topic: option(z.string(REQUIRED).min(1), 'source topic', { placeholder: '<name>' }),
  clientId: option(z.string().min(1).default('tributary-es-sink'), 'Kafka client id'),
  /**
   * Send what a fetched batch buffered as soon as the batch is written (Kafka Connect's `linger.ms` 0): under load a
   * fetch holds many records, so requests stay large, and a burst (a window's results) is indexed at once. `false`:
   * only `flushDocs`, `flushBytes` and `flushIntervalMs` close a bulk request.
   */
  flushOnBatchEnd: option(
    z.boolean().default(true),
    'send the documents of each fetched batch when it is written (off: only the flush limits and interval)',
  ),
  /** Consumer group session timeout: how soon the partitions of a crashed connector are taken over by another. */
  sessionTimeoutMs: option(z.int().min(6000).max(300_000).default(30_000), 'consumer group session timeout'),
  format: option(
    z.enum(RECORD_FORMATS).default('window-result'),
    'record format: Protobuf WindowResult or JSON',
  ),
  /** JSON: dotted path of the id field (default: `<partition>-<offset>`). */
  idField: option(z.string().min(1).optional(), 'json: document id field', {
    placeholder: '<path>',
    defaultText: '<partition>-<offset>',
  }),
  /** JSON: where the external version comes from. */
  versionFrom: option(z.enum(VERSION_SOURCES).default('offset'), 'json: external version source'),
  /** JSON: dotted path of the version field when versionFrom is `field`. */
  versionField: option(z.string().min(1).optional(), 'json: version field when versionFrom is field', {
    placeholder: '<path>',
  }),
  /** Copy this (dotted) document field into `@timestamp`, e.g. `window_start` when writing to a data stream. */
  timestampFrom: option(z.string().min(1).optional(), 'copy this document field into @timestamp', {
    flag: 'timestamp-field',
    env: 'TRIBUTARY_TIMESTAMP_FIELD',
    placeholder: '<path>',
  }),
  /**
   * Topic receiving the records that cannot be indexed (mapping errors, an `_id` over 512 bytes, undecodable
   * records, an opt-in retry deadline), with reason headers; created when missing (1 partition,
   * `deadLetterReplicationFactor`). A record is acknowledged only once its dead letter is written.
   * `false`: no dead-letter topic — such a record fails the connector (`failure`, TRIB_SINK_RECORD_FAILED) and is
   * never acknowledged, like Kafka Connect's `errors.tolerance=none`.
   * @defaultValue `<topic>-dlq`
   */
  deadLetterTopic: option(
    z
      .union([z.string().regex(TOPIC_NAME, TOPIC_OR_FALSE), z.literal(false)], { error: TOPIC_OR_FALSE })
      .optional(),
    'topic for records that cannot be indexed (created when missing); --no-dead-letter-topic: none, they stop the connector',
    { placeholder: '<name>', defaultText: '<topic>-dlq' },
  ),
  /**
   * Replication factor of the dead-letter topic when the connector creates it (1 partition; Kafka Connect creates
   * its DLQ the same way). Raise it on a multi-broker cluster.
   */
  deadLetterReplicationFactor: option(z.int().min(1).default(1), 'of the dead-letter topic when created'),
  /** Pause fetching when this many records are delivered but not acknowledged (Kafka Connect: 10 × batch). */
  highWaterMark: option(z.int().min(1).default(5000), 'pause fetching at this many unacknowledged records'),
  /** Resume fetching once unacknowledged records fall to this many (Kafka Connect: 5 × batch). */
  lowWaterMark: option(z.int().min(1).default(2500), 'resume fetching at this many'),
  /** How often the highest contiguous acknowledged offsets are committed. */
  commitIntervalMs: option(z.int().min(1).default(1000), 'offset commit period'),
  /**
   * The Kafka consumer is restarted after every crash (kafkajs itself gives up after some, e.g. no group coordinator
   * while a restarted broker loads) until crashes in a row have lasted this long; then the connector fails.
   * Authentication and authorization errors fail at once.
   */
  restartTimeoutMs: option(
    z.int().min(0).max(86_400_000).default(300_000),
    'fail only after the Kafka consumer kept crashing this long (an outage shorter than it is ridden out)',
  ),
  /** How often Elasticsearch is pinged for the readiness state (`health()`). */
  healthCheckIntervalMs: option(z.int().min(1).default(5000), 'Elasticsearch readiness check period'),
  /**
   * How long `stop()` waits for outstanding documents (and dead letters) to complete before it gives up on them:
   * they stay unacknowledged, so they come again after a restart (Kafka Connect: task.shutdown.graceful.timeout.ms).
   */
  shutdownTimeoutMs: option(
    z.int().min(1).default(10_000),
    'on stop, wait this long for outstanding documents (the rest come again after a restart)',
  ),
};

/** Every option of a Kafka → Elasticsearch connector. */
export const CONNECTOR_OPTION_SPECS = {
  brokers: option(
    z.array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port (e.g. 127.0.0.1:9092)')).min(1),
    'Kafka bootstrap servers',
    { env: 'TRIBUTARY_KAFKA_BROKERS', placeholder: '<host:port,…>' },
  ),
  groupId: option(z.string(REQUIRED).min(1), 'consumer group', { placeholder: '<id>' }),
  /** A new consumer group starts at the earliest offset so no record is skipped. */
  fromBeginning: option(z.boolean().default(true), 'a new consumer group starts at the earliest offset'),
  ...CONNECTOR_SETTING_SPECS,
  /** kafkajs' `ssl` and `sasl` (what `kafkaSecurity` of @tributary/kafka makes of the `--kafka-*` options). */
  ...KAFKA_CLIENT_SECURITY_OPTION_SPECS,
  /** A custom mapper instead of `format`. */
  mapper: option(fn<RecordMapper>().optional(), 'custom record mapper', CODE_ONLY),
  /**
   * prom-client Registry for the `tributary_es_sink_*` metrics of the connector and its sink (`paused_partitions`,
   * dead letters of unmappable records, and every sink metric). Overrides `sink.registry`.
   */
  registry: option(PROM_REGISTRY.optional(), 'prom-client Registry for the metrics', CODE_ONLY),
  /** Options of the underlying BulkSink (node, auth, tls, index, template, batching, retries…). */
  sink: option(
    z.custom<ConnectorSinkOptions>(
      (v) => typeof v === 'object' && v !== null,
      'is required (at least node and index)',
    ),
    'options of the BulkSink',
    CODE_ONLY,
  ),
  /** Log lines; kafkajs' own lines at info and up come through it too. */
  logger: option(fn<ConnectorLogger>().optional(), 'log lines', CODE_ONLY),
};

type ConnectorSpecs = typeof CONNECTOR_OPTION_SPECS;

/** Rules across the connector's settings (the sink checks its own). */
export function checkConnectorSettings(
  o: OptionValues<typeof CONNECTOR_SETTING_SPECS>,
  fail: (key: keyof typeof CONNECTOR_SETTING_SPECS, message: string) => never,
): void {
  if (o.versionFrom === 'field' && o.versionField === undefined)
    fail('versionField', 'is required when versionFrom is field');
  if (o.lowWaterMark >= o.highWaterMark)
    fail('lowWaterMark', `must be below highWaterMark (${o.highWaterMark})`);
  if (o.deadLetterTopic === o.topic)
    fail('deadLetterTopic', `must differ from topic (both ${JSON.stringify(o.topic)})`);
}

/** The connector's options, validated once at construction: TRIB_SINK_INVALID_OPTION naming the option. */
export const CONNECTOR_OPTIONS = defineOptions(CONNECTOR_OPTION_SPECS, {
  component: 'createKafkaEsConnector',
  invalid: invalidOption,
  check: checkConnectorSettings,
});

/** Defaults of every connector option that has one. */
export const CONNECTOR_DEFAULTS = CONNECTOR_OPTIONS.defaults;

export type KafkaEsConnectorOptions = OptionInput<ConnectorSpecs> &
  Pick<OptionValues<ConnectorSpecs>, 'brokers' | 'topic' | 'groupId' | 'sink'>;

/** Validates the connector's own options (the sink validates its own); the dead-letter topic defaults to `<topic>-dlq`. */
export function resolveConnectorOptions(options: KafkaEsConnectorOptions) {
  const o = CONNECTOR_OPTIONS.resolve(options);
  return { ...o, deadLetterTopic: o.deadLetterTopic ?? defaultDeadLetterTopic(o.topic) };
}

export type ConnectorOptionValues = ReturnType<typeof resolveConnectorOptions>;

/**
 * Checks a connector's options and its sink's as `createKafkaEsConnector` does at construction — the same
 * `TRIB_SINK_INVALID_OPTION` naming the option — without creating a client or connecting: for a component that
 * creates its connector later (at start) and wants a bad option to fail when it is given.
 */
export function checkKafkaEsConnectorOptions(options: KafkaEsConnectorOptions): void {
  resolveConnectorOptions(options);
  const sink = SINK_OPTIONS.resolve(options.sink);
  if (typeof sink.index === 'string') compileIndexPattern(sink.index, sink.indexDateField);
}
