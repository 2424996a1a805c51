import type { KafkaConfig } from '@tributary/kafka';
import type { Registry } from 'prom-client';
import { invalidOption } from '../errors.js';
import type { BulkSinkOptions } from '../options.js';
import {
  RECORD_FORMAT_VALUES,
  VERSION_SOURCE_VALUES,
  type RecordFormat,
  type RecordMapper,
  type VersionSource,
} from './record-mapper.js';
import type { OffsetToken } from './offset-tracker.js';

/** What the connector hands the sink with each document (back in onAck / onDeadLetter). */
export interface RecordContext {
  token: OffsetToken;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, unknown> | undefined;
}

/** Defaults of the connector options. */
export const CONNECTOR_DEFAULTS = {
  /** @defaultValue 'tributary-es-sink' */
  clientId: 'tributary-es-sink',
  /**
   * A new consumer group starts at the earliest offset so no record is skipped.
   * @defaultValue true
   */
  fromBeginning: true,
  /** @defaultValue 'window-result' */
  format: 'window-result' as RecordFormat,
  /** @defaultValue 'offset' */
  versionFrom: 'offset' as VersionSource,
  /**
   * Pause fetching when this many records are delivered but not acknowledged (Kafka Connect: 10 × batch).
   * @defaultValue 5000
   */
  highWaterMark: 5000,
  /**
   * Resume fetching once unacknowledged records fall to this many (Kafka Connect: 5 × batch).
   * @defaultValue 2500
   */
  lowWaterMark: 2500,
  /**
   * How often the highest contiguous acknowledged offsets are committed.
   * @defaultValue 1000
   */
  commitIntervalMs: 1000,
  /**
   * How often Elasticsearch is pinged for the readiness state (`health()`).
   * @defaultValue 5000
   */
  healthCheckIntervalMs: 5000,
  /**
   * Consumer group session timeout: how soon the partitions of a crashed connector are taken over by another.
   * @defaultValue 30000
   */
  sessionTimeoutMs: 30_000,
  /**
   * Replication factor of the dead-letter topic when the connector creates it (1 partition; Kafka Connect creates
   * its DLQ the same way). Raise it on a multi-broker cluster.
   * @defaultValue 1
   */
  deadLetterReplicationFactor: 1,
  /**
   * How long `stop()` waits for outstanding documents (and dead letters) to complete before it gives up on them:
   * they stay unacknowledged, so they come again after a restart (Kafka Connect: task.shutdown.graceful.timeout.ms).
   * @defaultValue 10000
   */
  shutdownTimeoutMs: 10_000,
} as const;

/** Suffix of the default dead-letter topic: `<topic>-dlq`. */
export const DEAD_LETTER_TOPIC_SUFFIX = '-dlq';

/** The dead-letter topic a connector of `topic` uses when none is configured: `<topic>-dlq`. */
export function defaultDeadLetterTopic(topic: string): string {
  return `${topic}${DEAD_LETTER_TOPIC_SUFFIX}`;
}

/** Kafka's legal topic names (what the connector may create). */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

