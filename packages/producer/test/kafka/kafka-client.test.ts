import { describe, expect, it } from 'vitest';
import { ProducerError, ProducerErrorCodes } from '../../src/errors.js';
import { connectFailure } from '../../src/kafka/kafka-client.js';

describe('connectFailure', () => {
  it('names the --kafka-* options when the brokers refuse the SASL credentials or their certificate', () => {
    const refused = Object.assign(new Error('SASL PLAIN authentication failed: Authentication failed'), {
      name: 'KafkaJSSASLAuthenticationError',
    });
    // As kafkajs' admin wraps it after its retries.
    const wrapped = Object.assign(new Error('Connection error'), {
      name: 'KafkaJSNonRetriableError',
      cause: refused,
    });
    expect(connectFailure(ProducerErrorCodes.CONNECT_FAILED, 'cannot reach Kafka', wrapped)).toMatchObject({
      code: 'TRIB_KAFKA_INVALID_OPTION',
      retriable: false,
      message: expect.stringMatching(/check --kafka-sasl-mechanism, --kafka-sasl-username and the password/),
    });
    const untrusted = Object.assign(new Error('unable to verify the first certificate'), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    expect(
      connectFailure(ProducerErrorCodes.CONNECT_FAILED, 'cannot reach Kafka', untrusted).message,
    ).toMatch(/check --kafka-ca-file and --kafka-servername/);
  });

  it('keeps a broker that is down a retriable CONNECT_FAILED, and our own errors as they are', () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), {
      name: 'KafkaJSConnectionError',
    });
    expect(connectFailure(ProducerErrorCodes.CONNECT_FAILED, 'cannot reach Kafka', down)).toMatchObject({
      code: 'TRIB_PRODUCER_CONNECT_FAILED',
      retriable: true,
      message: 'cannot reach Kafka: connect ECONNREFUSED 127.0.0.1:9092',
    });
    const ours = new ProducerError(ProducerErrorCodes.TOPIC_MISMATCH, 'topic has 3 partitions');
    expect(connectFailure(ProducerErrorCodes.CONNECT_FAILED, 'cannot reach Kafka', ours)).toBe(ours);
  });
});
