import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaHarness, uniqueName } from '../helpers/kafka-harness.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const brokers = inject('kafkaBrokers');

describe('tributary-processor clickstream --metrics-port 0 --log-level info', () => {
  const harness = new KafkaHarness(brokers);
  const suffix = uniqueName('climetrics');

  beforeAll(async () => {
    await harness.connect();
  });
  afterAll(async () => {
    await harness.cleanup([`${suffix}-app`, `${suffix}-app-merge`], [suffix]);
  });

  it('prints the metrics URL, serves /metrics and /health, writes JSON logs and stops on SIGTERM', async () => {
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
        `--dead-letter-topic=${suffix}-dlq`,
        `--repartition-topic=${suffix}-repartition`,
        '--commit-interval-ms=100',
        '--metrics-port=0',
        '--log-level=info',
      ],
      { env: { PATH: process.env['PATH'] ?? '' } },
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
      expect(await health.json()).toMatchObject({ live: true, ready: true, state: 'running' });
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toContain(`tributary_processor_active_tasks{stage="${suffix}-app"} 2`);
      expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
      expect(text).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
      expect((await fetch(`${url}/nope`)).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const logs = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['name'] === 'tributary-processor');
    const messages = logs.map((l) => l['msg']);
    expect(messages).toContain('job starting');
    expect(messages).toContain('metrics server listening');
    expect(messages).toContain('partitions assigned');
    expect(messages).toContain('job running');
    expect(messages).toContain('job stopped');
    expect(logs.every((l) => typeof l['time'] === 'string' && typeof l['level'] === 'string')).toBe(true);
  }, 120_000);
});
