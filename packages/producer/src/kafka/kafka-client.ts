import {
  createKafkaClient,
  ExplicitFirstPartitioner,
  kafkaSecurity,
  kafkaSecurityFailure,
} from '@tributary/kafka';
import type { KafkaError } from '@tributary/kafka';
import type { Admin, Kafka, KafkaLogWriter, Producer } from '@tributary/kafka';
import { ProducerError, ProducerErrorCodes, wrapKafkaError } from '../errors.js';
import type { ProducerErrorCode } from '../errors.js';
import type { KafkaConnectionOptions } from './connection-options.js';

/**
 * A kafkajs client with our settings: bounded retries; quiet logs (errors come back as ProducerError) unless a
 * `log` is given, which then receives kafkajs' lines at info and up (at debug while `quiet()`). TLS and SASL files are
 * read here: a missing or contradictory setting throws TRIB_KAFKA_INVALID_OPTION naming the option.
 */
export async function createKafka(
  o: KafkaConnectionOptions,
  log?: KafkaLogWriter,
  quiet?: () => boolean,
): Promise<Kafka> {
  return createKafkaClient({
    ...(await kafkaSecurity(o)),
    clientId: o.clientId,
    brokers: o.brokers,
    connectionTimeoutMs: o.connectionTimeoutMs,
    requestTimeoutMs: o.requestTimeoutMs,
    retry: { retries: o.retries, initialRetryTime: 100, maxRetryTime: 2_000 },
    log,
    quiet,
  });
}

/**
 * A failure to connect, as the producer reports it: TRIB_KAFKA_INVALID_OPTION naming the `--kafka-*` options when the
 * brokers refused the SASL credentials or their certificate failed verification (a setting to fix, which waiting does
 * not cure), else a ProducerError with `code` and `message` (retriable when the cause is).
 */
export function connectFailure(
  code: ProducerErrorCode,
  message: string,
  error: unknown,
): ProducerError | KafkaError {
  if (error instanceof ProducerError) return error;
  return kafkaSecurityFailure(error) ?? wrapKafkaError(code, message, error);
}

/**
 * The throughput-tuned idempotent producer: acks=all is implied by idempotence, one request in flight per broker
 * (kafkajs requires it for idempotence), explicit partitions (the Java-compatible murmur2 partitioner otherwise,
 * see ExplicitFirstPartitioner).
 */
export function createIdempotentProducer(kafka: Kafka, o: KafkaConnectionOptions): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: ExplicitFirstPartitioner,
    retry: { retries: Math.max(o.retries, 1), initialRetryTime: 100, maxRetryTime: 2_000 },
  });
}

export async function connectProducer(producer: Producer, brokers: readonly string[]): Promise<void> {
  try {
    await producer.connect();
  } catch (err) {
    throw connectFailure(
      ProducerErrorCodes.CONNECT_FAILED,
      `cannot connect to Kafka at ${brokers.join(',')}`,
      err,
    );
  }
}

/**
 * Makes sure the topic exists and returns its partition count. Creates it (partitions, replication factor,
 * retention) when missing and allowed; fails when `partitions` is set and the topic has another count.
 */
export async function ensureTopic(
  admin: Admin,
  o: KafkaConnectionOptions,
  defaultPartitions = 4,
): Promise<number> {
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(o.topic)) {
      if (!o.createTopic) {
        throw new ProducerError(
          ProducerErrorCodes.TOPIC_SETUP_FAILED,
          `topic ${o.topic} does not exist and createTopic is false`,
        );
      }
      const configEntries =
        o.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(o.retentionMs) }];
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic: o.topic,
              numPartitions: o.partitions ?? defaultPartitions,
              replicationFactor: o.replicationFactor,
              configEntries,
            },
          ],
        });
      } catch (err) {
        // kafkajs' wait for the leaders gives up on a busy broker's "unknown topic": partitionCount waits longer.
        if (!isRetriable(err)) throw err;
      }
    }
    const count = await partitionCount(admin, o.topic);
    if (o.partitions !== undefined && count !== o.partitions) {
      throw new ProducerError(
        ProducerErrorCodes.TOPIC_MISMATCH,
        `topic ${o.topic} has ${count} partitions but partitions is ${o.partitions}: use ${count} or another topic`,
      );
    }
    return count;
  } catch (err) {
    if (err instanceof ProducerError) throw err;
    throw wrapKafkaError(ProducerErrorCodes.TOPIC_SETUP_FAILED, `cannot set up topic ${o.topic}`, err);
  }
}

async function partitionCount(admin: Admin, topic: string): Promise<number> {
  // Metadata can lag just after creation (a busy broker may even answer "unknown topic" for a moment): retry
  // briefly until every partition has a leader.
  for (let attempt = 0; ; attempt++) {
    let partitions: { leader: number }[];
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      partitions = meta.topics[0]?.partitions ?? [];
    } catch (err) {
      if (attempt >= 50 || !isRetriable(err)) throw err;
      partitions = [];
    }
    if (partitions.length > 0 && partitions.every((p) => p.leader >= 0)) return partitions.length;
    if (attempt >= 50) {
      if (partitions.length === 0) {
        throw new ProducerError(
          ProducerErrorCodes.TOPIC_SETUP_FAILED,
          `topic ${topic} has no partitions in the metadata`,
        );
      }
      return partitions.length;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Each partition's end offset (high watermark) now: where our next record of it will land. Retries briefly while
 * the broker is still taking up leadership of a new topic's partitions ("not the leader").
 */
export async function endOffsets(admin: Admin, topic: string, partitions: number): Promise<number[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      const offsets = new Array<number>(partitions).fill(0);
      for (const p of await admin.fetchTopicOffsets(topic)) offsets[p.partition] = Number(p.high);
      return offsets;
    } catch (err) {
      if (attempt >= 50 || !isRetriable(err)) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function isRetriable(err: unknown): boolean {
  return (err as { retriable?: unknown } | null)?.retriable === true;
}
