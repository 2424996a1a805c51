import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from '@tributary/producer';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createClickstreamApp } from '../../src/app/clickstream.js';
import type { ClickstreamApp } from '../../src/app/clickstream.js';
import { PROCESSOR_METRIC_NAMES } from '@tributary/schema';
import { CLICKSTREAM_RULES as RULES } from '../helpers/clickstream-rules.js';
import { testProcessorConfig } from '../helpers/clickstream-config.js';
import { useClickstreamSuite } from '../helpers/clickstream-suite.js';
import { deleteIndices, elasticsearchClient } from '../helpers/elasticsearch.js';

const brokers = inject('kafkaBrokers');
const esUrl = inject('elasticsearchUrl');
const PARTITIONS = 2;
const EVENTS = 3_000;
const ALERTS = fileURLToPath(new URL('../../prometheus/alerts.yml', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

describe('a real Prometheus server scraping the clickstream job', () => {
  const { suffix, topics } = useClickstreamSuite(brokers, 'prom', PARTITIONS, (s) =>
    ['', '-merge', '-elasticsearch'].map((stage) => `${s}-app${stage}`),
  );
  const applicationId = `${suffix}-app`;
  const indexPrefix = `${suffix}-metrics-idx`;
  const es = elasticsearchClient(esUrl);
  const dir = mkdtempSync(join(tmpdir(), 'tributary-prometheus-'));
  let prometheus: ChildProcess | undefined;
  let prometheusLog = '';
  let app: ClickstreamApp | undefined;

  afterAll(async () => {
    if (prometheus !== undefined && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (prometheus.exitCode === null) prometheus.kill('SIGKILL');
    }
    await app?.stop();
    await deleteIndices(es, indexPrefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back records_in_total equal to what the job consumed, with the alert rules loaded', async () => {
    const report = await runLoad({
      ...RULES,
      brokers,
      topic: topics.inputTopic,
      partitions: PARTITIONS,
      count: EVENTS,
      rate: 0,
      // Event time in the past, so idle partitions let the watermark close every window.
      eventTimeOriginMs: Date.now() - 600_000,
      eventsPerSecond: 10,
      seed: 7,
      pages: 10,
      users: 50,
      malformedRate: 0.02,
      lateRate: 0.02,
      progressIntervalMs: 0,
    });
    expect(report.sent).toBe(EVENTS);
    const { deadLettered, late } = report.manifest.totals;
    expect(deadLettered).toBeGreaterThan(0);
    expect(late).toBeGreaterThan(0);

    app = createClickstreamApp(
      testProcessorConfig({
        ...topics,
        applicationId,
        brokers,
        esUrl,
        indexPrefix,
        metricsPort: 0,
      }),
    );
    await app.start();
    const metricsUrl = app.metricsUrl;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const registry = app.job.registry!;

    // Health: live at once, ready once both stages joined their groups and restored their tasks and the embedded
    // Elasticsearch connector joined its group and reached Elasticsearch.
    expect((await fetch(`${metricsUrl}/health/live`)).status).toBe(200);
    const health = await waitFor(
      'the job to be ready',
      async () => {
        const res = await fetch(`${metricsUrl}/health`);
        return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
      },
      30_000,
    );
    expect(health).toMatchObject({
      live: true,
      ready: true,
      job: { live: true, ready: true, state: 'running' },
      elasticsearch: { live: true, ready: true, consumerJoined: true, elasticsearchReachable: true },
    });
    const job = health['job'] as Record<string, unknown>;
    expect(Object.keys(job['stages'] as object).sort()).toEqual([applicationId, `${applicationId}-merge`]);
    expect(app.health().ready).toBe(true);

    const port = await freePort();
    const promUrl = `http://127.0.0.1:${port}`;
    const target = new URL(metricsUrl!).host;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'rule_files:',
        `  - ${JSON.stringify(ALERTS)}`,
        'scrape_configs:',
        '  - job_name: tributary-processor',
        '    static_configs:',
        `      - targets: [${JSON.stringify(target)}]`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      '/usr/bin/prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (c: Buffer) => (prometheusLog += c.toString()));
    prometheus.stderr!.on('data', (c: Buffer) => (prometheusLog += c.toString()));

    const query = async (promql: string): Promise<VectorSample[]> => {
      const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as { status: string; data: { result: VectorSample[] } };
      if (body.status !== 'success') throw new Error(JSON.stringify(body));
      return body.data.result;
    };
    const inProcess = async (): Promise<Map<string, number>> => {
      const metric = await registry.getSingleMetric(PROCESSOR_METRIC_NAMES.recordsIn)!.get();
      const byStage = new Map<string, number>();
      for (const v of metric.values) {
        const stage = String(v.labels['stage']);
        byStage.set(stage, (byStage.get(stage) ?? 0) + v.value);
      }
      return byStage;
    };

    // Prometheus' answer must equal what the job consumed: EVENTS in stage 1, and per stage exactly the job's
    // own counter (the merge stage also reads the partials and watermarks of the repartition topic).
    const scraped = await waitFor(
      'Prometheus to return the consumed record count',
      async () => {
        const result = await query(PROCESSOR_METRIC_NAMES.recordsIn);
        const byStage = new Map<string, number>();
        for (const r of result) {
          const stage = r.metric['stage']!;
          byStage.set(stage, (byStage.get(stage) ?? 0) + Number(r.value[1]));
        }
        const local = await inProcess();
        const settled =
          byStage.get(applicationId) === EVENTS &&
          local.size === byStage.size &&
          [...local].every(([stage, n]) => byStage.get(stage) === n);
        return settled ? { result, byStage } : undefined;
      },
      45_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nprometheus log:\n${prometheusLog}`);
    });
    expect(scraped.byStage.get(applicationId)).toBe(EVENTS);
    expect(app.job.metrics.recordsIn).toBe([...scraped.byStage.values()].reduce((a, b) => a + b, 0));
    for (const r of scraped.result) {
      expect(r.metric).toMatchObject({ job: 'tributary-processor', instance: target });
      expect(r.metric['__name__']).toBe(PROCESSOR_METRIC_NAMES.recordsIn);
    }

    // The default process metrics and the stage gauges arrive in the same scrape.
    expect((await query('process_resident_memory_bytes')).length).toBe(1);
    expect(
      (await query(`${PROCESSOR_METRIC_NAMES.consecutiveCommitFailures}{stage="${applicationId}"}`))[0]
        ?.value[1],
    ).toBe('0');

    // Late events, dead letters, fired windows and latency, as the ground truth of the generated load says.
    const total = async (promql: string): Promise<number> =>
      (await query(promql)).reduce((sum, r) => sum + Number(r.value[1]), 0);
    await waitFor(
      'late events and dead letters in Prometheus',
      async () =>
        (await total(`${PROCESSOR_METRIC_NAMES.deadLetters}{stage="${applicationId}"}`)) === deadLettered &&
        (await total(`${PROCESSOR_METRIC_NAMES.lateEvents}{stage="${applicationId}"}`)) === late
          ? true
          : undefined,
      30_000,
    );
    expect(
      await total(`${PROCESSOR_METRIC_NAMES.windowsFired}{stage="${applicationId}-merge",kind="final"}`),
    ).toBeGreaterThan(0);
    expect(
      await total(`${PROCESSOR_METRIC_NAMES.eventTimeLatency}_count{stage="${applicationId}-merge"}`),
    ).toBeGreaterThan(0);
    expect(
      (await query(`${PROCESSOR_METRIC_NAMES.stateEntries}{stage="${applicationId}"}`)).length,
    ).toBeGreaterThan(0);
    expect((await query(`${PROCESSOR_METRIC_NAMES.watermarkLag}{stage="${applicationId}"}`)).length).toBe(
      PARTITIONS,
    );
    expect((await query(`${PROCESSOR_METRIC_NAMES.idlePartitions}{stage="${applicationId}"}`)).length).toBe(
      1,
    );

    // The embedded Elasticsearch connector reports on the same registry.
    await waitFor(
      'the connector to index results',
      async () =>
        (await total('tributary_es_sink_documents_total{outcome="indexed"}')) > 0 ? true : undefined,
      30_000,
    );

    // The rules file is loaded and every rule evaluates without error.
    const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {
      status: string;
      data: {
        groups: { name: string; file: string; rules: { name: string; health: string; type: string }[] }[];
      };
    };
    expect(rules.status).toBe('success');
    const group = rules.data.groups.find((g) => g.name === 'tributary-processor');
    expect(group?.file).toBe(ALERTS);
    expect(group?.rules.map((r) => r.name).sort()).toEqual([
      'TributaryProcessorCommitsFailing',
      'TributaryProcessorConsumerLagHigh',
      'TributaryProcessorDeadLetterRateHigh',
      'TributaryProcessorDedupEvicting',
      'TributaryProcessorStateLimitReached',
      'TributaryProcessorWatermarkLagHigh',
      'TributaryProcessorWatermarkStalled',
    ]);
    expect(group?.rules.every((r) => r.type === 'alerting')).toBe(true);
    await waitFor(
      'every rule to be evaluated',
      async () => {
        const body = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as typeof rules;
        const g = body.data.groups.find((x) => x.name === 'tributary-processor');
        return g !== undefined && g.rules.every((r) => r.health === 'ok') ? true : undefined;
      },
      15_000,
    );
  }, 120_000);
});
