import { loggerLogWriter } from '@tributary/kafka';
import type { Kafka } from '@tributary/kafka';
import { createKafka } from '../kafka/kafka-client.js';
import type { KafkaConnectionOptions } from '../kafka/connection-options.js';
import type { GatewayLogger } from './gateway-logger.js';

/**
 * The gateway's kafkajs client: the producer package's settings (createKafka), plus kafkajs' lines at info and up
 * through `log` when there is one — at debug while `quiet()` (the gateway is (re)connecting and reports that
 * itself: the first failure at warn, the retries at debug), so a broker outage does not flood the error log.
 */
export function createGatewayKafka(
  o: KafkaConnectionOptions,
  log: GatewayLogger | undefined,
  quiet?: () => boolean,
): Promise<Kafka> {
  return createKafka(o, log === undefined ? undefined : loggerLogWriter(log), quiet);
}
