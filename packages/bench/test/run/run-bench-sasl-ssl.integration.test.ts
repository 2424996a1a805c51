import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { securedKafkaFlags, startSecuredKafka } from '../../../../test/helpers/secured-kafka.js';
import { main, nodeIo } from '../../src/cli/main.js';
import { validateResults } from '../../src/report/validate-results.js';
import { runBench } from '../../src/run/run-bench.js';

/**
 * `bench run --brokers` against a broker that speaks only SASL_SSL to clients (certificates made with keytool, SCRAM
 * users created with Kafka's ConfigCommand): every client, the producer and the processor child of the `table`
 * scenario go through TLS + SCRAM-SHA-512, and nothing is lost or duplicated. Elasticsearch is the devstack's.
 */
const kafka = await startSecuredKafka(inject('kafkaTools'));

afterAll(async () => {
  await kafka.stop();
});

async function bench(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    ...nodeIo(runBench),
    env: { ...process.env, ...env },
    stdout: (t: string) => void out.push(t),
    stderr: (t: string) => void err.push(t),
  };
  const code = await main(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

describe('bench run against a secured broker', () => {
  const secured = ['--brokers', kafka.brokers.join(','), ...securedKafkaFlags(kafka, 'scram-sha-512')];
  const table = [
    '--scenarios',
    'table',
    '--duration',
    '2s',
    '--warmup',
    '1s',
    '--rate',
    '100',
    '--runs',
    '1',
  ];

  it('runs the table scenario over TLS + SCRAM-SHA-512 with nothing lost or duplicated', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'bench-run-sasl-'));
    try {
      const run = await bench([...table, '--partitions', '2', '--out', outDir, ...secured], {
        TRIBUTARY_KAFKA_SASL_PASSWORD: kafka.password,
      });
      expect(run.out).toContain('lost 0 · duplicated 0');
      expect(run.code).toBe(0);
      expect(`${run.out}\n${run.err}`).not.toContain(kafka.password);
      const json = (await readdir(outDir)).find((f) => f.endsWith('.json'))!;
      const results = validateResults(JSON.parse(await readFile(join(outDir, json), 'utf8')));
      expect(results.aggregate.correctness.lost).toBe(0);
      expect(results.aggregate.correctness.counted).toBe(results.aggregate.correctness.produced);
      expect(results.aggregate.correctness.produced).toBeGreaterThan(0);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });

  it('fails the scenario with a wrong password, never showing it', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'bench-run-sasl-bad-'));
    try {
      const run = await bench([...table, '--out', outDir, ...secured], {
        TRIBUTARY_KAFKA_SASL_PASSWORD: 'not-the-password-9c1e',
      });
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/table.*failed/);
      expect(`${run.out}\n${run.err}`).not.toContain('not-the-password-9c1e');
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
