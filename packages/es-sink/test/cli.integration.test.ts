import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import { encodeWindowResult } from '@tributary/schema';
import { createKafkaClient } from '@tributary/kafka';
import { describe, expect, inject, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const brokers = inject('kafkaBrokers');
const esUrl = inject('elasticsearchUrl');

describe('tributary-es-sink CLI', () => {
  it('consumes, and on SIGTERM flushes, commits and exits 0', async () => {
    const suffix = randomUUID().slice(0, 8);
    const topic = `es-sink-cli-${suffix}`;
    const index = `es-sink-cli-${suffix}`;
    const groupId = `es-sink-cli-${suffix}`;
    const kafka = createKafkaClient({ clientId: groupId, brokers });
    const admin = kafka.admin();
    const producer = kafka.producer();
    const es = new Client({ node: esUrl });
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      const messages = Array.from({ length: 30 }, (_, i) => ({
        value: Buffer.from(
          encodeWindowResult({
            pageUrl: `/p/${i}`,
            windowStart: 60_000 * i,
            windowEnd: 60_000 * (i + 1),
            clickCount: i,
            viewCount: i,
            isFinal: true,
            version: 1,
          }),
        ),
      }));
      await producer.send({ topic, messages });
      const child = spawn(
        process.execPath,
        [
          cli,
          '--topic',
          topic,
          '--group-id',
          groupId,
          '--brokers',
          brokers.join(','),
          '--es-url',
          esUrl,
          '--index',
          index,
          '--no-template',
          '--flush-interval-ms',
          '600000',
          '--no-flush-on-batch-end',
          '--stats-interval-ms',
          '200',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Wait until all 30 records are consumed (they stay buffered: the flush interval is 10 minutes).
      const until = Date.now() + 60_000;
      while (!stderr.includes('"consumed":30,') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 200));
      expect(stderr, stderr.slice(-3000)).toContain('"requests":0');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('SIGTERM: stopping');
      await es.indices.refresh({ index });
      expect((await es.count({ index })).count).toBe(30);
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(offsets?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '30' })]);
    } finally {
      await admin.deleteTopics({ topics: [topic, `${topic}-dlq`] }).catch(() => undefined);
      await es.indices.delete({ index, ignore_unavailable: true }, { ignore: [404] });
      await Promise.all([admin.disconnect(), producer.disconnect(), es.close()]);
    }
  });

  it('serves /metrics and /health on --metrics-port 0: documents indexed equal the records written, ready', async () => {
    const suffix = randomUUID().slice(0, 8);
    const topic = `es-sink-cli-metrics-${suffix}`;
    const index = `es-sink-cli-metrics-${suffix}`;
    const groupId = `es-sink-cli-metrics-${suffix}`;
    const password = `pw-${suffix}-never-logged`;
    const kafka = createKafkaClient({ clientId: groupId, brokers });
    const admin = kafka.admin();
    const producer = kafka.producer();
    const es = new Client({ node: esUrl });
    await Promise.all([admin.connect(), producer.connect()]);
    const records = 25;
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
      await producer.send({
        topic,
        messages: Array.from({ length: records }, (_, i) => ({
          key: `/m/${i}`,
          value: Buffer.from(
            encodeWindowResult({
              pageUrl: `/m/${i}`,
              windowStart: 60_000 * i,
              windowEnd: 60_000 * (i + 1),
              clickCount: i,
              viewCount: 1,
              isFinal: true,
              version: 1,
            }),
          ),
        })),
      });
      const child = spawn(
        process.execPath,
        [
          cli,
          ...['--topic', topic, '--group-id', groupId, '--brokers', brokers.join(','), '--es-url', esUrl],
          ...['--index', index, '--no-template', '--flush-interval-ms', '200', '--stats-interval-ms', '0'],
          ...['--metrics-port', '0', '--log-level', 'debug', '--es-username', 'elastic'],
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRIBUTARY_ES_PASSWORD: password } },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const until = Date.now() + 60_000;
      const metricsUrl = (): string | undefined => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)?.[1];
      while (metricsUrl() === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      const url = metricsUrl();
      expect(url, stderr.slice(-3000)).toBeDefined();
      let metrics = '';
      while (Date.now() < until) {
        metrics = await (await fetch(`${url}/metrics`)).text();
        if (metrics.includes(`tributary_es_sink_documents_total{outcome="indexed"} ${records}\n`)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(metrics).toContain(`tributary_es_sink_documents_total{outcome="indexed"} ${records}\n`);
      expect(metrics).toContain('tributary_es_sink_documents_total{outcome="dead_lettered"} 0');
      expect(metrics).toMatch(/tributary_es_sink_bulk_duration_seconds_count [1-9]/);
      expect(metrics).toContain('tributary_es_sink_paused_partitions 0');
      expect(metrics).toMatch(/process_resident_memory_bytes \d+/);
      expect(metrics).toMatch(/nodejs_eventloop_lag_seconds /);
      expect(metrics).toMatch(/nodejs_heap_size_used_bytes \d+/);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        live: true,
        ready: true,
        consumerJoined: true,
        elasticsearchReachable: true,
        assignedPartitions: [0, 1],
      });
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      await es.indices.refresh({ index });
      expect((await es.count({ index })).count).toBe(records);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('"msg":"metrics server listening"');
      expect(stderr).toContain('"level":"debug"');
      expect(stderr).not.toContain(password);
    } finally {
      await admin.deleteTopics({ topics: [topic, `${topic}-dlq`] }).catch(() => undefined);
      await es.indices.delete({ index, ignore_unavailable: true }, { ignore: [404] });
      await Promise.all([admin.disconnect(), producer.disconnect(), es.close()]);
    }
  });
});
