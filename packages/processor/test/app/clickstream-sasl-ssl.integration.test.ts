import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { kafkaSecurity } from '@tributary/kafka';
import { runLoad } from '@tributary/producer';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { securedKafkaFlags, startSecuredKafka } from '../../../../test/helpers/secured-kafka.js';
import { createClickstreamApp } from '../../src/app/clickstream.js';
import { CLICKSTREAM_RULES as RULES } from '../helpers/clickstream-rules.js';
import { testProcessorConfig } from '../helpers/clickstream-config.js';
import { useClickstreamSuite } from '../helpers/clickstream-suite.js';
import { resultMismatches } from '../helpers/window-results.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/**
 * The reference pipeline through a broker that only speaks SASL_SSL to clients (certificates made with keytool,
 * SCRAM users created with Kafka's ConfigCommand): the producer writes the input, the processor computes the windows,
 * both over TLS with SCRAM-SHA-512, and the results equal the ground truth. Wrong credentials fail at start-up naming
 * the options, instead of being waited out as an outage.
 */
const kafka = await startSecuredKafka(inject('kafkaTools'));

afterAll(async () => {
  await kafka.stop();
});

const security = {
  kafkaCaFile: kafka.caFile,
  kafkaSaslMechanism: 'scram-sha-512',
  kafkaSaslUsername: kafka.username,
} as const;

describe('clickstream pipeline over SASL_SSL', () => {
  // Topics are set up and results read through the broker's PLAINTEXT listener; the pipeline uses SASL_SSL only.
  const { harness, suffix, topics } = useClickstreamSuite(kafka.plaintextBrokers, 'sasl', 3, (s) => [
    `${s}-app`,
    `${s}-app-merge`,
  ]);

  it('producer and processor over TLS + SCRAM-SHA-512: every window equals the ground truth', async () => {
    const report = await runLoad({
      ...RULES,
      ...security,
      kafkaSaslPassword: kafka.password,
      brokers: kafka.brokers,
      topic: topics.inputTopic,
      count: 1_500,
      rate: 0,
      // Event time in the past, so idle partitions let the watermark close every window.
      eventTimeOriginMs: Date.UTC(2026, 0, 1),
      eventsPerSecond: 2,
      seed: 3,
      pages: 10,
      users: 40,
      progressIntervalMs: 0,
    });
    expect(report.sent).toBe(1_500);
    const config = testProcessorConfig({
      ...topics,
      ...security,
      kafkaSaslPassword: kafka.password,
      applicationId: `${suffix}-app`,
      brokers: kafka.brokers,
      elasticsearch: false,
    });
    const app = createClickstreamApp(config, { kafkaSecurity: await kafkaSecurity(config) });
    const results = harness.tail(topics.resultsTopic);
    await app.start();
    try {
      await results.start();
      await results.waitFor((r) => resultMismatches(report.manifest, r).length === 0, 90_000);
      expect(resultMismatches(report.manifest, results.records)).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('the processor CLI with a wrong password exits at start-up naming the options', async () => {
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          CLI,
          'clickstream',
          '--brokers',
          kafka.brokers.join(','),
          '--input-topic',
          topics.inputTopic,
          '--application-id',
          `${suffix}-bad`,
          '--no-elasticsearch',
          ...securedKafkaFlags(kafka, 'scram-sha-512'),
        ],
        {
          env: { PATH: process.env['PATH'] ?? '', TRIBUTARY_KAFKA_SASL_PASSWORD: 'not-the-password' },
        },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('TRIB_KAFKA_INVALID_OPTION');
    expect(run.stderr).toContain('--kafka-sasl-username');
    expect(run.stderr).toContain('TRIBUTARY_KAFKA_SASL_PASSWORD');
    expect(run.stderr).not.toContain('not-the-password');
  });
});
