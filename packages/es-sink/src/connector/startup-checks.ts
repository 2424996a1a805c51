import type { Client } from '@elastic/elasticsearch';
import { kafkaSecurityFailure, type Admin } from '@tributary/kafka';
import { SINK_ERROR_CODES, SinkError } from '../errors.js';
import { redactUrl } from '../elasticsearch-connection.js';
import type { ConnectorLogger } from './connector-options.js';

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A TLS failure: the node's certificate is not trusted (or its CA fingerprint does not match). */
const UNTRUSTED =
  /certificate|fingerprint|self[- ]signed|unable to verify|UNABLE_TO_GET_ISSUER|ERR_TLS|SSL routines|wrong version number/i;

/**
 * `GET /_cluster/health`: TRIB_SINK_AUTH_FAILED on 401/403, TRIB_SINK_CONNECTION_FAILED otherwise, each naming the
 * options to fix (URL redacted).
 */
export async function checkElasticsearch(client: Client, url: string): Promise<void> {
  try {
    await client.transport.request(
      { method: 'GET', path: '/_cluster/health' },
      { maxRetries: 1, requestTimeout: 10_000 },
    );
  } catch (cause) {
    const status = (cause as { meta?: { statusCode?: number } }).meta?.statusCode;
    if (status === 401 || status === 403) {
      throw new SinkError(
        SINK_ERROR_CODES.AUTH_FAILED,
        `Elasticsearch at ${redactUrl(url)} refused the credentials (${status}): check esUsername with esPassword or ` +
          'esPasswordFile, or esApiKey / esApiKeyFile (TRIBUTARY_ES_USERNAME, TRIBUTARY_ES_PASSWORD[_FILE], ' +
          'TRIBUTARY_ES_API_KEY[_FILE]; a 403 means the user or key lacks a privilege)',
        { cause, status },
      );
    }
    throw new SinkError(
      SINK_ERROR_CODES.CONNECTION_FAILED,
      `cannot reach Elasticsearch at ${redactUrl(url)}: ${redactUrl(describeError(cause))} — ` +
        (UNTRUSTED.test(describeError(cause))
          ? "check esCaFile (TRIBUTARY_ES_CA_FILE) or esCaFingerprint (TRIBUTARY_ES_CA_FINGERPRINT) against the nodes' certificate, and http vs https in esUrl"
          : 'check the Elasticsearch URL and that the cluster is up'),
      {
        cause,
        retriable: true,
        ...(status === undefined ? {} : { status }),
      },
    );
  }
}

export interface KafkaTopicsCheck {
  brokers: readonly string[];
  /** Source topic: must exist (TRIB_SINK_TOPIC_NOT_FOUND). */
  topic: string;
  /** Dead-letter topic, created when missing (1 partition); false = none. */
  deadLetterTopic: string | false;
  deadLetterReplicationFactor: number;
  logger: ConnectorLogger | undefined;
}

/**
 * Connects `admin` (TRIB_SINK_KAFKA_FAILED when Kafka is unreachable; TRIB_SINK_INVALID_OPTION naming the `--kafka-*`
 * options when the brokers refuse the SASL credentials or their certificate fails verification), checks that the source topic exists
 * (TRIB_SINK_TOPIC_NOT_FOUND) and creates the dead-letter topic when it is missing, as Kafka Connect does
 * (TRIB_SINK_KAFKA_FAILED naming the fix when that is refused). Disconnects `admin`.
 */
export async function checkKafkaTopics(admin: Admin, check: KafkaTopicsCheck): Promise<void> {
  try {
    await admin.connect();
  } catch (cause) {
    // Refused credentials or an untrusted certificate: a setting to fix, not an outage to wait out.
    const security = kafkaSecurityFailure(cause);
    if (security !== undefined)
      throw new SinkError(
        SINK_ERROR_CODES.INVALID_OPTION,
        `Kafka at ${check.brokers.join(',')}: ${security.reason}`,
        { cause },
      );
    throw new SinkError(
      SINK_ERROR_CODES.KAFKA_FAILED,
      `cannot reach Kafka at ${check.brokers.join(',')}: ${describeError(cause)} — check the brokers`,
      { cause, retriable: true },
    );
  }
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(check.topic)) {
      throw new SinkError(
        SINK_ERROR_CODES.TOPIC_NOT_FOUND,
        `source topic ${check.topic} does not exist: create it (kafka-topics.sh --create --topic ${check.topic}) or fix the topic name`,
      );
    }
    const dlq = check.deadLetterTopic;
    if (dlq === false || topics.includes(dlq)) return;
    const replicationFactor = check.deadLetterReplicationFactor;
    try {
      // false when another process created it in the meantime: fine.
      await admin.createTopics({
        topics: [{ topic: dlq, numPartitions: 1, replicationFactor }],
        waitForLeaders: true,
      });
    } catch (cause) {
      throw new SinkError(
        SINK_ERROR_CODES.KAFKA_FAILED,
        `cannot create the dead-letter topic ${dlq} (1 partition, replication factor ${replicationFactor}): ${describeError(cause)} — create it (kafka-topics.sh --create --topic ${dlq} --partitions 1), allow this client to create topics, or fix deadLetterReplicationFactor`,
        { cause },
      );
    }
    check.logger?.('info', 'dead-letter topic created', {
      topic: dlq,
      partitions: 1,
      replicationFactor,
    });
  } finally {
    await admin.disconnect();
  }
}
