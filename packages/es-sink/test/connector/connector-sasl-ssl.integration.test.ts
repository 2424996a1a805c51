import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { createKafkaClient, kafkaSecurity } from '@tributary/kafka';
import { WINDOW_DOCUMENT_MAPPINGS } from '@tributary/schema';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startSecuredKafka } from '../../../../test/helpers/secured-kafka.js';
import { createKafkaEsConnector } from '../../src/connector/kafka-es-connector.js';
import { windowRecord, waitFor } from '../helpers/connector-fixture.js';

/**
 * The connector reading a broker that speaks only SASL_SSL to clients (certificates made with keytool, SCRAM users
 * created with Kafka's ConfigCommand) into the devstack's Elasticsearch: every record indexed and committed over
 * TLS + SCRAM-SHA-512; a wrong password fails the start naming the options, instead of being retried as an outage.
 */
const kafka = await startSecuredKafka(inject('kafkaTools'));
const es = new Client({ node: inject('elasticsearchUrl') });
const suffix = randomUUID().slice(0, 8);
const topic = `es-sink-sasl-${suffix}`;
const index = `es-sink-sasl-windows-${suffix}`;

afterAll(async () => {
  await es.indices.delete({ index, ignore_unavailable: true }, { ignore: [404] });
  await es.indices.deleteIndexTemplate({ name: index }, { ignore: [404] });
  await es.close();
  await kafka.stop();
});

const connectorFor = async (password: string, groupId: string) =>
  createKafkaEsConnector({
    brokers: kafka.brokers,
    topic,
    groupId,
    commitIntervalMs: 200,
    ...(await kafkaSecurity({
      kafkaCaFile: kafka.caFile,
      kafkaSaslMechanism: 'scram-sha-512',
      kafkaSaslUsername: kafka.username,
      kafkaSaslPassword: password,
    })),
    sink: {
      node: inject('elasticsearchUrl'),
      index,
      flushIntervalMs: 100,
      template: { name: index, indexPatterns: [index], mappings: WINDOW_DOCUMENT_MAPPINGS, replicas: 0 },
    },
  });

describe('Kafka → Elasticsearch connector over SASL_SSL', () => {
  it('indexes and commits every record through TLS + SCRAM-SHA-512', async () => {
    // Set up through the PLAINTEXT listener; the connector uses SASL_SSL only.
    const plain = createKafkaClient({ clientId: `es-sink-sasl-${suffix}`, brokers: kafka.plaintextBrokers });
    const admin = plain.admin();
    const producer = plain.producer();
    await admin.connect();
    await producer.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
      await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => windowRecord(i)) });
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
    const connector = await connectorFor(kafka.password, `es-sink-sasl-${suffix}`);
    await connector.start();
    try {
      await waitFor(async () => {
        await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
        return (await es.count({ index, ignore_unavailable: true, allow_no_indices: true })).count === 50;
      }, 'the 50 windows are indexed');
      await waitFor(
        () => [0, 1].reduce((n, p) => n + (connector.committedOffsets().get(p) ?? 0), 0) === 50,
        'every offset is committed',
      );
    } finally {
      await connector.stop();
    }
  });

  it('fails the start with a wrong password, naming the options and never showing it', async () => {
    const connector = await connectorFor('not-the-password-4be2', `es-sink-sasl-bad-${suffix}`);
    const error = await connector.start().then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string; retriable?: boolean },
    );
    await connector.stop().catch(() => undefined);
    expect(error).toMatchObject({ code: 'TRIB_SINK_INVALID_OPTION', retriable: false });
    expect(error!.message).toMatch(/refused the SASL credentials: check --kafka-sasl-mechanism/);
    expect(error!.message).not.toContain('not-the-password-4be2');
  });
});
