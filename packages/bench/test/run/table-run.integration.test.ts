import { Client } from '@elastic/elasticsearch';
import { createKafkaClient } from '@tributary/kafka';
import { describe, expect, inject, it } from 'vitest';
import { findProcesses } from '../../src/resources/proc-stat.js';
import { createResults } from '../../src/report/create-results.js';
import { collectEnvironment } from '../../src/report/environment.js';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { renderTable } from '../../src/report/table.js';
import { runTableOnce } from '../../src/run/table-run.js';

describe('runTableOnce against the real Kafka and Elasticsearch', () => {
  it('measures every row and accounts for every event (lost 0, duplicated 0)', async () => {
    const brokers = inject('kafkaBrokers');
    const elasticsearchUrl = inject('elasticsearchUrl');
    const progress: string[] = [];
    const [kafkaPid] = await findProcesses(/kafka\.Kafka/);
    const [esPid] = await findProcesses(/org\.elasticsearch\.bootstrap\.Elasticsearch/);
    const run = await runTableOnce({
      run: 1,
      brokers,
      esConnection: { esUrl: [elasticsearchUrl] },
      ratePerSec: 200,
      durationMs: 3000,
      warmupMs: 1000,
      partitions: 2,
      kafka: { version: null, startupMs: null, pid: kafkaPid },
      elasticsearch: { version: null, startupMs: null, pid: esPid },
      workload: {
        windowSizeMs: 2000,
        outOfOrdernessMs: 500,
        idleTimeoutMs: 1000,
        pages: 10,
        pollIntervalMs: 100,
      },
      settleTimeoutMs: 60_000,
      log: (line) => progress.push(line),
    });

    // About 200/s × 4 s; every acknowledged event must be counted once in Elasticsearch.
    expect(run.correctness.produced).toBeGreaterThan(700);
    expect(run.correctness.counted).toBe(
      run.correctness.produced - run.correctness.late - run.correctness.deadLettered,
    );
    expect(run.correctness.lost).toBe(0);
    expect(run.correctness.duplicated).toBe(0);
    const row = (c: string) => run.components.find((r) => r.component === c)!;
    expect(row('kafka').throughputPerSec).toBeGreaterThan(0);
    expect(row('kafka').latencyMs?.p99).toBeGreaterThan(0);
    expect(row('processor').startupMs).toBeGreaterThan(0);
    expect(row('processor').latencyMs?.max).toBeGreaterThanOrEqual(row('processor').latencyMs!.p50);
    expect(row('end-to-end').latencyMs?.p50).toBeGreaterThan(0);
    expect(row('elasticsearch').latencyMs).not.toBeNull();
    expect(row('processor').rssMB).toBeGreaterThan(0);
    // Measured inside the processor child and sent back over IPC.
    expect(row('kafka-to-processor').throughputPerSec).toBeGreaterThan(0);
    expect(row('kafka-to-processor').latencyMs?.p50).toBeGreaterThan(0);
    expect(row('processor').eventLoopDelayP99Ms).toBeGreaterThan(0);
    expect(row('processor').eventLoopDelayMaxMs).toBeGreaterThanOrEqual(
      row('processor').eventLoopDelayP99Ms!,
    );
    // Final window documents acknowledged by the bulk request before they are searchable.
    expect(row('es-acknowledged').latencyMs?.p50).toBeGreaterThan(0);
    expect(row('es-acknowledged').latencyMs!.p50).toBeLessThanOrEqual(row('end-to-end').latencyMs!.max);
    // The raw-event path (--enriched-events): indexed (bulk ack) and searchable.
    expect(row('raw-indexed').latencyMs?.p50).toBeGreaterThan(0);
    expect(row('raw-searchable').latencyMs?.p50).toBeGreaterThan(0);
    expect(row('bench').eventLoopDelayP50Ms).toBeGreaterThan(0);
    expect(row('bench').cpuPercent).toBeGreaterThan(0);
    if (kafkaPid !== undefined) expect(row('kafka').rssMB).toBeGreaterThan(0);

    const results = createResults({
      environment: await collectEnvironment({ java: null }),
      workload: {
        scenario: 'table',
        ratePerSec: 200,
        durationMs: 3000,
        warmupMs: 1000,
        partitions: 2,
        runs: 1,
        params: { windowSizeMs: 2000 },
      },
      runs: [run],
    });
    expect(run.series.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'produced per second',
        'schedule lag p99 per second',
        'windows searchable',
        'CPU processor',
      ]),
    );
    expect(run.series.find((s) => s.name === 'produced per second')!.points.length).toBeGreaterThan(0);
    expect(renderTable(results)).toContain('lost 0 · duplicated 0');

    // The run removed its topics, indices and index template (all named after the run id).
    const id = /bench-[a-z0-9]+-[0-9a-f]{6}/.exec(progress.join('\n'))?.[0];
    expect(id).toBeDefined();
    const admin = createKafkaClient({ clientId: 'bench-check', brokers }).admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics.filter((t) => t.startsWith(id!))).toEqual([]);
    const es = new Client({ node: elasticsearchUrl });
    const indices = await es.cat.indices({ index: `${id!}-*`, format: 'json' });
    await es.close();
    expect(indices).toEqual([]);
    const es2 = new Client({ node: elasticsearchUrl });
    const rawIndices = await es2.cat.indices({ index: `raw-${id!}-*`, format: 'json' });
    await es2.close();
    expect(rawIndices).toEqual([]);
    expect(renderHtmlReport(results)).toContain('end-to-end latency by percentile');
  });
});
