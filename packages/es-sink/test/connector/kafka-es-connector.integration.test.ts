import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { createKafkaClient, type Admin, type IHeaders, type Producer } from '@tributary/kafka';
import { Registry } from 'prom-client';
import { windowRecord } from '../helpers/connector-fixture.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaEsConnector, type KafkaEsConnector } from '../../src/connector/kafka-es-connector.js';
import { WINDOW_DOCUMENT_MAPPINGS, windowDocumentId } from '@tributary/schema';
import { DEAD_LETTER_HEADERS } from '../../src/connector/dead-letter-record.js';
import { metricTotal, metricValue } from '../helpers/metric-values.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

const brokers = inject('kafkaBrokers');
const esUrl = inject('elasticsearchUrl');
const suffix = randomUUID().slice(0, 8);
const es = new Client({ node: esUrl });
const kafka = createKafkaClient({ clientId: `es-sink-it-${suffix}`, brokers });
let admin: Admin;
let producer: Producer;
const topics: string[] = [];
const indices: string[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  await producer.disconnect();
  for (const index of indices) {
    await es.indices.delete({ index, ignore_unavailable: true }, { ignore: [404] });
    await es.indices.deleteIndexTemplate({ name: index }, { ignore: [404] });
  }
  await es.close();
});

async function createTopic(name: string, numPartitions = 2): Promise<string> {
  topics.push(name);
  await admin.createTopics({ topics: [{ topic: name, numPartitions }], waitForLeaders: true });
  return name;
}

async function endOffsets(topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

async function committed(groupId: string, topic: string): Promise<Map<number, number>> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
}

