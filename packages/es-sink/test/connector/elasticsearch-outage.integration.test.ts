import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaEsConnector } from '../../src/connector/kafka-es-connector.js';
import { WINDOW_DOCUMENT_MAPPINGS } from '@tributary/schema';
import { SINK_METRIC_NAMES as N } from '../../src/metrics/metric-names.js';
import { ConnectorFixture, waitFor, windowRecord } from '../helpers/connector-fixture.js';
import { metricValue } from '../helpers/metric-values.js';

const fixture = new ConnectorFixture(inject('kafkaBrokers'), inject('elasticsearchUrl'));
const esPid = inject('elasticsearchPid');

/** How long Elasticsearch stays suspended: many flush intervals, request timeouts and retry rounds. */
const SUSPENDED_MS = 25_000;
const HIGH_WATER_MARK = 60;
const LOW_WATER_MARK = 30;
const MAX_BUFFERED_DOCS = 100;

/** SIGSTOP / SIGCONT to the Elasticsearch process group (launcher and server JVM), resumed on any exit. */
function suspender(pid: number): { suspend(): void; resume(): void } {
  const resume = (): void => {
    try {
      process.kill(-pid, 'SIGCONT');
    } catch {
      // Already gone: nothing to resume.
    }
  };
  return {
    suspend() {
      process.once('exit', resume);
      process.kill(-pid, 'SIGSTOP');
    },
    resume() {
      resume();
      process.removeListener('exit', resume);
    },
  };
}

beforeAll(() => fixture.open());
afterAll(() => fixture.close());

describe('connector while Elasticsearch is suspended (SIGSTOP)', () => {
  it('acknowledges nothing early, stays within its memory bounds, then indexes every record exactly once', async () => {
    if (esPid === undefined) {
      throw new Error(
        'the Elasticsearch pid is unknown: this test suspends Elasticsearch with SIGSTOP, so it needs a node the ' +
          'devstack started (now, or earlier with `tributary-devstack up` and its state file) — the node on ' +
          `${inject('elasticsearchUrl')} was not; run the integration tests against a devstack-managed stack`,
      );
    }
    // The process group exists and we may signal it (throws ESRCH / EPERM otherwise).
    process.kill(-esPid, 0);
    const es = suspender(esPid);
    const topic = await fixture.createTopic('es-sink-suspend', 2);
    const dlq = fixture.own(`${topic}-dlq`);
    const index = topic;
    const groupId = `${topic}-group`;
    const registry = new Registry();
    const connector = createKafkaEsConnector({
      brokers: fixture.brokers,
      topic,
      groupId,
      commitIntervalMs: 200,
      healthCheckIntervalMs: 500,
      highWaterMark: HIGH_WATER_MARK,
      lowWaterMark: LOW_WATER_MARK,
      shutdownTimeoutMs: 5000,
      registry,
      sink: {
        node: fixture.esUrl,
        index,
        flushIntervalMs: 100,
        flushDocs: 20,
        maxBufferedDocs: MAX_BUFFERED_DOCS,
        requestTimeoutMs: 1000,
        retryInitialDelayMs: 100,
        retryMaxDelayMs: 1000,
        template: {
          name: index,
          indexPatterns: [index],
          mappings: WINDOW_DOCUMENT_MAPPINGS,
          replicas: 0,
        },
      },
    });
    await fixture.send(
      topic,
      Array.from({ length: 100 }, (_, i) => windowRecord(i)),
    );
    await connector.start();
    try {
      await waitFor(() => fixture.allCommitted(groupId, topic), 'the first 100 records are committed');
      expect(await fixture.count(index)).toBe(100);
      const before = await fixture.committed(groupId, topic);
      expect([...before.values()].reduce((a, b) => a + b, 0)).toBe(100);

      const samples: Array<{ pending: number; buffered: number; retrying: number; paused: boolean }> = [];
      let retryingMetric = 0;
      es.suspend();
      try {
        await fixture.send(
          topic,
          Array.from({ length: 300 }, (_, i) => windowRecord(100 + i)),
        );
        const until = Date.now() + SUSPENDED_MS;
        while (Date.now() < until) {
          await new Promise((r) => setTimeout(r, 500));
          // Nothing written while Elasticsearch is suspended is acknowledged: commits stay where they were.
          expect(await fixture.committed(groupId, topic)).toEqual(before);
          expect(connector.committedOffsets()).toEqual(before);
          const s = connector.stats;
          samples.push({
            pending: s.pending,
            buffered: s.sink.buffered,
            retrying: s.sink.retrying,
            paused: s.paused,
          });
          retryingMetric = Math.max(retryingMetric, (await metricValue(registry, N.retryingDocuments)) ?? 0);
        }
        // Memory stays bounded however long the outage: records pending ≤ the high-water mark, documents
        // buffered in the sink ≤ maxBufferedDocs (and ≤ pending), fetching paused.
        expect(Math.max(...samples.map((s) => s.pending))).toBeLessThanOrEqual(HIGH_WATER_MARK);
        expect(Math.max(...samples.map((s) => s.buffered))).toBeLessThanOrEqual(MAX_BUFFERED_DOCS);
        expect(samples.every((s) => s.buffered <= s.pending)).toBe(true);
        expect(samples.at(-1)).toMatchObject({ pending: HIGH_WATER_MARK, paused: true });
        expect(connector.stats.consumed).toBe(100 + HIGH_WATER_MARK);
        // The documents waiting are visible, and none was given up.
        expect(retryingMetric).toBeGreaterThan(0);
        expect(samples.at(-1)?.retrying).toBe(HIGH_WATER_MARK);
        expect(await metricValue(registry, N.pausedPartitions)).toBe(2);
        expect(await metricValue(registry, N.oldestUnacknowledgedAge)).toBeGreaterThan(
          SUSPENDED_MS / 1000 - 5,
        );
        expect(connector.stats.sink.failed).toBe(0);
        expect(connector.health()).toMatchObject({ live: true, ready: false });
        expect(connector.stats.sink.retried).toBeGreaterThan(HIGH_WATER_MARK);
      } finally {
        es.resume();
      }

      await waitFor(
        () => fixture.allCommitted(groupId, topic),
        'every record is committed after SIGCONT',
        120_000,
      );
      // Exactly once: 400 distinct ids were produced, 400 documents exist (retries and requests Elasticsearch
      // applied after their timeout are the same ids, hence version conflicts, never second copies).
      expect(await fixture.count(index)).toBe(400);
      expect(await fixture.committed(groupId, topic)).toEqual(await fixture.endOffsets(topic));
      expect(connector.stats).toMatchObject({ consumed: 400, pending: 0, deadLettered: 0 });
      expect(connector.stats.sink).toMatchObject({ failed: 0, retrying: 0, buffered: 0 });
      expect(await fixture.endOffsets(dlq)).toEqual(new Map([[0, 0]]));
      expect(await metricValue(registry, N.retryingDocuments)).toBe(0);
      expect(await metricValue(registry, N.oldestUnacknowledgedAge)).toBe(0);
    } finally {
      es.resume();
      await connector.stop();
    }
  });
});
