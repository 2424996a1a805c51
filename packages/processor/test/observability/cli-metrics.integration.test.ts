import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaHarness, uniqueName } from '../helpers/kafka-harness.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const brokers = inject('kafkaBrokers');

describe('tributary-processor clickstream --metrics-port 0 --dashboard-port 0 (default log level)', () => {
  const harness = new KafkaHarness(brokers);
  const suffix = uniqueName('climetrics');

  beforeAll(async () => {
    await harness.connect();
  });
  afterAll(async () => {
    await harness.cleanup([`${suffix}-app`, `${suffix}-app-merge`], [suffix]);
  });

  it('prints the metrics and dashboard URLs, serves /metrics, /health and the page, logs at info (kafkajs included) and stops on SIGTERM', async () => {
    if (!existsSync(CLI))
      throw new Error(`${CLI} is missing: run \`npx nx build @tributary/processor\` first`);
    await harness.createTopic(`${suffix}-events`, 2);
    const child = spawn(
      process.execPath,
      [
        CLI,
        'clickstream',
        '--no-elasticsearch',
        `--brokers=${brokers.join(',')}`,
        `--application-id=${suffix}-app`,
        `--input-topic=${suffix}-events`,
        `--results-topic=${suffix}-metrics`,
        `--late-topic=${suffix}-late`,
        `--late-partials-topic=${suffix}-late-partials`,
        `--index-dead-letter-topic=${suffix}-index-dlq`,
        `--dead-letter-topic=${suffix}-dlq`,
        `--repartition-topic=${suffix}-repartition`,
        '--commit-interval-ms=100',
        '--metrics-port=0',
      ],
      // The dashboard through the environment: the same option as --dashboard-port.
      { env: { PATH: process.env['PATH'] ?? '', TRIBUTARY_DASHBOARD_PORT: '0' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no metrics URL printed:\n${stdout}\n${stderr}`)),
          60_000,
        );
        const check = (): void => {
          const m = /metrics at (http:\/\/127\.0\.0\.1:\d+)\/metrics, health at /.exec(stdout);
          if (m !== null) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        };
        child.stdout.on('data', check);
        void exited.then(() => reject(new Error(`exited early:\n${stdout}\n${stderr}`)));
      });
      const deadline = Date.now() + 30_000;
      let health = await fetch(`${url}/health`);
      while (health.status !== 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        health = await fetch(`${url}/health`);
      }
      expect(health.status).toBe(200);
      // --no-elasticsearch: the job is the only component.
      const body = (await health.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ live: true, ready: true, job: { ready: true, state: 'running' } });
      expect(body).not.toHaveProperty('elasticsearch');
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toContain(`tributary_processor_active_tasks{stage="${suffix}-app"} 2`);
      expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
      expect(text).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
      expect((await fetch(`${url}/nope`)).status).toBe(404);

      const dashboard = /dashboard at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
      expect(dashboard, stdout).toBeDefined();
      const view = (await (await fetch(`${dashboard}api/dashboard`)).json()) as Record<string, unknown>;
      expect(view).toMatchObject({
        elasticsearch: 'off',
        topPages: { rows: [], error: null },
        clicksVsViews: { error: null },
      });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const lines = stdout.split('\n').filter((l) => l !== '');
    // Human progress lines stay plain text; everything else is one JSON object per line.
    const human = lines.filter((l) => !l.startsWith('{'));
    expect(human.every((l) => l.startsWith('tributary-processor: '))).toBe(true);
    expect(human.some((l) => l.includes('clickstream running'))).toBe(true);
    const logs = lines
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['name'] === 'tributary-processor');
    expect(logs.every((l) => ['info', 'warn', 'error'].includes(String(l['level'])))).toBe(true);
    // kafkajs' own lines come through pino, tagged with their namespace.
    const kafkajs = logs.filter((l) => typeof l['kafkajs'] === 'string');
    expect(kafkajs.length, stdout).toBeGreaterThan(0);
    expect(kafkajs.some((l) => l['kafkajs'] === 'Consumer')).toBe(true);
    const messages = logs.map((l) => l['msg']);
    expect(messages).toContain('job starting');
    expect(messages).toContain('metrics server listening');
    expect(messages).toContain('partitions assigned');
    expect(messages).toContain('job running');
    expect(messages).toContain('job stopped');
    expect(logs.every((l) => typeof l['time'] === 'string' && typeof l['level'] === 'string')).toBe(true);
  }, 120_000);
});
