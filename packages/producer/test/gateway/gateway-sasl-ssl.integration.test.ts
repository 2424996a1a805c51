import { decodeClickstreamEvent } from '@tributary/schema';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startSecuredKafka } from '../../../../test/helpers/secured-kafka.js';
import type { GatewayLogger } from '../../src/gateway/gateway-logger.js';
import { createIngestGateway } from '../../src/gateway/ingest-gateway.js';
import { readTopic, uniqueName } from '../helpers/kafka-test-utils.js';

/**
 * The ingest gateway writing to a broker that speaks only SASL_SSL to clients (certificates made with keytool, SCRAM
 * users created with Kafka's ConfigCommand): events acknowledged over TLS + SCRAM-SHA-256 are in the topic; with a
 * wrong password it stays unready (503) and logs at error the options to check, never the password.
 */
const kafka = await startSecuredKafka(inject('kafkaTools'));

afterAll(async () => {
  await kafka.stop();
});

const security = {
  kafkaCaFile: kafka.caFile,
  kafkaSaslMechanism: 'scram-sha-256',
  kafkaSaslUsername: kafka.username,
} as const;

const events = [1, 2, 3].map((i) => ({
  user_id: `u${i}`,
  page_url: `/p/${i}`,
  timestamp: Date.now() - 1_000,
  event_type: 'CLICK',
  event_id: `sasl-${i}`,
}));

describe('ingest gateway over SASL_SSL', () => {
  it('creates its topic and writes acknowledged events through TLS + SCRAM-SHA-256', async () => {
    const topic = uniqueName('prod-it-gateway-sasl');
    const gateway = createIngestGateway({
      ...security,
      kafkaSaslPassword: kafka.password,
      brokers: kafka.brokers,
      topic,
      partitions: 1,
      port: 0,
    });
    try {
      const { port } = await gateway.listen();
      await gateway.waitUntilReady(60_000);
      const res = await fetch(`http://127.0.0.1:${port}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ accepted: 3, rejected: 0 });
    } finally {
      await gateway.close();
    }
    // Read back through the PLAINTEXT listener.
    const records = await readTopic(kafka.plaintextBrokers, topic, 3);
    expect(records.map((r) => decodeClickstreamEvent(r.value).eventId).sort()).toEqual([
      'sasl-1',
      'sasl-2',
      'sasl-3',
    ]);
  });

  it('with a wrong password stays unready and logs the options to check at error, never the password', async () => {
    const lines: Array<{ level: string; text: string }> = [];
    const logger = Object.fromEntries(
      (['debug', 'info', 'warn', 'error'] as const).map((level) => [
        level,
        (fields: unknown, msg: string) =>
          void lines.push({ level, text: `${msg} ${JSON.stringify(fields)}` }),
      ]),
    ) as unknown as GatewayLogger;
    const gateway = createIngestGateway({
      ...security,
      kafkaSaslPassword: 'not-the-password-0d4f',
      brokers: kafka.brokers,
      topic: uniqueName('prod-it-gateway-sasl-bad'),
      port: 0,
      logger,
    });
    try {
      const { port } = await gateway.listen();
      const until = Date.now() + 60_000;
      while (!lines.some((l) => l.level === 'error') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      const error = lines.find((l) => l.level === 'error');
      expect(error?.text).toMatch(/Kafka refused the TLS\/SASL settings/);
      expect(error?.text).toMatch(/check --kafka-sasl-mechanism, --kafka-sasl-username and the password/);
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(503);
      const refused = await fetch(`http://127.0.0.1:${port}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      expect(refused.status).toBe(503);
    } finally {
      await gateway.close();
    }
    expect(JSON.stringify(lines)).not.toContain('not-the-password-0d4f');
  });
});
