import { loggerLogWriter } from '@tributary/kafka';
import type { Message } from '@tributary/kafka';
import { ProducerError, ProducerErrorCodes, wrapKafkaError } from '../errors.js';
import { resolveCompression } from '../kafka/compression.js';
import { createIdempotentProducer, createKafka, ensureTopic } from '../kafka/kafka-client.js';
import type { KafkaConnectionOptions } from '../kafka/connection-options.js';
import type { GatewayLogger } from './gateway-logger.js';

/** A connected producer, as the gateway uses it. */
export interface GatewayProducer {
  /** Writes the records (acks=all); rejects with a ProducerError (RECORD_TOO_LARGE, or SEND_FAILED). */
  send(messages: Message[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** The gateway's way to Kafka: one connection attempt per call (the topic ensured), rejecting while unreachable. */
export interface GatewayKafka {
  connect(): Promise<GatewayProducer>;
}

/**
 * Makes the gateway's GatewayKafka (reading the Kafka TLS/SASL settings: a bad one rejects). `quiet()` is true while
 * the gateway is (re)connecting. Unit tests pass a fake in its place.
 */
export type GatewayKafkaFactory = (
  o: KafkaConnectionOptions,
  log: GatewayLogger | undefined,
  quiet: () => boolean,
) => Promise<GatewayKafka>;

/** Per-record overhead of Kafka's v2 record format, at most (length, attributes, deltas, varints). */
const RECORD_OVERHEAD_BYTES = 64;

/** The size Kafka counts for a record, rounded up: key, value, header names and values, and the framing. */
export function recordBytes(message: Message): number {
  let size = RECORD_OVERHEAD_BYTES + byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {}))
    size +=
      Buffer.byteLength(name) +
      8 +
      (Array.isArray(value) ? value.reduce((n, v) => n + byteLength(v), 0) : byteLength(value));
  return size;
}

function byteLength(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') return Buffer.byteLength(value);
  return (value as Uint8Array).byteLength;
}

const TOO_LARGE_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
const TOO_LARGE_MESSAGE = /larger than the max message size|message batch larger than/i;

/** Whether a send failed because the broker refused a record or batch as too large (kafkajs error, or its cause). */
export function isRecordTooLarge(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 6 && typeof e === 'object' && e !== null; depth++) {
    const { type, message, cause, originalError } = e as Record<string, unknown>;
    if ((typeof type === 'string' && TOO_LARGE_TYPES.has(type)) || TOO_LARGE_MESSAGE.test(String(message)))
      return true;
    e = cause ?? originalError;
  }
  return false;
}

/** The producer's send error as the gateway answers it: RECORD_TOO_LARGE (413), else SEND_FAILED (503 or 500). */
export function sendError(error: unknown): ProducerError {
  if (isRecordTooLarge(error))
    return new ProducerError(
      ProducerErrorCodes.RECORD_TOO_LARGE,
      'Kafka refused the records as too large for the topic (max.message.bytes): send fewer or smaller events',
      { cause: error },
    );
  return wrapKafkaError(ProducerErrorCodes.SEND_FAILED, 'Kafka rejected the events', error);
}

/**
 * The gateway's kafkajs client: the producer package's settings (createKafka), plus kafkajs' lines at info and up
 * through `log` when there is one — at debug while `quiet()` (the gateway is (re)connecting and reports that
 * itself: the first failure at warn, the retries at debug), so a broker outage does not flood the error log.
 */
export const createGatewayKafka: GatewayKafkaFactory = async (o, log, quiet) => {
  const kafka = await createKafka(o, log === undefined ? undefined : loggerLogWriter(log), quiet);
  const compression = resolveCompression(o.compression);
  return {
    async connect() {
      const admin = kafka.admin();
      const producer = createIdempotentProducer(kafka, o);
      try {
        await admin.connect();
        await ensureTopic(admin, o);
        await producer.connect();
      } catch (err) {
        await producer.disconnect().catch(() => undefined);
        throw err;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      return {
        async send(messages) {
          try {
            await producer.send({ topic: o.topic, messages, acks: -1, compression });
          } catch (err) {
            throw sendError(err);
          }
        },
        disconnect: () => producer.disconnect(),
      };
    },
  };
};
