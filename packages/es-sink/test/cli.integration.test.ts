import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import { encodeWindowResult } from '@tributary/schema';
import { Kafka, logLevel } from 'kafkajs';
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
    const kafka = new Kafka({ clientId: groupId, brokers, logLevel: logLevel.NOTHING });
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
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await es.indices.delete({ index, ignore_unavailable: true }, { ignore: [404] });
      await Promise.all([admin.disconnect(), producer.disconnect(), es.close()]);
    }
  });
});
