import { pinoKafkaLogCreator } from '@tributary/es-sink';
import type { Logger } from '@tributary/es-sink';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import type { LogLevel } from '../config/stream-job-options.js';
import { registerKafkaCodecs } from './kafka-compression.js';

const LEVELS: Readonly<Record<LogLevel, KafkaLogLevel>> = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

/**
 * One kafkajs client per job; producers, consumers and the admin are created from it. With `logger`, kafkajs'
 * own lines go through it (at `logLevel`) instead of kafkajs' console logger.
 */
export function createKafkaClient(
  brokers: readonly string[],
  clientId: string,
  logLevel: LogLevel,
  logger?: Logger,
): Kafka {
  registerKafkaCodecs();
  return new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: LEVELS[logLevel],
    ...(logger === undefined ? {} : { logCreator: pinoKafkaLogCreator(logger) }),
    retry: { initialRetryTime: 100, retries: 8 },
  });
}
