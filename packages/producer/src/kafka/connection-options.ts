import { KAFKA_SECURITY_OPTION_SPECS } from '@tributary/kafka';
import { option, z } from '@tributary/options';
import type { OptionValues } from '@tributary/options';
import { durationOption, flagged } from '../option-kinds.js';
import { Compressions } from './compression.js';

/**
 * Connection settings shared by the load runner and the ingest gateway, which differ only in these defaults
 * (the gateway answers HTTP requests: fewer retries, shorter timeouts).
 */
export function kafkaConnectionSpecs(defaults: {
  clientId: string;
  retries: number;
  requestTimeoutMs: number;
}) {
  return {
    /** Bootstrap brokers, host:port. */
    brokers: option(
      z
        .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must look like host:port'))
        .min(1)
        .default(['127.0.0.1:9092']),
      'bootstrap brokers, comma-separated host:port',
    ),
    /** Kafka client id. */
    clientId: option(z.string().min(1).default(defaults.clientId), 'Kafka client id'),
    /** Target topic. */
    topic: option(
      z
        .string()
        .regex(/^[a-zA-Z0-9._-]{1,249}$/, 'must be 1-249 characters of a-z A-Z 0-9 . _ -')
        .default('clickstream-events'),
      'topic',
    ),
    /** Compression codec: none, gzip, lz4 (snappy/zstd need a codec package). */
    compression: option(
      z.enum(Compressions).default('lz4'),
      'record compression; snappy and zstd need a codec package',
    ),
    /** Retries of a failed request by kafkajs before the send fails. */
    retries: option(z.int().min(0).max(100).default(defaults.retries), 'kafkajs retries per request'),
    /** Time to wait for a produce response (ms). */
    requestTimeoutMs: durationOption(
      z.int().min(1).default(defaults.requestTimeoutMs),
      'produce request timeout',
      flagged('request-timeout'),
    ),
    /** Time to wait for a TCP connection to a broker (ms). */
    connectionTimeoutMs: durationOption(
      z.int().min(1).default(3_000),
      'broker connection timeout',
      flagged('connection-timeout'),
    ),
    /** Create the topic when missing. */
    createTopic: option(z.boolean().default(true), 'create a missing topic'),
    /** Partitions when creating the topic; when set and the topic exists with another count, the run fails. */
    partitions: option(z.int().min(1).max(100_000).optional(), 'partitions; must match if the topic exists', {
      defaultText: '4 when creating the topic',
    }),
    /** Replication factor when creating the topic. */
    replicationFactor: option(
      z.int().min(1).max(100).default(1),
      'replication factor when creating the topic',
    ),
    /** retention.ms when creating the topic (broker default when unset). */
    retentionMs: durationOption(z.int().min(-1).optional(), 'retention.ms when creating the topic, e.g. 1h', {
      ...flagged('retention'),
      defaultText: "the broker's",
    }),
    /** TLS and SASL (`--kafka-tls`, `--kafka-sasl-mechanism`, …), read when the run or the gateway starts. */
    ...KAFKA_SECURITY_OPTION_SPECS,
  };
}

export type KafkaConnectionOptions = OptionValues<ReturnType<typeof kafkaConnectionSpecs>>;
