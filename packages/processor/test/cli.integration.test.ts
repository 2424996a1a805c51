import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaHarness, uniqueName } from './helpers/kafka-harness.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const brokers = inject('kafkaBrokers');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(
  args: string[],
  env: Record<string, string> = {},
  onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void,
): Promise<Run> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx nx build @tributary/processor\` first`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tributary-processor CLI (built dist/cli.js)', () => {
  const harness = new KafkaHarness(brokers);
  const suffix = uniqueName('cli');

  beforeAll(async () => {
    await harness.connect();
  });
  afterAll(async () => {
    await harness.cleanup([`${suffix}-app`, `${suffix}-app-merge`], [suffix]);
  });

  it('prints help and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: tributary-processor clickstream');
    expect(run.stdout).toContain('--no-elasticsearch');
  });

  it('exits non-zero naming a bad option, from flags and from env', async () => {
    const flag = await runCli(['clickstream', '--commit-interval-ms', 'soon']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--commit-interval-ms must be a number (got "soon")');
    const env = await runCli(['clickstream'], { TRIBUTARY_PROCESSING_GUARANTEE: 'twice' });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain(
      'TRIBUTARY_PROCESSING_GUARANTEE must be one of exactly-once, at-least-once (got "twice")',
    );
  });

  it('prints the resolved configuration, the Elasticsearch credentials redacted', async () => {
    const run = await runCli(
      [
        'clickstream',
        '--print-config',
        '--window-size-ms',
        '30000',
        '--es-url',
        'http://elastic:hunter2@127.0.0.1:9200',
      ],
      { TRIBUTARY_INPUT_TOPIC: 'events-x' },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      windowSizeMs: 30_000,
      inputTopic: 'events-x',
      resultsTopic: 'clickstream-metrics',
      esUrl: ['http://***:***@127.0.0.1:9200'],
    });
    expect(run.stdout).not.toContain('hunter2');
  });

  it('fails start naming the missing input topic', async () => {
    const run = await runCli([
      'clickstream',
      '--no-elasticsearch',
      '--brokers',
      brokers.join(','),
      '--input-topic',
      `${suffix}-missing`,
      '--application-id',
      `${suffix}-app`,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TRIB_PROC_INPUT_TOPIC_MISSING');
  });

  it('runs the clickstream job and exits 0 on SIGTERM', async () => {
    await harness.createTopic(`${suffix}-events`, 2);
    const args = [
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
      '--log-level=nothing',
    ];
    let signalled = false;
    const run = await runCli(args, {}, (stdout, kill) => {
      if (!signalled && stdout.includes('clickstream running')) {
        signalled = true;
        kill('SIGTERM');
      }
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('clickstream running');
    expect(run.code).toBe(0);
  });
});
