import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSecuredKafka, type SecuredKafka } from '../../../test/helpers/secured-kafka.js';
import { createKafkaClient, kafkaSecurity, type KafkaSaslMechanism } from '../src/index.js';

/**
 * TLS and SASL against a real broker with a SASL_SSL listener (certificates made with keytool, SCRAM users created
 * with Kafka's ConfigCommand): the options every component shares reach kafkajs intact.
 */
let kafka: SecuredKafka;

beforeAll(async () => {
  kafka = await startSecuredKafka(inject('kafkaTools'));
}, 300_000);

afterAll(async () => {
  await kafka?.stop();
});

async function client(mechanism: KafkaSaslMechanism, password: string, withCa = true) {
  const security = await kafkaSecurity({
    ...(withCa ? { kafkaCaFile: kafka.caFile } : { kafkaTls: true }),
    kafkaSaslMechanism: mechanism,
    kafkaSaslUsername: kafka.username,
    kafkaSaslPassword: password,
  });
  return createKafkaClient({
    brokers: kafka.brokers,
    clientId: 'tributary-security-test',
    // The refusals below must surface at once, not after kafkajs' retries.
    ...(password === kafka.password && withCa ? {} : { retry: { retries: 0 } }),
    ...security,
  });
}

describe('Kafka over SASL_SSL', () => {
  it('SCRAM-SHA-512 over TLS: a transaction is written and read back read_committed', async () => {
    const k = await client('scram-sha-512', kafka.password);
    const admin = k.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'secured', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = k.producer({ transactionalId: 'secured-tx', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const tx = await producer.transaction();
    await tx.send({ topic: 'secured', messages: [{ value: 'one' }, { value: 'two' }] });
    await tx.commit();
    await producer.disconnect();
    const consumer = k.consumer({ groupId: 'secured-reader', readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic: 'secured', fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString());
          if (values.length === 2) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(values).toEqual(['one', 'two']);
  });

  it.each(['plain', 'scram-sha-256'] as const)('%s authenticates', async (mechanism) => {
    const admin = (await client(mechanism, kafka.password)).admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain('secured');
    await admin.disconnect();
  });

  it('a wrong password is refused by the broker', async () => {
    const admin = (await client('scram-sha-512', 'not-the-password')).admin();
    await expect(admin.connect()).rejects.toThrow(
      /SASL SCRAM SHA512 authentication failed|Authentication failed/i,
    );
  });

  it('a broker certificate from an unknown CA is refused', async () => {
    const admin = (await client('scram-sha-512', kafka.password, false)).admin();
    await expect(admin.connect()).rejects.toThrow(/self[- ]signed|certificate|unable to verify/i);
  });
});
