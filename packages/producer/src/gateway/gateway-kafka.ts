import kafkajs from 'kafkajs';
import type { Kafka, LogEntry, logCreator } from 'kafkajs';
import { createKafka } from '../kafka/kafka-client.js';
import type { KafkaConnectionOptions } from '../load-options.js';
import type { GatewayLogger } from './gateway-logger.js';

// kafkajs is CommonJS: Node's ESM loader exposes it as a default export only.
const { logLevel } = kafkajs;

/** kafkajs level → gateway logger method (kafkajs has no fatal or trace). */
export const KAFKA_LOG_METHODS: Readonly<Record<number, 'error' | 'warn' | 'info' | 'debug'>> = Object.freeze(
  {
    [logLevel.ERROR]: 'error',
    [logLevel.WARN]: 'warn',
    [logLevel.INFO]: 'info',
    [logLevel.DEBUG]: 'debug',
  },
);

/** Fields of a kafkajs line never written: credentials and TLS material. */
const SECRET_FIELD =
  /^(sasl|password|secret|token|ssl|auth|authorization|credentials?|key|cert|ca|passphrase)$/i;

/**
 * A broker's error answer to one request (`Connection`, `Response <api>` with a correlationId): kafkajs logs it at
 * error and throws it to the caller, which retries it or reports it, so the line is written at debug.
 */
function isResponseError(entry: LogEntry): boolean {
  return (
    entry.namespace === 'Connection' &&
    entry.level === logLevel.ERROR &&
    String(entry.log.message).startsWith('Response ') &&
    (entry.log as { correlationId?: unknown }).correlationId !== undefined
  );
}

/**
 * A kafkajs `logCreator` writing kafkajs' own lines through the gateway logger at the mapped level, as
 * `{ kafkajs: <namespace>, …kafkajs' fields }` without its timestamp and logger name, credentials dropped.
 * While `quiet()` is true (the gateway is (re)connecting and reports that itself: the first failure at warn, the
 * retries at debug) kafkajs' lines are written at debug, so a broker outage does not flood the error log; so are
 * the broker's error answers the caller gets anyway.
 */
export function gatewayKafkaLogCreator(log: GatewayLogger, quiet: () => boolean = () => false): logCreator {
  return () => (entry: LogEntry) => {
    const mapped = KAFKA_LOG_METHODS[entry.level];
    if (mapped === undefined) return;
    const method = quiet() || isResponseError(entry) ? 'debug' : mapped;
    const {
      timestamp: _t,
      logger: _l,
      message,
      ...rest
    } = entry.log as LogEntry['log'] & { logger?: unknown };
    const fields: Record<string, unknown> = { kafkajs: entry.namespace || 'kafkajs' };
    for (const [k, v] of Object.entries(rest)) if (!SECRET_FIELD.test(k)) fields[k] = v;
    log[method](fields, String(message ?? ''));
  };
}

/**
 * The gateway's kafkajs client: the producer package's settings (createKafka), plus kafkajs' lines at info and up
 * through `log` when there is one (at debug while `quiet()`).
 */
export function createGatewayKafka(
  o: KafkaConnectionOptions,
  log: GatewayLogger | undefined,
  quiet?: () => boolean,
): Kafka {
  return createKafka(o, log === undefined ? undefined : gatewayKafkaLogCreator(log, quiet));
}
