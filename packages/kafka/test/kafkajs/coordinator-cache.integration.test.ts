import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaClient } from '../../src/kafka-client.js';
import { COORDINATOR_LOOKUP_TTL_MS } from '../../src/kafkajs/coordinator-cache.js';
import { kafkajsPatches } from '../../src/kafkajs/kafkajs-module.js';

/**
 * Transactions of a producer from `createKafkaClient` against the real broker: each commits its records and its
 * consumer-group offset as before, while its coordinators are looked up once per `COORDINATOR_LOOKUP_TTL_MS`, not
 * before every step (kafkajs alone: four FindCoordinator requests per transaction).
 */
const suffix = randomUUID().slice(0, 8);
const topic = `coord-it-${suffix}`;
const groupId = `coord-it-group-${suffix}`;
const TRANSACTIONS = 10;

const kafka = createKafkaClient({ clientId: `coord-it-${suffix}`, brokers: inject('kafkaBrokers') });
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
});

describe('the transactional producer with its coordinators remembered', () => {
  it('commits every transaction, records and offsets, with a lookup per second instead of four per transaction', async () => {
    expect(kafkajsPatches()?.coordinatorCache).toBe(true);
    const producer = kafka.producer({
      transactionalId: `coord-it-tx-${suffix}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    const requests: string[] = [];
    producer.on(producer.events.REQUEST, (event) => requests.push(event.payload.apiName));
    await producer.connect();
    const started = performance.now();
    try {
      for (let i = 0; i < TRANSACTIONS; i++) {
        const txn = await producer.transaction();
        await txn.sendBatch({ topicMessages: [{ topic, messages: [{ value: `v${i}` }] }], acks: -1 });
        await txn.sendOffsets({
          consumerGroupId: groupId,
          topics: [{ topic, partitions: [{ partition: 0, offset: String(i + 1) }] }],
        });
        await txn.commit();
      }
    } finally {
      await producer.disconnect();
    }
    const elapsedMs = performance.now() - started;
    const lookups = requests.filter((api) => api === 'GroupCoordinator').length;
    expect(requests.filter((api) => api === 'EndTxn')).toHaveLength(TRANSACTIONS);
    // Two coordinators (the transaction's and the group's), each asked again at most once per TTL.
    expect(lookups).toBeLessThanOrEqual(2 * (Math.ceil(elapsedMs / COORDINATOR_LOOKUP_TTL_MS) + 1));
    expect(lookups).toBeLessThan(4 * TRANSACTIONS);

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed?.partitions).toEqual([
      expect.objectContaining({ partition: 0, offset: String(TRANSACTIONS) }),
    ]);
    const consumer = kafka.consumer({
      groupId: `coord-it-reader-${suffix}`,
      readUncommitted: false,
      maxWaitTimeInMs: 100,
    });
    const values: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
    const deadline = Date.now() + 30_000;
    while (values.length < TRANSACTIONS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await consumer.disconnect();
    await admin.deleteGroups([`coord-it-reader-${suffix}`]).catch(() => undefined);
    expect(values).toEqual(Array.from({ length: TRANSACTIONS }, (_, i) => `v${i}`));
  });
});
