import { afterAll, describe, expect, inject, it } from 'vitest';
import { registerLz4Codec } from '@tributary/kafka';
import { createKafka, ensureTopic, endOffsets } from '../../src/kafka/kafka-client.js';
import { SenderThread } from '../../src/kafka/sender-thread.js';
import type { KafkaConnectionOptions } from '../../src/kafka/connection-options.js';
import { LOAD_OPTIONS } from '../../src/load-options.js';
import { deadPort, deleteTopic, readTopic, uniqueName } from '../helpers/kafka-test-utils.js';

const brokers = inject('kafkaBrokers');
const topics: string[] = [];
afterAll(async () => {
  for (const t of topics) await deleteTopic(brokers, t);
});

const connection = (o: Partial<KafkaConnectionOptions>): KafkaConnectionOptions =>
  LOAD_OPTIONS.resolve({ brokers, retries: 1, connectionTimeoutMs: 1000, ...o });
const record = (partition: number, key: string, value: string) => ({
  partition,
  key,
  value: Buffer.from(value),
  headers: undefined,
});

describe('SenderThread against a real broker', () => {
  it('sends batches of several lanes in hand-over order and answers with offsets and the ack time', async () => {
    const topic = uniqueName('prod-it-sender-thread');
    topics.push(topic);
    const o = connection({ topic, partitions: 2 });
    const admin = (await createKafka(o)).admin();
    await admin.connect();
    try {
      await ensureTopic(admin, o);
      expect(await endOffsets(admin, topic, 2)).toEqual([0, 0]);
    } finally {
      await admin.disconnect();
    }
    const thread = new SenderThread();
    try {
      const [lane0, lane1] = await Promise.all([thread.openLane(0, o, 1), thread.openLane(1, o, 1)]);
      const before = performance.timeOrigin + performance.now();
      const sends = [
        lane0!.send([record(0, 'a', 'a1'), record(0, 'b', 'a2')]),
        lane1!.send([record(1, 'c', 'c1')]),
        lane0!.send([record(0, 'a', 'a3')]),
      ];
      const sent = await Promise.all(sends);
      expect(sent.map((s) => s.acks)).toEqual([
        [{ partition: 0, baseOffset: 0 }],
        [{ partition: 1, baseOffset: 0 }],
        [{ partition: 0, baseOffset: 2 }],
      ]);
      for (const s of sent) {
        expect(s.ackedAtEpochMs).toBeGreaterThanOrEqual(before);
        expect(s.ackedAtEpochMs).toBeLessThanOrEqual(performance.timeOrigin + performance.now());
      }
    } finally {
      await thread.close();
    }
    // The thread compressed with LZ4 (registered there); this thread's consumer needs the codec too.
    registerLz4Codec();
    const back = await readTopic(brokers, topic, 4);
    expect(back.map((r) => [r.partition, r.key, r.value.toString()])).toEqual([
      [0, 'a', 'a1'],
      [0, 'b', 'a2'],
      [0, 'a', 'a3'],
      [1, 'c', 'c1'],
    ]);
  });

  it('reports connect and send failures with our codes, and refuses sends once closed', async () => {
    const thread = new SenderThread();
    try {
      const port = await deadPort();
      await expect(
        thread.openLane(0, connection({ brokers: [`127.0.0.1:${port}`], topic: 'never-created' }), 1),
      ).rejects.toMatchObject({ code: 'TRIB_PRODUCER_CONNECT_FAILED', retriable: true });
      const missing = uniqueName('prod-it-missing');
      const lane = await thread.openLane(1, connection({ topic: missing, requestTimeoutMs: 2000 }), 1);
      await expect(lane.send([record(0, 'k', 'v')])).rejects.toMatchObject({
        code: 'TRIB_PRODUCER_SEND_FAILED',
        message: expect.stringMatching(/^send of 1 records failed: /) as unknown,
      });
    } finally {
      await thread.close();
    }
    await expect(thread.openLane(2, connection({ topic: 'x' }), 1)).rejects.toMatchObject({
      code: 'TRIB_PRODUCER_SEND_FAILED',
    });
  });
});