async function waitFor(predicate: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function allCommitted(connector: KafkaEsConnector, topic: string): Promise<boolean> {
  const ends = await endOffsets(topic);
  const done = connector.committedOffsets();
  return [...ends].every(([p, end]) => end === 0 || (done.get(p) ?? 0) >= end);
}

async function count(index: string): Promise<number> {
  await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
  return (await es.count({ index, ignore_unavailable: true, allow_no_indices: true })).count;
}

function connectorFor(
  topic: string,
  groupId: string,
  index: string,
  node: string,
  extra: Partial<Parameters<typeof createKafkaEsConnector>[0]> = {},
) {
  // Without one, the connector creates its default dead-letter topic <topic>-dlq: clean it up too.
  if (extra.deadLetterTopic === undefined) topics.push(`${topic}-dlq`);
  return createKafkaEsConnector({
    brokers,
    topic,
    groupId,
    commitIntervalMs: 200,
    ...extra,
    sink: {
      node,
      index,
      flushIntervalMs: 100,
      retryInitialDelayMs: 100,
      retryMaxDelayMs: 1000,
      requestTimeoutMs: 5000,
      template: {
        name: index,
        indexPatterns: [index],
        mappings: WINDOW_DOCUMENT_MAPPINGS,
        replicas: 0,
      },
      ...extra.sink,
    },
  });
}

describe('Kafka → Elasticsearch connector', () => {
  it('indexes window results, dead-letters bad records with headers and commits every offset', async () => {
    const topic = await createTopic(`es-sink-it-src-${suffix}`);
    const dlq = await createTopic(`es-sink-it-dlq-${suffix}`, 1);
    const index = `es-sink-it-windows-${suffix}`;
    indices.push(index);
    await producer.send({ topic, messages: Array.from({ length: 100 }, (_, i) => windowRecord(i)) });
    // Out-of-order versions of one window: the newer (3) must win.
    await producer.send({
      topic,
      messages: [
        { ...windowRecord(0, 3), partition: 0 },
        { ...windowRecord(0, 2), partition: 0 },
      ],
    });
    await producer.send({
      topic,
      messages: [{ key: 'bad', value: Buffer.from([0xff, 0xff, 0xff]), headers: { trace: 'x1' } }],
    });
    const groupId = `es-sink-it-${suffix}-a`;
    const connector = connectorFor(topic, groupId, index, esUrl, { deadLetterTopic: dlq });
    await connector.start();
    try {
      await waitFor(() => allCommitted(connector, topic));
    } finally {
      await connector.stop();
    }
    expect(await count(index)).toBe(100);
    const doc = await es.get<{ version: number; click_count: number }>({
      index,
      id: windowDocumentId('/page/0', Date.UTC(2026, 10, 22, 10, 0)),
    });
    expect(doc._source?.version).toBe(3);
    expect(connector.stats).toMatchObject({ consumed: 103, unmappable: 1, deadLettered: 1, pending: 0 });
    expect(await committed(groupId, topic)).toEqual(await endOffsets(topic));

    const headers: IHeaders[] = [];
    const reader = kafka.consumer({ groupId: `es-sink-it-${suffix}-dlq-reader` });
    await reader.connect();
    await reader.subscribe({ topic: dlq, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void headers.push(message.headers ?? {}) });
    await waitFor(() => headers.length >= 1, 30_000);
    await reader.disconnect();
    const h = headers[0] ?? {};
    expect(String(h[DEAD_LETTER_HEADERS.errorType])).toBe('decode_error');
    expect(String(h[DEAD_LETTER_HEADERS.sourceTopic])).toBe(topic);
    expect(String(h['trace'])).toBe('x1');
    expect(String(h[DEAD_LETTER_HEADERS.reason])).toMatch(/cannot decode WindowResult/);
  });

  it('loses nothing and never commits past unacknowledged records while Elasticsearch is unreachable', async () => {
    const topic = await createTopic(`es-sink-it-outage-${suffix}`);
    const index = `es-sink-it-outage-${suffix}`;
    indices.push(index);
    const proxy = new TcpProxy(esUrl);
    await proxy.start();
    const groupId = `es-sink-it-${suffix}-b`;
    // High-water mark 30: during the outage the connector must pause fetching instead of buffering all 50.
    const connector = connectorFor(topic, groupId, index, `http://127.0.0.1:${proxy.port}`, {
      highWaterMark: 30,
      lowWaterMark: 10,
    });
    await connector.start();
    try {
      await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => windowRecord(i)) });
      await waitFor(() => allCommitted(connector, topic));
      const before = await committed(groupId, topic);

      await proxy.cut();
      await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => windowRecord(100 + i)) });
      await waitFor(() => connector.stats.paused);
      // Outage of a few seconds: retries happen, nothing is acknowledged, commits do not move.
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 1500));
        expect(await committed(groupId, topic)).toEqual(before);
      }
      expect(connector.stats.sink.retried).toBeGreaterThan(0);
      expect(connector.stats.paused).toBe(true);
      expect(connector.stats.pending).toBe(30);
      expect(connector.stats.consumed).toBe(80);

      await proxy.restore();
      await waitFor(() => allCommitted(connector, topic));
    } finally {
      await connector.stop();
      await proxy.stop();
    }
    expect(await count(index)).toBe(100);
    expect(connector.stats.sink.failed).toBe(0);
    expect(await committed(groupId, topic)).toEqual(await endOffsets(topic));
  });

  it('JSON records: id from a field, external version from the offset, so the later record wins', async () => {
    const topic = await createTopic(`es-sink-it-json-${suffix}`, 1);
    const index = `es-sink-it-json-${suffix}`;
    indices.push(index);
    const groupId = `es-sink-it-${suffix}-d`;
    await producer.send({
      topic,
      messages: [
        { value: JSON.stringify({ user: 'u1', plan: 'free' }) },
        { value: JSON.stringify({ user: 'u2', plan: 'free' }) },
        { value: JSON.stringify({ user: 'u1', plan: 'pro' }) },
        { value: JSON.stringify({ plan: 'no id' }) },
      ],
    });
    topics.push(`${topic}-dlq`);
    const connector = createKafkaEsConnector({
      brokers,
      topic,
      groupId,
      format: 'json',
      idField: 'user',
      versionFrom: 'offset',
      commitIntervalMs: 200,
      sink: { node: esUrl, index, flushIntervalMs: 100 },
    });
    await connector.start();
    try {
      await waitFor(() => allCommitted(connector, topic));
    } finally {
      await connector.stop();
    }
    expect(await count(index)).toBe(2);
    const u1 = await es.get<{ plan: string }>({ index, id: 'u1' });
    expect(u1._source?.plan).toBe('pro');
    expect(u1._version).toBe(2);
    // The record without an id went to the default dead-letter topic, created by the connector, before its offset
    // was committed.
    expect(connector.stats).toMatchObject({ consumed: 4, unmappable: 1, deadLettered: 1 });
    expect(connector.deadLetterTopic).toBe(`${topic}-dlq`);
    expect(await endOffsets(`${topic}-dlq`)).toEqual(new Map([[0, 1]]));
    expect(await committed(groupId, topic)).toEqual(await endOffsets(topic));
  });

  it('on stop(), flushes buffered documents and commits them', async () => {
    const topic = await createTopic(`es-sink-it-stop-${suffix}`);
    const index = `es-sink-it-stop-${suffix}`;
    indices.push(index);
    const groupId = `es-sink-it-${suffix}-c`;
    const lines: [string, string, Record<string, unknown> | undefined][] = [];
    const connector = connectorFor(topic, groupId, index, esUrl, {
      sink: { node: esUrl, index, flushIntervalMs: 600_000 },
      flushOnBatchEnd: false,
      logger: (level, message, fields) => lines.push([level, message, fields]),
    });
    await connector.start();
    await producer.send({ topic, messages: Array.from({ length: 40 }, (_, i) => windowRecord(i)) });
    await waitFor(() => connector.stats.consumed === 40);
    expect(connector.stats.sink.requests).toBe(0);
    await connector.stop();
    expect(await count(index)).toBe(40);
    expect(await committed(groupId, topic)).toEqual(await endOffsets(topic));
    // kafkajs' own lines come through the connector's logger (info and up), tagged with their namespace.
    const kafkajs = lines.filter(([, , fields]) => typeof fields?.['kafkajs'] === 'string');
    expect(kafkajs.some(([level, , f]) => level === 'info' && f?.['kafkajs'] === 'Consumer')).toBe(true);
    expect(kafkajs.every(([level]) => level !== 'debug')).toBe(true);
    expect(lines.some(([, message]) => message === 'partitions assigned')).toBe(true);
  });

  it('reports metrics and health: partitions paused and not ready during an outage, all indexed after it', async () => {
    const topic = await createTopic(`es-sink-it-metrics-${suffix}`);
    const index = `es-sink-it-metrics-${suffix}`;
    indices.push(index);
    const proxy = new TcpProxy(esUrl);
    await proxy.start();
    const registry = new Registry();
    const indexed = () => metricValue(registry, 'tributary_es_sink_documents_total', { outcome: 'indexed' });
    const paused = () => metricValue(registry, 'tributary_es_sink_paused_partitions');
    const connector = connectorFor(topic, `es-sink-it-${suffix}-e`, index, `http://127.0.0.1:${proxy.port}`, {
      highWaterMark: 10,
      lowWaterMark: 5,
      healthCheckIntervalMs: 200,
      registry,
    });
    expect(connector.health()).toMatchObject({ live: true, ready: false });
    await connector.start();
    try {
      await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => windowRecord(i)) });
      await producer.send({ topic, messages: [{ key: 'bad', value: Buffer.from([0xff, 0xff]) }] });
      await waitFor(() => allCommitted(connector, topic));
      expect(await indexed()).toBe(20);
      expect(
        await metricValue(registry, 'tributary_es_sink_dead_letters_total', { reason: 'decode_error' }),
      ).toBe(1);
      expect(connector.health()).toMatchObject({
        live: true,
        ready: true,
        details: { consumerJoined: true, elasticsearchReachable: true, assignedPartitions: [0, 1] },
      });
      expect(await paused()).toBe(0);

      await proxy.cut();
      await producer.send({ topic, messages: Array.from({ length: 30 }, (_, i) => windowRecord(100 + i)) });
      await waitFor(() => connector.stats.paused);
      expect(await paused()).toBe(2);
      await waitFor(() => !connector.health().ready);
      expect(connector.health()).toMatchObject({ live: true, details: { elasticsearchReachable: false } });
      await waitFor(
        async () =>
          (await metricValue(registry, 'tributary_es_sink_retries_total', { status: 'none' })) !== undefined,
      );
      expect(await metricValue(registry, 'tributary_es_sink_buffered_documents')).toBeGreaterThan(0);

      await proxy.restore();
      await waitFor(() => allCommitted(connector, topic));
      await waitFor(() => connector.health().ready);
      expect(await indexed()).toBe(50);
      expect(await paused()).toBe(0);
      expect(await metricValue(registry, 'tributary_es_sink_buffered_bytes')).toBe(0);
      expect(await metricTotal(registry, 'tributary_es_sink_retries_total')).toBe(
        await metricValue(registry, 'tributary_es_sink_documents_total', { outcome: 'retried' }),
      );
    } finally {
      await connector.stop();
      await proxy.stop();
    }
    expect(connector.health()).toMatchObject({ live: false, ready: false });
  });
});
