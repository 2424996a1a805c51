import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Admin, Producer, Transaction } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaClient } from '../../src/kafka-client.js';
import { fetchStableCommittedOffsets } from '../../src/offsets/stable-committed-offsets.js';

/**
 * OffsetFetch v7 `require_stable` against the devstack's broker: offsets a transactional producer commits with
 * `sendOffsets` are what the stable fetch returns, and while a transaction holding offsets for a partition is open
 * the stable fetch waits (the broker answers UNSTABLE_OFFSET_COMMIT and it asks again) where kafkajs' own
 * `fetchOffsets` returns the offset from before; it returns the transaction's offset once that commits, and the one
 * from before once a transaction aborts.
 */
const suffix = randomUUID().slice(0, 8);
const topic = `stable-offsets-it-${suffix}`;
const group = `stable-offsets-it-group-${suffix}`;
const PARTITIONS = [{ topic, partitions: [0, 1] }];

const kafka = createKafkaClient({ clientId: `stable-offsets-it-${suffix}`, brokers: inject('kafkaBrokers') });
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 2, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  producer = kafka.producer({
    transactionalId: `stable-offsets-it-${suffix}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect().catch(() => undefined);
  await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin?.deleteGroups([group]).catch(() => undefined);
  await admin?.disconnect();
});

/** A transaction that writes a record and commits `offset` for partition 0 of `topic` in the group. */
async function transactionCommitting(offset: number): Promise<Transaction> {
  const transaction = await producer.transaction();
  await transaction.send({ topic, messages: [{ value: `up to ${offset}`, partition: 0 }] });
  await transaction.sendOffsets({
    consumerGroupId: group,
    topics: [{ topic, partitions: [{ partition: 0, offset: String(offset) }] }],
  });
  return transaction;
}

const partition0 = async (): Promise<string | undefined> =>
  (await fetchStableCommittedOffsets(admin, group, PARTITIONS))[0]?.partitions.find((p) => p.partition === 0)
    ?.offset;

/** kafkajs' own fetch (OffsetFetch v4, no require_stable) of partition 0. */
const kafkajsPartition0 = async (): Promise<string | undefined> =>
  (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]?.partitions.find(
    (p) => p.partition === 0,
  )?.offset;

describe('fetchStableCommittedOffsets against Kafka', () => {
  it('returns the offsets a committed transaction sent, and -1 for a partition without', async () => {
    const transaction = await transactionCommitting(5);
    await transaction.commit();
    await expect(fetchStableCommittedOffsets(admin, group, PARTITIONS)).resolves.toEqual([
      {
        topic,
        partitions: [
          { partition: 0, offset: '5', metadata: null },
          { partition: 1, offset: '-1', metadata: null },
        ],
      },
    ]);
  });

  it('waits while a transaction holding offsets is open and returns its offset once it commits', async () => {
    expect(await partition0()).toBe('5');
    const transaction = await transactionCommitting(9);
    let retried!: () => void;
    const firstRetry = new Promise<void>((resolve) => (retried = resolve));
    const retries: number[] = [];
    let returned = false;
    const fetching = fetchStableCommittedOffsets(admin, group, PARTITIONS, {
      sleep: async (ms) => {
        retries.push(ms);
        retried();
        await delay(ms);
      },
    }).finally(() => (returned = true));
    await Promise.race([
      firstRetry,
      fetching.then((offsets) => {
        throw new Error(
          `the stable fetch returned while the transaction was open: ${JSON.stringify(offsets)}`,
        );
      }),
    ]);
    // the broker answers UNSTABLE_OFFSET_COMMIT to the stable fetch; kafkajs' own fetch shows the offset from before
    expect(await kafkajsPartition0()).toBe('5');
    expect(returned).toBe(false);
    await transaction.commit();
    const offsets = await fetching;
    expect(offsets[0]!.partitions.find((p) => p.partition === 0)?.offset).toBe('9');
    expect(retries.length).toBeGreaterThanOrEqual(1);
  });

  it('after an aborted transaction returns the offset from before it', async () => {
    const transaction = await transactionCommitting(12);
    await transaction.abort();
    expect(await partition0()).toBe('9');
  });
});
