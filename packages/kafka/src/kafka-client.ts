/**
 * The one factory of kafkajs clients: every producer, consumer and admin in Tributary comes from a client made here,
 * so every one runs on the fixed kafkajs (`loadKafkajs`), reads LZ4, and logs through the application's logger.
 */
import type { Kafka, KafkaConfig, RetryOptions } from 'kafkajs';
import { registerLz4Codec } from './codecs.js';
import {
  KAFKA_LOG_LEVELS,
  kafkaLogCreator,
  type KafkaLogLevelName,
  type KafkaLogWriter,
} from './kafka-log.js';
import { loadKafkajs } from './kafkajs/kafkajs-module.js';
import type { Lz4Implementation } from './lz4/lz4-codec.js';

/** What a client connects to and how it behaves. */
export interface KafkaClientOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: readonly string[];
  clientId: string;
  /**
   * Where kafkajs' own lines go (`loggerLogWriter(pinoLogger)` or any writer), credentials removed; without it,
   * kafkajs' console logger at `logLevel`.
   */
  log?: KafkaLogWriter | undefined;
  /** While it returns true, kafkajs' lines are written at debug (see `kafkaLogCreator`). */
  quiet?: (() => boolean) | undefined;
  /**
   * The lowest level of kafkajs' lines that are written.
   * @defaultValue `'info'` with a `log`, `'nothing'` without
   */
  logLevel?: KafkaLogLevelName | undefined;
  /** TLS to the brokers (kafkajs' `ssl`: `true`, or `tls.connect` options). */
  ssl?: KafkaConfig['ssl'] | undefined;
  /** SASL authentication (kafkajs' `sasl`). */
  sasl?: KafkaConfig['sasl'] | undefined;
  /** @defaultValue kafkajs' (1 000 ms) */
  connectionTimeoutMs?: number | undefined;
  /** @defaultValue kafkajs' (30 000 ms) */
  requestTimeoutMs?: number | undefined;
  /** @defaultValue `{ initialRetryTime: 100, retries: 8 }` */
  retry?: RetryOptions | undefined;
  /**
   * The LZ4 codec registered for every client (process-wide): the native lz4-napi when it loads, or the pure-JS one.
   * @defaultValue the one registered last (`registerLz4Codec`), `'native'` when none was
   */
  lz4?: Lz4Implementation | undefined;
}

/** The retries of a client without `retry`. */
export const DEFAULT_KAFKA_RETRY: Readonly<RetryOptions> = Object.freeze({
  initialRetryTime: 100,
  retries: 8,
});

/**
 * A kafkajs client on the fixed kafkajs 2.2.4, with the LZ4 codec registered. Throws `TRIB_KAFKA_KAFKAJS_NOT_FIXABLE`
 * when the fixes cannot be put in place (see `loadKafkajs`).
 */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const kafkajs = loadKafkajs();
  registerLz4Codec(options.lz4);
  const level = options.logLevel ?? (options.log === undefined ? 'nothing' : 'info');
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: KAFKA_LOG_LEVELS[level],
    retry: options.retry ?? { ...DEFAULT_KAFKA_RETRY },
  };
  if (options.log !== undefined) config.logCreator = kafkaLogCreator(options.log, { quiet: options.quiet });
  if (options.ssl !== undefined) config.ssl = options.ssl;
  if (options.sasl !== undefined) config.sasl = options.sasl;
  if (options.connectionTimeoutMs !== undefined) config.connectionTimeout = options.connectionTimeoutMs;
  if (options.requestTimeoutMs !== undefined) config.requestTimeout = options.requestTimeoutMs;
  return new kafkajs.Kafka(config);
}
