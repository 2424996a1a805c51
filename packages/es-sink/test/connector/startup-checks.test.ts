import type { Admin } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { checkKafkaTopics } from '../../src/connector/startup-checks.js';

/** An admin whose connect fails with `error`. */
const refusing = (error: unknown): Admin =>
  ({
    connect: () => Promise.reject(error),
    disconnect: () => Promise.resolve(),
  }) as unknown as Admin;

const check = {
  brokers: ['kafka-1:9096'],
  topic: 'clickstream-metrics',
  deadLetterTopic: false as const,
  deadLetterReplicationFactor: 1,
  logger: undefined,
};

describe('checkKafkaTopics', () => {
  it('names the --kafka-* options when the brokers refuse the SASL credentials, not retriable', async () => {
    const refused = Object.assign(new Error('SASL SCRAM SHA512 authentication failed, invalid credentials'), {
      name: 'KafkaJSSASLAuthenticationError',
    });
    const error = await checkKafkaTopics(refusing(refused), check).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRIB_SINK_INVALID_OPTION', retriable: false, cause: refused });
    expect((error as Error).message).toMatch(
      /^Kafka at kafka-1:9096: the brokers refused the SASL credentials: check --kafka-sasl-mechanism, --kafka-sasl-username and the password \(TRIBUTARY_KAFKA_SASL_PASSWORD or --kafka-sasl-password-file\)/,
    );
  });

  it("names --kafka-ca-file when the brokers' certificate fails verification", async () => {
    const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    await expect(checkKafkaTopics(refusing(untrusted), check)).rejects.toMatchObject({
      code: 'TRIB_SINK_INVALID_OPTION',
      message: expect.stringMatching(/check --kafka-ca-file and --kafka-servername/),
    });
  });

  it('keeps an unreachable broker a retriable outage', async () => {
    await expect(
      checkKafkaTopics(refusing(new Error('connect ECONNREFUSED 127.0.0.1:9096')), check),
    ).rejects.toMatchObject({
      code: 'TRIB_SINK_KAFKA_FAILED',
      retriable: true,
      message: expect.stringMatching(/cannot reach Kafka at kafka-1:9096: .* — check the brokers$/),
    });
  });
});
