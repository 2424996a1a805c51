import { Client } from '@elastic/elasticsearch';
import { createKafkaClient } from '@tributary/kafka';
import { describe, expect, inject, it } from 'vitest';
import type { Figure, RunResult } from '../../src/report/results.js';
import { runGatewayOnce } from '../../src/scenarios/gateway-scenario.js';
import { runMaxThroughputOnce } from '../../src/scenarios/max-throughput-scenario.js';
import { runPeersOnce } from '../../src/scenarios/peers-scenario.js';
import { runQueriesOnce } from '../../src/scenarios/queries-scenario.js';
import type { ScenarioContext } from '../../src/scenarios/scenario-run.js';

function value(run: RunResult, name: string): number | null | undefined {
  return run.figures?.find((f: Figure) => f.name === name)?.value;
}

describe('gateway, queries, peers and max-throughput against the real Kafka and Elasticsearch', () => {
  const lines: string[] = [];
  const ctx = (): ScenarioContext => ({
    run: 1,
    brokers: inject('kafkaBrokers'),
    esConnection: { esUrl: [inject('elasticsearchUrl')] },
    log: (line) => lines.push(line),
  });

  it('measures each scenario for a few seconds and leaves no topic or index behind', async () => {
    const gateway = await runGatewayOnce(ctx(), {
      requestsPerSec: 20,
      eventsPerRequest: 10,
      durationMs: 2000,
      partitions: 1,
    });
    expect(value(gateway, 'gateway.requests-2xx')).toBeGreaterThan(0);
    expect(value(gateway, 'gateway.events')).toBeCloseTo(value(gateway, 'gateway.requests-2xx')! * 10, 6);
    expect(value(gateway, 'gateway.latency.p99')).toBeGreaterThan(0);
    expect(value(gateway, 'gateway.status.200')).toBeGreaterThan(0);

    const queries = await runQueriesOnce(ctx(), {
      queriesPerSec: 10,
      durationMs: 1500,
      ingestDocsPerSec: 200,
      pages: 20,
      historyMinutes: 3,
    });
    for (const q of ['top-pages', 'clicks-vs-views']) {
      expect(value(queries, `queries.${q}.requests-2xx`)).toBeGreaterThan(0);
      expect(value(queries, `queries.${q}.non-2xx`)).toBe(0);
      expect(value(queries, `queries.${q}.latency.p50`)).toBeGreaterThan(0);
    }
    expect(value(queries, 'queries.ingest.documents')).toBeGreaterThan(60);
    expect(value(queries, 'queries.ingest.dead-lettered')).toBe(0);

    const peers = await runPeersOnce(ctx(), { records: 2000, documents: 1000, partitions: 1 });
    for (const comparison of ['producer', 'consumer', 'bulk']) {
      expect(value(peers, `peers.${comparison}.ratio`)).toBeGreaterThan(0);
    }
    expect(value(peers, 'peers.producer.kafka-producer-perf')).toBeGreaterThan(0);
    expect(value(peers, 'peers.consumer.kafka-consumer-perf')).toBeGreaterThan(0);

    const max = await runMaxThroughputOnce(ctx(), {
      startRate: 200,
      stepFactor: 2,
      maxRate: 400,
      stepMs: 1500,
      stepWarmupMs: 500,
      budgetMs: 10_000,
      partitions: 1,
    });
    expect(value(max, 'max-throughput.steps')).toBeGreaterThanOrEqual(1);
    expect(lines.filter((l) => l.startsWith('max-throughput:')).length).toBeGreaterThanOrEqual(1);
    const lastStable = value(max, 'max-throughput.last-stable-rate');
    if (lastStable !== null) expect([200, 400]).toContain(lastStable);

    const admin = createKafkaClient({ clientId: 'bench-check', brokers: inject('kafkaBrokers') }).admin();
    await admin.connect();
    const es = new Client({ node: inject('elasticsearchUrl') });
    try {
      const ids = [
        ...new Set(
          lines.join('\n').match(/bench-(gateway|queries|peers|maxtp)-[a-z0-9]+-[0-9a-f]{6}/g) ?? [],
        ),
      ];
      expect(ids).toHaveLength(4);
      const topics = await admin.listTopics();
      for (const id of ids) expect(topics.filter((t) => t.startsWith(id))).toEqual([]);
      const indices = Object.keys(
        await es.indices.get({ index: 'bench-queries-*,bench-peers-*', allow_no_indices: true }),
      );
      for (const id of ids) expect(indices.filter((i) => i.startsWith(id))).toEqual([]);
    } finally {
      await admin.disconnect();
      await es.close();
    }
  });
});
