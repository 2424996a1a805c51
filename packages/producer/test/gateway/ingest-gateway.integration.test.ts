import { randomBytes } from 'node:crypto';
import { decodeClickstreamEvent, encodeClickstreamEvent } from '@tributary/schema';
import type { ClickstreamEvent } from '@tributary/schema';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createIngestGateway } from '../../src/gateway/ingest-gateway.js';
import type { IngestGateway } from '../../src/gateway/ingest-gateway.js';
import { createLogger } from '@tributary/observability';
import { joinDelimited } from '../../src/gateway/request-body.js';
import { createKafkaClient, partitionForKey } from '@tributary/kafka';
import { deadPort, deleteTopic, readTopic, uniqueName } from '../helpers/kafka-test-utils.js';

const brokers = inject('kafkaBrokers');
const topic = uniqueName('prod-it-gateway');
let gateway: IngestGateway;
let base: string;

function event(i: number, overrides: Partial<ClickstreamEvent> = {}): ClickstreamEvent {
  return {
    userId: `u${i}`,
    pageUrl: `/products/${i}`,
    timestamp: Date.now() - 1000,
    eventType: i % 2 === 0 ? 'CLICK' : 'VIEW',
    eventId: `gw-${i}`,
    sessionId: `s${i}`,
    referrer: '',
    userAgent: 'Chrome/126',
    device: 'desktop',
    country: 'DE',
    ...overrides,
  };
}

const asJson = (e: ClickstreamEvent) => ({
  user_id: e.userId,
  page_url: e.pageUrl,
  timestamp: e.timestamp,
  event_type: e.eventType,
  event_id: e.eventId,
  session_id: e.sessionId,
  user_agent: e.userAgent,
  device: e.device,
  country: e.country,
});

interface GatewayAnswer {
  error?: string;
  code?: string;
  accepted?: number;
  rejected?: number;
  results: { index: number; ok: boolean; eventId?: string; code?: string; reason?: string; field?: string }[];
}

async function post(
  url: string,
  body: string | Uint8Array,
  contentType: string,
): Promise<{ status: number; headers: Headers; body: GatewayAnswer }> {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as GatewayAnswer };
}

beforeAll(async () => {
  gateway = createIngestGateway({
    brokers,
    topic,
    partitions: 2,
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: 4096,
  });
  const address = await gateway.listen();
  base = `http://127.0.0.1:${address.port}`;
  await gateway.waitUntilReady(60_000);
});

afterAll(async () => {
  await gateway?.close();
  await deleteTopic(brokers, topic);
});