export type ConnectorLogger = (
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

export interface KafkaEsConnectorOptions {
  brokers: string[];
  topic: string;
  groupId: string;
  clientId?: string;
  fromBeginning?: boolean;
  /** TLS and SASL passed to kafkajs. */
  ssl?: KafkaConfig['ssl'];
  sasl?: KafkaConfig['sasl'];
  format?: RecordFormat;
  /** JSON: dotted path of the id field (default: `<partition>-<offset>`). */
  idField?: string;
  /** JSON: where the external version comes from. */
  versionFrom?: VersionSource;
  /** JSON: dotted path of the version field when versionFrom is `field`. */
  versionField?: string;
  /** Copy this (dotted) document field into `@timestamp`, e.g. `window_start` when writing to a data stream. */
  timestampFrom?: string;
  /** A custom mapper instead of `format`. */
  mapper?: RecordMapper;
  /**
   * Topic receiving the records that cannot be indexed (mapping errors, an `_id` over 512 bytes, undecodable
   * records, an opt-in retry deadline), with reason headers; created when missing (1 partition,
   * `deadLetterReplicationFactor`). A record is acknowledged only once its dead letter is written.
   * `false`: no dead-letter topic — such a record fails the connector (`failure`, TRIB_SINK_RECORD_FAILED) and is
   * never acknowledged, like Kafka Connect's `errors.tolerance=none`.
   * @defaultValue `<topic>-dlq`
   */
  deadLetterTopic?: string | false;
  /** Replication factor of the dead-letter topic when the connector creates it. */
  deadLetterReplicationFactor?: number;
  highWaterMark?: number;
  lowWaterMark?: number;
  commitIntervalMs?: number;
  healthCheckIntervalMs?: number;
  /** Consumer group session timeout (6000–300000 ms). */
  sessionTimeoutMs?: number;
  /** How long `stop()` waits for outstanding documents before leaving them unacknowledged. */
  shutdownTimeoutMs?: number;
  /**
   * prom-client Registry for the `tributary_es_sink_*` metrics of the connector and its sink (`paused_partitions`,
   * dead letters of unmappable records, and every sink metric). Overrides `sink.registry`.
   */
  registry?: Registry;
  /** Options of the underlying BulkSink (node, auth, tls, index, template, batching, retries…). */
  sink: Omit<
    BulkSinkOptions<Record<string, unknown>, RecordContext>,
    'onAck' | 'onDeadLetter' | 'idKey' | 'versionKey'
  >;
  logger?: ConnectorLogger;
}

export type ResolvedConnectorOptions = Omit<KafkaEsConnectorOptions, 'deadLetterTopic'> & {
  /** The dead-letter topic, or false for none. */
  deadLetterTopic: string | false;
  deadLetterReplicationFactor: number;
  shutdownTimeoutMs: number;
  clientId: string;
  fromBeginning: boolean;
  format: RecordFormat;
  versionFrom: VersionSource;
  highWaterMark: number;
  lowWaterMark: number;
  commitIntervalMs: number;
  healthCheckIntervalMs: number;
  sessionTimeoutMs: number;
};

/** Validates the connector's own options (the sink validates its own); names the option on failure. */
export function resolveConnectorOptions(options: KafkaEsConnectorOptions): ResolvedConnectorOptions {
  const o = {
    ...CONNECTOR_DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as ResolvedConnectorOptions;
  if (
    !Array.isArray(o.brokers) ||
    o.brokers.length === 0 ||
    o.brokers.some((b) => typeof b !== 'string' || !/^[^:\s]+:\d+$/.test(b))
  ) {
    throw invalidOption('brokers', 'must be a non-empty list of host:port (e.g. 127.0.0.1:9092)');
  }
  if (typeof o.topic !== 'string' || o.topic === '') throw invalidOption('topic', 'is required');
  if (typeof o.groupId !== 'string' || o.groupId === '') throw invalidOption('groupId', 'is required');
  if (!RECORD_FORMAT_VALUES.includes(o.format))
    throw invalidOption('format', `must be one of ${RECORD_FORMAT_VALUES.join(', ')}`);
  if (!VERSION_SOURCE_VALUES.includes(o.versionFrom))
    throw invalidOption('versionFrom', `must be one of ${VERSION_SOURCE_VALUES.join(', ')}`);
  if (o.versionFrom === 'field' && (o.versionField === undefined || o.versionField === '')) {
    throw invalidOption('versionField', 'is required when versionFrom is field');
  }
  for (const key of [
    'highWaterMark',
    'lowWaterMark',
    'commitIntervalMs',
    'healthCheckIntervalMs',
    'deadLetterReplicationFactor',
    'shutdownTimeoutMs',
  ] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1)
      throw invalidOption(key, `must be a positive integer (got ${String(o[key])})`);
  }
  if (!Number.isInteger(o.sessionTimeoutMs) || o.sessionTimeoutMs < 6_000 || o.sessionTimeoutMs > 300_000)
    throw invalidOption(
      'sessionTimeoutMs',
      `must be an integer in 6000–300000 (got ${String(o.sessionTimeoutMs)})`,
    );
  if (o.lowWaterMark >= o.highWaterMark) throw invalidOption('lowWaterMark', 'must be below highWaterMark');
  if ((o.deadLetterTopic as unknown) === undefined) o.deadLetterTopic = defaultDeadLetterTopic(o.topic);
  if (
    o.deadLetterTopic !== false &&
    (typeof o.deadLetterTopic !== 'string' ||
      !TOPIC_NAME.test(o.deadLetterTopic) ||
      o.deadLetterTopic === o.topic)
  ) {
    throw invalidOption(
      'deadLetterTopic',
      `must be a Kafka topic name (letters, digits, . _ -) different from topic, or false for none (got ${JSON.stringify(o.deadLetterTopic)})`,
    );
  }
  if (typeof o.sink !== 'object' || o.sink === null)
    throw invalidOption('sink', 'is required (at least node and index)');
  if (
    o.registry !== undefined &&
    (typeof o.registry !== 'object' ||
      o.registry === null ||
      typeof (o.registry as { registerMetric?: unknown }).registerMetric !== 'function')
  ) {
    throw invalidOption('registry', 'must be a prom-client Registry');
  }
  if (o.logger !== undefined && typeof o.logger !== 'function')
    throw invalidOption('logger', 'must be a function');
  return o;
}
