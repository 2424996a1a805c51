import { randomBytes } from 'node:crypto';

export interface KafkaConfigInput {
  port: number;
  controllerPort: number;
  /** Kafka `log.dirs` (the partition data). */
  logDir: string;
  autoCreateTopics: boolean;
  /** Entries that override the generated ones. */
  overrides?: Readonly<Record<string, string>>;
}

/**
 * `server.properties` of a single-node KRaft Kafka on loopback: broker and controller in one process, internal
 * topics with replication factor 1 (so transactions work on one node) and few partitions (a light start).
 */
export function kafkaServerProperties(input: KafkaConfigInput): string {
  const properties: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${input.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${input.port},CONTROLLER://127.0.0.1:${input.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${input.port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': input.logDir,
    'num.partitions': '1',
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '10',
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': String(input.autoCreateTopics),
    'delete.topic.enable': 'true',
    ...input.overrides,
  };
  return `${Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeValue(value)}`)
    .join('\n')}\n`;
}

/** Escapes a value for the Java properties format (backslashes, leading spaces, line breaks). */
function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/^ /, '\\ ');
}

/** log4j 1 configuration sending everything at INFO to one file (Kafka 3.9 logs through reload4j). */
export function kafkaLog4jProperties(logFile: string): string {
  return [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${escapeValue(logFile)}`,
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka=INFO',
    'log4j.logger.org.apache.kafka=INFO',
    'log4j.logger.state.change.logger=WARN',
    'log4j.logger.kafka.request.logger=WARN',
    '',
  ].join('\n');
}

/**
 * A random KRaft cluster id, as `kafka-storage.sh random-uuid` prints it: 16 random bytes in URL-safe base64
 * without padding, never starting with '-' and never the all-zero id. Saves one JVM start.
 */
export function randomClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const bytes = random(16);
    const id = bytes.toString('base64url');
    if (!id.startsWith('-') && bytes.some((b) => b !== 0)) return id;
  }
}
