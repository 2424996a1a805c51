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

/** One kafkajs client per job; producers, consumers and the admin are created from it. */
export function createKafkaClient(brokers: readonly string[], clientId: string, logLevel: LogLevel): Kafka {
  registerKafkaCodecs();
  return new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: LEVELS[logLevel],
    retry: { initialRetryTime: 100, retries: 8 },
  });
}
