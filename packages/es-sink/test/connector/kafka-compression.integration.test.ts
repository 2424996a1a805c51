import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import {
  WINDOW_DOCUMENT_MAPPINGS,
  encodeWindowResult,
  windowDocumentId,
  type WindowResult,
} from '@tributary/schema';
import { createKafkaClient, createLz4Codec, loadKafkajs, type Admin } from '@tributary/kafka';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaEsConnector } from '../../src/connector/kafka-es-connector.js';

const { CompressionCodecs, CompressionTypes } = loadKafkajs();
const brokers = inject('kafkaBrokers');
const esUrl = inject('elasticsearchUrl');
const suffix = randomUUID().slice(0, 8);
const es = new Client({ node: esUrl });
const kafka = createKafkaClient({ clientId: `es-sink-lz4-it-${suffix}`, brokers });
const topic = `es-sink-lz4-it-${suffix}`;
const index = `es-sink-lz4-it-${suffix}`;
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic, `${topic}-dlq`] }).catch(() => undefined);
  await admin.disconnect();
  await es.indices.delete({ index, ignore_unavailable: true }, { ignore: [404] });
  await es.indices.deleteIndexTemplate({ name: index }, { ignore: [404] });
  await es.close();
});

function windowRecord(i: number): { key: string; value: Buffer } {
  const r: WindowResult = {
    pageUrl: `/lz4/${i}`,
    windowStart: Date.UTC(2026, 10, 22, 10, i % 60),
    windowEnd: Date.UTC(2026, 10, 22, 10, (i % 60) + 1),
    clickCount: i,
    viewCount: 2 * i,
    isFinal: true,
    version: 1,
  };
  return { key: r.pageUrl, value: Buffer.from(encodeWindowResult(r)) };
}

async function waitFor(predicate: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Kafka → Elasticsearch connector with compressed input', () => {
  it('registers the LZ4 codec itself and indexes LZ4-compressed window results', async () => {
    // Produce LZ4 batches with the codec registered, then unregister it: only the connector's registration remains.
    CompressionCodecs[CompressionTypes.LZ4] = () => createLz4Codec();
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        compression: CompressionTypes.LZ4,
        messages: Array.from({ length: 200 }, (_, i) => windowRecord(i)),
      });
    } finally {
      await producer.disconnect();
    }
    delete (CompressionCodecs as Partial<typeof CompressionCodecs>)[CompressionTypes.LZ4];

    const connector = createKafkaEsConnector({
      brokers,
      topic,
      groupId: `es-sink-lz4-it-${suffix}`,
      commitIntervalMs: 200,
      sink: {
        node: esUrl,
        index,
        flushIntervalMs: 100,
        template: {
          name: index,
          indexPatterns: [index],
          mappings: WINDOW_DOCUMENT_MAPPINGS,
          replicas: 0,
        },
      },
    });
    expect(CompressionCodecs[CompressionTypes.LZ4]).toBeTypeOf('function');
    await connector.start();
    try {
      await waitFor(() => connector.stats.consumed >= 200 && connector.stats.pending === 0);
    } finally {
      await connector.stop();
    }
    expect(connector.stats).toMatchObject({ consumed: 200, unmappable: 0, deadLettered: 0 });
    await es.indices.refresh({ index });
    expect((await es.count({ index })).count).toBe(200);
    const doc = await es.get<{ click_count: number }>({
      index,
      id: windowDocumentId('/lz4/7', Date.UTC(2026, 10, 22, 10, 7)),
    });
    expect(doc._source?.click_count).toBe(7);
  });
});
