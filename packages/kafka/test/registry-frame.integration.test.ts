import { randomUUID } from 'node:crypto';
import {
  decodeAndValidateClickstreamProjection,
  decodeRegistryFrame,
  encodeClickstreamEvent,
  encodeRegistryFrame,
  type ClickstreamProjection,
  type ValidationResult,
} from '@tributary/schema';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaClient } from '../src/kafka-client.js';

/**
 * Schema-registry framed clickstream events through a real Kafka broker: what the producer writes, the processor
 * reads back through kafkajs Buffers (views into larger fetch buffers), projection-decodes and validates, and the
 * failures carry code and reason as Kafka headers to a dead-letter topic.
 */
const suffix = randomUUID().slice(0, 8);
const topic = `schema-it-events-${suffix}`;
const deadLetterTopic = `schema-it-dlq-${suffix}`;
const SCHEMA_ID = 7;
const NOW = Date.now();

const kafka = createKafkaClient({ clientId: `schema-it-${suffix}`, brokers: inject('kafkaBrokers') });
let admin: Admin;
let producer: Producer;
const consumers: Consumer[] = [];
const groups: string[] = [];

interface Received {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

async function readAll(name: string, expected: number): Promise<Received[]> {
  const groupId = `schema-it-${name}-${suffix}`;
  groups.push(groupId);
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: name, fromBeginning: true });
  const received: Received[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
          received.push({ key: String(message.key), value: message.value!, headers });
          if (received.length === expected) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return received;
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 1, replicationFactor: 1 },
      { topic: deadLetterTopic, numPartitions: 1, replicationFactor: 1 },
    ],
    waitForLeaders: true,
  });
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
});

afterAll(async () => {
  for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
  await producer?.disconnect();
  await admin?.deleteTopics({ topics: [topic, deadLetterTopic] }).catch(() => undefined);
  await admin?.deleteGroups(groups).catch(() => undefined);
  await admin?.disconnect();
});

describe('registry-framed clickstream events through Kafka', () => {
  it('decode and validate after a broker round trip; poison records get code and reason headers', async () => {
    const valid = Array.from({ length: 40 }, (_, i) => ({
      userId: `user_${i}`,
      pageUrl: `/page/${i % 5}/é`,
      timestamp: NOW - i * 1000,
      eventType: i % 3 === 0 ? 'CLICK' : 'VIEW',
      eventId: `evt-${i}`,
      userAgent: 'Mozilla/5.0 '.repeat(5),
    }));
    const poison: Record<string, Uint8Array> = {
      json: encodeRegistryFrame(SCHEMA_ID, new TextEncoder().encode('{"page_url":"/x"}')),
      'no-page-url': encodeRegistryFrame(
        SCHEMA_ID,
        encodeClickstreamEvent({ userId: 'u', timestamp: NOW, eventType: 'CLICK' }),
      ),
      future: encodeRegistryFrame(
        SCHEMA_ID,
        encodeClickstreamEvent({
          userId: 'u',
          pageUrl: '/p',
          timestamp: NOW + 86_400_000,
          eventType: 'VIEW',
        }),
      ),
    };
    await producer.send({
      topic,
      messages: [
        ...valid.map((e) => ({
          key: e.eventId,
          value: Buffer.from(encodeRegistryFrame(SCHEMA_ID, encodeClickstreamEvent(e))),
        })),
        ...Object.entries(poison).map(([key, value]) => ({ key, value: Buffer.from(value) })),
      ],
    });

    const records = await readAll(topic, valid.length + Object.keys(poison).length);
    const results = new Map<string, ValidationResult<ClickstreamProjection>>();
    const deadLetters = [];
    for (const record of records) {
      const frame = decodeRegistryFrame(record.value);
      expect(frame).toMatchObject({ schemaId: SCHEMA_ID, messageIndexes: [0] });
      const result = decodeAndValidateClickstreamProjection(frame.payload, { nowMs: NOW });
      results.set(record.key, result);
      if (!result.ok) {
        deadLetters.push({
          key: record.key,
          value: record.value,
          headers: {
            'tributary-error-code': result.error.code,
            'tributary-error-reason': result.error.reason,
          },
        });
      }
    }
    for (const e of valid) {
      expect(results.get(e.eventId)).toEqual({
        ok: true,
        event: {
          userId: e.userId,
          pageUrl: e.pageUrl,
          timestamp: e.timestamp,
          eventType: e.eventType,
          eventId: e.eventId,
        },
      });
    }
    expect(deadLetters.map((d) => d.key).sort()).toEqual(Object.keys(poison).sort());

    await producer.send({ topic: deadLetterTopic, messages: deadLetters });
    const dead = await readAll(deadLetterTopic, deadLetters.length);
    const byKey = Object.fromEntries(dead.map((d) => [d.key, d]));
    expect(byKey['json']!.headers['tributary-error-code']).toBe('TRIB_SCHEMA_DECODE_FAILED');
    expect(byKey['no-page-url']!.headers).toMatchObject({
      'tributary-error-code': 'TRIB_SCHEMA_MISSING_FIELD',
      'tributary-error-reason': 'page_url is missing or empty',
    });
    expect(byKey['future']!.headers['tributary-error-code']).toBe('TRIB_SCHEMA_TIMESTAMP_OUT_OF_RANGE');
    expect(byKey['future']!.headers['tributary-error-reason']).toContain('in the future');
    // the dead letter keeps the original bytes
    expect(Buffer.compare(byKey['json']!.value, Buffer.from(poison['json']!))).toBe(0);
  });
});
