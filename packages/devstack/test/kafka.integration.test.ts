import { randomBytes } from 'node:crypto';
import { createKafkaClient } from '@tributary/kafka';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

describe('Kafka broker of the devstack', () => {
  const brokers = inject('kafkaBrokers');
  const suffix = randomBytes(4).toString('hex');
  const topic = `devstack-it-${suffix}`;
  const kafka = createKafkaClient({ clientId: `devstack-it-${suffix}`, brokers });
  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a topic with several partitions', async () => {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
  });

  it('produces keyed messages and consumes them back with stable partition placement', async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const messages = Array.from({ length: 60 }, (_, i) => ({
      key: `key-${i % 6}`,
      value: JSON.stringify({ i }),
    }));
    const pinned = { key: 'pinned', value: 'to-partition-2', partition: 2 };
    await producer.send({ topic, acks: -1, messages: [...messages, pinned] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `devstack-it-${suffix}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string; value: string; partition: number }[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message, partition }) => {
            received.push({ key: message.key!.toString(), value: message.value!.toString(), partition });
            if (received.length === messages.length + 1) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();

    expect(
      received
        .map((m) => m.value)
        .filter((v) => v !== 'to-partition-2')
        .sort(),
    ).toEqual(messages.map((m) => m.value).sort());
    // Same key → same partition, and the six keys spread over more than one partition.
    const partitionOfKey = new Map<string, Set<number>>();
    for (const m of received)
      partitionOfKey.set(m.key, (partitionOfKey.get(m.key) ?? new Set()).add(m.partition));
    for (const [key, partitions] of partitionOfKey) expect(partitions.size, key).toBe(1);
    expect(new Set(received.filter((m) => m.key !== 'pinned').map((m) => m.partition)).size).toBeGreaterThan(
      1,
    );
    expect(received.find((m) => m.key === 'pinned')?.partition).toBe(2);
    // Per partition, messages arrive in the order they were produced.
    for (const [key] of partitionOfKey) {
      const order = received
        .filter((m) => m.key === key && key !== 'pinned')
        .map((m) => (JSON.parse(m.value) as { i: number }).i);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });
});
