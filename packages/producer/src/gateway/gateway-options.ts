import { defineOptions, option, z } from '@tributary/options';
import type { OptionValues } from '@tributary/options';
import { optionError } from '../errors.js';
import { kafkaConnectionSpecs } from '../kafka/connection-options.js';
import { durationOption, flagged, sizeOption } from '../option-kinds.js';
import type { GatewayLogger } from './gateway-logger.js';

const isLogger = (value: unknown): value is GatewayLogger =>
  typeof value === 'object' &&
  value !== null &&
  (['debug', 'info', 'warn', 'error'] as const).every(
    (method) => typeof (value as Record<string, unknown>)[method] === 'function',
  );

/** Options of `createIngestGateway` / `tributary-produce serve`. */
export const GATEWAY_OPTIONS = defineOptions(
  {
    ...kafkaConnectionSpecs({ clientId: 'tributary-ingest-gateway', retries: 2, requestTimeoutMs: 10_000 }),
    /** TCP port to listen on (0 = any free port). */
    port: option(z.int().min(0).max(65_535).default(8080), 'HTTP port (0 = any free port)'),
    /** Interface to listen on. */
    host: option(z.string().min(1).default('0.0.0.0'), 'HTTP interface'),
    /** Largest accepted request body in bytes; larger bodies get 413. */
    maxBodyBytes: sizeOption(
      z
        .int()
        .min(1)
        .max(256 * 1024 * 1024)
        .default(1024 * 1024),
      'largest request body, e.g. 1mb (413 above)',
      flagged('max-body'),
    ),
    /** Largest number of events in one request; more get 413. */
    maxEventsPerRequest: option(
      z.int().min(1).default(10_000),
      'most events per request',
      flagged('max-events'),
    ),
    /** Events sent to Kafka and not yet acknowledged, at most; beyond it requests get 503 + Retry-After. */
    maxInFlightEvents: option(z.int().min(1).default(20_000), 'unacknowledged events at most; 503 above'),
    /** Time to wait for Kafka's acknowledgement before answering 503 (ms). */
    ackTimeoutMs: durationOption(
      z.int().min(1).default(10_000),
      'wait for Kafka acks at most this long; 503 after',
      flagged('ack-timeout'),
    ),
    /** Retry-After value (s) on 503 answers. */
    retryAfterSeconds: option(
      z.int().min(0).max(86_400).default(1),
      'Retry-After seconds on 503',
      flagged('retry-after'),
    ),
    /** On close, time to let in-flight requests finish before disconnecting (ms). */
    shutdownTimeoutMs: durationOption(
      z.int().min(0).default(10_000),
      'drain time on SIGTERM',
      flagged('shutdown-timeout'),
    ),
    /** Delay between attempts to (re)connect to Kafka (ms). */
    reconnectBackoffMs: durationOption(
      z.int().min(1).default(1_000),
      'delay between attempts to (re)connect to Kafka',
      flagged('reconnect-backoff'),
    ),
    /** pino (or pino-shaped) logger; without it the gateway logs nothing. */
    logger: option(
      z
        .custom<GatewayLogger>(isLogger, 'must have debug, info, warn and error methods (a pino logger)')
        .optional(),
      'pino logger',
      { flag: false, env: false },
    ),
  },
  { component: 'createIngestGateway', invalid: optionError },
);

export type IngestGatewayOptions = OptionValues<typeof GATEWAY_OPTIONS.specs>;