describe('ingest gateway against a real broker', () => {
  it('accepts JSON, protobuf and delimited protobuf batches only after Kafka acknowledged them', async () => {
    const events = [event(1), event(2), event(3), event(4), event(5), event(6)];
    const r1 = await post(base, JSON.stringify(events.slice(0, 3).map(asJson)), 'application/json');
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ accepted: 3, rejected: 0 });
    expect(r1.body.results.map((r) => r.eventId)).toEqual(['gw-1', 'gw-2', 'gw-3']);

    const r2 = await post(base, encodeClickstreamEvent(events[3]!), 'application/x-protobuf');
    expect(r2.status).toBe(200);
    const r3 = await post(
      base,
      joinDelimited(events.slice(4).map((e) => encodeClickstreamEvent(e))),
      'application/x-protobuf; delimited=true',
    );
    expect(r3.status).toBe(200);
    expect(r3.body.accepted).toBe(2);

    const records = await readTopic(brokers, topic, 6);
    expect(records).toHaveLength(6);
    const byId = new Map(records.map((r) => [decodeClickstreamEvent(r.value).eventId, r]));
    for (const e of events) {
      const r = byId.get(e.eventId)!;
      expect(r.key).toBe(e.userId);
      expect(r.partition).toBe(partitionForKey(e.userId, 2));
      expect(decodeClickstreamEvent(r.value)).toEqual(e);
      expect(r.headers['content-type']).toBe('application/x-protobuf');
    }
  });

  it('answers 400 for bad JSON and 400 with a reason per event for invalid fields', async () => {
    const bad = await post(base, '{"user_id": ', 'application/json');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/invalid JSON/);

    const invalid = await post(
      base,
      JSON.stringify([
        asJson(event(10)),
        asJson(event(11, { eventType: 'BUY' })),
        { ...asJson(event(12)), page_url: '' },
        { ...asJson(event(13)), timestamp: 'soon' },
      ]),
      'application/json',
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.accepted).toBe(0);
    expect(invalid.body.rejected).toBe(3);
    const [ok, type, page, ts] = invalid.body.results;
    expect(ok).toMatchObject({ index: 0, ok: true });
    expect(type).toMatchObject({
      index: 1,
      ok: false,
      code: 'TRIB_SCHEMA_INVALID_EVENT_TYPE',
      field: 'event_type',
    });
    expect(type!.reason).toMatch(/BUY/);
    expect(page).toMatchObject({ index: 2, ok: false, code: 'TRIB_SCHEMA_MISSING_FIELD', field: 'page_url' });
    expect(ts).toMatchObject({ index: 3, ok: false, field: 'timestamp' });

    const undecodable = await post(base, new Uint8Array([0x7f, 0x01]), 'application/x-protobuf');
    expect(undecodable.status).toBe(400);
    expect(undecodable.body.results[0]).toMatchObject({ ok: false, code: 'TRIB_SCHEMA_DECODE_FAILED' });
  });

  it('answers 413 for oversize bodies and 415 for other content types', async () => {
    const big = JSON.stringify(Array.from({ length: 100 }, (_, i) => asJson(event(i))));
    expect(big.length).toBeGreaterThan(4096);
    const tooBig = await post(base, big, 'application/json');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatch(/maxBodyBytes/);

    const wrongType = await post(base, 'user_id=1', 'text/plain');
    expect(wrongType.status).toBe(415);
  });

  it('answers 413 naming the event for a record over maxRecordBytes, and writes derived event ids', async () => {
    const big = asJson(event(30, { userAgent: 'a'.repeat(3_000) }));
    const g = createIngestGateway({ brokers, topic, port: 0, maxRecordBytes: 2048, deriveEventId: true });
    try {
      const { port } = await g.listen();
      await g.waitUntilReady(60_000);
      const url = `http://127.0.0.1:${port}`;
      const tooBig = await post(url, JSON.stringify([asJson(event(31)), big]), 'application/json');
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.results[1]).toMatchObject({
        index: 1,
        ok: false,
        code: 'TRIB_PRODUCER_RECORD_TOO_LARGE',
      });
      const { event_id: _, ...anonymous } = asJson(event(32));
      const res = await fetch(`${url}/v1/events`, {
        method: 'POST',
        body: JSON.stringify([anonymous]),
        headers: { 'content-type': 'application/json', 'idempotency-key': `${topic}-req` },
      });
      expect(res.status).toBe(200);
      const derived = ((await res.json()) as GatewayAnswer).results[0]!.eventId!;
      expect(derived).toMatch(/^[0-9a-f-]{36}$/);
      const records = await readTopic(brokers, topic, 7);
      expect(records.map((r) => decodeClickstreamEvent(r.value).eventId)).toContain(derived);
    } finally {
      await g.close();
    }
  });

  it("answers 413 when the broker refuses a record over the topic's max.message.bytes", async () => {
    const small = uniqueName('prod-it-gateway-small');
    const admin = createKafkaClient({ clientId: 'gateway-it-admin', brokers }).admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          { topic: small, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2048' }] },
        ],
      });
    } finally {
      await admin.disconnect();
    }
    // Under the gateway's own limits (maxRecordBytes 1 MB), over the topic's: the broker's refusal is the answer.
    const g = createIngestGateway({ brokers, topic: small, port: 0, createTopic: false });
    try {
      const { port } = await g.listen();
      await g.waitUntilReady(60_000);
      const url = `http://127.0.0.1:${port}`;
      const fits = await post(url, JSON.stringify([asJson(event(40))]), 'application/json');
      expect(fits.status).toBe(200);
      // Random hex: LZ4 cannot shrink it under the limit.
      const big = asJson(event(41, { pageUrl: `/p/${randomBytes(3_000).toString('hex')}` }));
      const refused = await post(url, JSON.stringify([big]), 'application/json');
      expect(refused.status).toBe(413);
      expect(refused.body).toMatchObject({
        code: 'TRIB_PRODUCER_RECORD_TOO_LARGE',
        accepted: 0,
        rejected: 1,
      });
      expect(refused.body.error).toMatch(/max\.message\.bytes/);
      // The gateway stays available: a refused record is the client's, not an outage.
      expect((await post(url, JSON.stringify([asJson(event(42))]), 'application/json')).status).toBe(200);
      expect(await readTopic(brokers, small, 2)).toHaveLength(2);
    } finally {
      await g.close();
      await deleteTopic(brokers, small);
    }
  });

  it('reports health and Prometheus metrics from its own registry', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ live: true, ready: true, kafkaConnected: true, inFlightEvents: 0 });
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/tributary_gateway_requests_total\{status="200"\} [1-9]/);
    expect(metrics).toMatch(/tributary_gateway_requests_total\{status="400"\} [1-9]/);
    expect(metrics).toMatch(/tributary_gateway_requests_total\{status="413"\} [1-9]/);
    expect(metrics).toMatch(/tributary_gateway_kafka_ack_latency_seconds_count [1-9]/);
    expect(metrics).toContain('tributary_gateway_backpressure_rejections_total');
    // Default process metrics: event-loop delay, heap, RSS.
    expect(metrics).toMatch(/nodejs_eventloop_lag_p99_seconds \d/);
    expect(metrics).toMatch(/nodejs_heap_size_used_bytes \d+/);
    expect(metrics).toMatch(/process_resident_memory_bytes \d+/);
  });

  it('answers 429 with Retry-After when the in-flight limit cannot take the request', async () => {
    const small = createIngestGateway({
      brokers,
      topic,
      port: 0,
      host: '127.0.0.1',
      maxInFlightEvents: 2,
      retryAfterSeconds: 3,
    });
    try {
      const { port } = await small.listen();
      await small.waitUntilReady(60_000);
      const res = await post(
        `http://127.0.0.1:${port}`,
        JSON.stringify([1, 2, 3].map((i) => asJson(event(i + 100)))),
        'application/json',
      );
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(res.body.error).toMatch(/backpressure/);
      expect(res.body).toMatchObject({ code: 'TRIB_PRODUCER_BACKPRESSURE' });
    } finally {
      await small.close();
    }
  });

  it('answers 503 with Retry-After and reports not ready while the broker is down', async () => {
    const port = await deadPort();
    const down = createIngestGateway({
      brokers: [`127.0.0.1:${port}`],
      topic,
      port: 0,
      host: '127.0.0.1',
      retries: 0,
      connectionTimeoutMs: 300,
    });
    try {
      const address = await down.listen();
      const url = `http://127.0.0.1:${address.port}`;
      const res = await post(url, JSON.stringify(asJson(event(200))), 'application/json');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ live: true, ready: false, kafkaConnected: false });
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      expect((await fetch(`${url}/health/ready`)).status).toBe(503);
    } finally {
      await down.close();
    }
  });

  it('shuts down gracefully: finishes the request in flight, then refuses connections', async () => {
    const g = createIngestGateway({ brokers, topic, port: 0, host: '127.0.0.1' });
    const { port } = await g.listen();
    await g.waitUntilReady(60_000);
    const url = `http://127.0.0.1:${port}`;
    const arrived = new Promise<void>((resolve) => g.server.once('request', () => resolve()));
    const pending = post(url, JSON.stringify(asJson(event(300))), 'application/json');
    await arrived;
    await g.close();
    expect((await pending).status).toBe(200);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('logs JSON lines through a pino logger: listening, connected, each request at debug, shutdown', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({
      name: 'tributary-gateway',
      level: 'debug',
      destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const g = createIngestGateway({ brokers, topic, port: 0, host: '127.0.0.1', logger });
    const { port } = await g.listen();
    await g.waitUntilReady(60_000);
    const url = `http://127.0.0.1:${port}`;
    expect((await post(url, JSON.stringify(asJson(event(400))), 'application/json')).status).toBe(200);
    expect((await post(url, '{', 'application/json')).status).toBe(400);
    await g.close();
    const messages = lines.map((l) => l['msg']);
    expect(messages).toEqual(expect.arrayContaining(['listening', 'connected to Kafka', 'closed']));
    // kafkajs' own lines (producer connected, …) come through the same logger, tagged with their namespace.
    const kafkajs = lines.filter((l) => typeof l['kafkajs'] === 'string');
    expect(kafkajs.length).toBeGreaterThan(0);
    expect(kafkajs.every((l) => l['name'] === 'tributary-gateway' && typeof l['time'] === 'string')).toBe(
      true,
    );
    expect(lines.find((l) => l['msg'] === 'listening')).toMatchObject({ level: 'info', port, topic });
    const requests = lines.filter((l) => l['msg'] === 'request');
    expect(requests.map((l) => [l['level'], l['path'], l['status']])).toEqual([
      ['debug', '/v1/events', 200],
      ['debug', '/v1/events', 400],
    ]);
  });

  it('logs the first failed Kafka connection at warn and the retries after it at debug', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({
      name: 'tributary-gateway',
      level: 'debug',
      destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const down = createIngestGateway({
      brokers: [`127.0.0.1:${await deadPort()}`],
      topic,
      port: 0,
      host: '127.0.0.1',
      retries: 0,
      connectionTimeoutMs: 300,
      reconnectBackoffMs: 50,
      logger,
    });
    try {
      await down.listen();
      const until = Date.now() + 30_000;
      while (
        lines.filter((l) => String(l['msg']).startsWith('cannot connect')).length < 2 &&
        Date.now() < until
      )
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      await down.close();
    }
    const failures = lines.filter((l) => String(l['msg']).startsWith('cannot connect to Kafka'));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0]).toMatchObject({ level: 'warn', failures: 1 });
    expect(failures.slice(1).every((l) => l['level'] === 'debug')).toBe(true);
    // kafkajs' connection errors are there too, at debug while the gateway reports the outage itself.
    const kafkajs = lines.filter((l) => typeof l['kafkajs'] === 'string');
    expect(kafkajs.length).toBeGreaterThan(0);
    expect(kafkajs.every((l) => l['level'] === 'debug')).toBe(true);
  });
});
