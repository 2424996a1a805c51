import { stripUndefined } from '../ground-truth/event-time-rules.js';
import { KAFKA_CONNECTION_DEFAULTS, resolveKafkaConnectionOptions } from '../load-options.js';
import type { KafkaConnectionOptions } from '../load-options.js';
import { integerIn, nonEmptyString, rejectUnknownKeys } from '../validation.js';
import { invalidOption } from '../errors.js';
import type { GatewayLogger } from './gateway-logger.js';

/** Options of `createIngestGateway` / `tributary-produce serve`. */
export interface IngestGatewayOptions extends KafkaConnectionOptions {
  /** TCP port to listen on (0 = any free port). @defaultValue 8080 */
  port: number;
  /** Interface to listen on. @defaultValue '0.0.0.0' */
  host: string;
  /** Largest accepted request body in bytes; larger bodies get 413. @defaultValue 1048576 */
  maxBodyBytes: number;
  /** Largest number of events in one request; more get 413. @defaultValue 10000 */
  maxEventsPerRequest: number;
  /** Events sent to Kafka and not yet acknowledged, at most; beyond it requests get 503 + Retry-After. @defaultValue 20000 */
  maxInFlightEvents: number;
  /** Time to wait for Kafka's acknowledgement before answering 503 (ms). @defaultValue 10000 */
  ackTimeoutMs: number;
  /** Retry-After value (s) on 503 answers. @defaultValue 1 */
  retryAfterSeconds: number;
  /** On close, time to let in-flight requests finish before disconnecting (ms). @defaultValue 10000 */
  shutdownTimeoutMs: number;
  /** Delay between attempts to (re)connect to Kafka (ms). @defaultValue 1000 */
  reconnectBackoffMs: number;
  /** pino (or pino-shaped) logger; without it the gateway logs nothing. @defaultValue undefined */
  logger?: GatewayLogger;
}

export const GATEWAY_DEFAULTS: Readonly<IngestGatewayOptions> = Object.freeze({
  ...KAFKA_CONNECTION_DEFAULTS,
  clientId: 'tributary-ingest-gateway',
  retries: 2,
  requestTimeoutMs: 10_000,
  port: 8080,
  host: '0.0.0.0',
  maxBodyBytes: 1024 * 1024,
  maxEventsPerRequest: 10_000,
  maxInFlightEvents: 20_000,
  ackTimeoutMs: 10_000,
  retryAfterSeconds: 1,
  shutdownTimeoutMs: 10_000,
  reconnectBackoffMs: 1_000,
});

export const GATEWAY_OPTION_NAMES = [
  ...Object.keys(GATEWAY_DEFAULTS),
  'logger',
] as (keyof IngestGatewayOptions)[];

function logger(value: unknown): GatewayLogger {
  const l = value as Partial<Record<keyof GatewayLogger, unknown>> | null;
  if (
    typeof l !== 'object' ||
    l === null ||
    !(['debug', 'info', 'warn', 'error'] as const).every((m) => typeof l[m] === 'function')
  ) {
    throw invalidOption(
      'logger',
      'must have debug, info, warn and error methods (a pino logger)',
      typeof value,
    );
  }
  return value as GatewayLogger;
}

export function resolveGatewayOptions(input: Partial<IngestGatewayOptions> = {}): IngestGatewayOptions {
  rejectUnknownKeys('options', input, GATEWAY_OPTION_NAMES);
  const m = { ...GATEWAY_DEFAULTS, ...stripUndefined(input) } as IngestGatewayOptions;
  return {
    ...resolveKafkaConnectionOptions(m),
    port: integerIn('port', m.port, 0, 65_535),
    host: nonEmptyString('host', m.host),
    maxBodyBytes: integerIn('maxBodyBytes', m.maxBodyBytes, 1, 256 * 1024 * 1024),
    maxEventsPerRequest: integerIn('maxEventsPerRequest', m.maxEventsPerRequest, 1),
    maxInFlightEvents: integerIn('maxInFlightEvents', m.maxInFlightEvents, 1),
    ackTimeoutMs: integerIn('ackTimeoutMs', m.ackTimeoutMs, 1),
    retryAfterSeconds: integerIn('retryAfterSeconds', m.retryAfterSeconds, 0, 86_400),
    shutdownTimeoutMs: integerIn('shutdownTimeoutMs', m.shutdownTimeoutMs, 0),
    reconnectBackoffMs: integerIn('reconnectBackoffMs', m.reconnectBackoffMs, 1),
    ...(m.logger === undefined ? {} : { logger: logger(m.logger) }),
  };
}
