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

/** An API key: what a Bearer token may hold (RFC 6750 token68), long enough not to be guessed. */
export const apiKey = z
  .string()
  .regex(/^[A-Za-z0-9._~+/=-]{16,512}$/, 'must be 16-512 characters of A-Z a-z 0-9 . _ ~ + / = -');

/** Options of `createIngestGateway` / `tributary-produce serve`. */
export const GATEWAY_OPTIONS = defineOptions(
  {
    ...kafkaConnectionSpecs({ clientId: 'tributary-ingest-gateway', retries: 2, requestTimeoutMs: 10_000 }),
    /** TCP port to listen on (0 = any free port). */
    port: option(z.int().min(0).max(65_535).default(8080), 'HTTP port (0 = any free port)'),
    /** Interface to listen on: loopback unless exposed on purpose (`0.0.0.0` or `::` for every interface). */
    host: option(
      z.string().min(1).default('127.0.0.1'),
      'HTTP interface; 0.0.0.0 (or ::) to listen on every interface',
    ),
    /**
     * API keys clients must send (`Authorization: Bearer <key>` or `X-API-Key`), from the environment or a config file
     * only (a flag shows in `ps`); with `apiKeysFile` too, both sets are accepted. None: no authentication.
     */
    apiKeys: option(
      z.array(apiKey).min(1).optional(),
      'API keys clients must send (TRIBUTARY_API_KEYS, comma-separated; or --api-keys-file)',
      { flag: false, secret: true },
    ),
    /** File of API keys, one per line (blank lines and `#` comments ignored), read at start-up. */
    apiKeysFile: option(
      z.string().min(1).optional(),
      'file of API keys, one per line; clients send one as Authorization: Bearer <key> or X-API-Key',
      { placeholder: '<file>' },
    ),
    /** PEM certificate (chain) to serve HTTPS with (with `tlsKeyFile`). */
    tlsCertFile: option(
      z.string().min(1).optional(),
      'PEM certificate to serve HTTPS (with --tls-key-file)',
      {
        placeholder: '<file>',
      },
    ),
    /** PEM private key of `tlsCertFile`. */
    tlsKeyFile: option(z.string().min(1).optional(), 'PEM private key of --tls-cert-file', {
      placeholder: '<file>',
    }),
    /** PEM CA certificates: when set, clients must present a certificate signed by one of them (mutual TLS). */
    tlsCaFile: option(
      z.string().min(1).optional(),
      'PEM CA certificates; clients must present a certificate they signed (mutual TLS)',
      { placeholder: '<file>' },
    ),
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
    /** Largest event in bytes (its protobuf encoding, the Kafka record's value); a larger one gets 413 naming it. */
    maxEventBytes: sizeOption(
      z
        .int()
        .min(64)
        .max(256 * 1024 * 1024)
        .default(64 * 1024),
      'largest event (its protobuf encoding), e.g. 64kb (413 above)',
      flagged('max-event'),
    ),
    /**
     * Largest Kafka record (key + value + headers) the gateway sends; a larger one gets 413 before anything is sent.
     * Keep it at or under the topic's `max.message.bytes` (broker default 1048588).
     */
    maxRecordBytes: sizeOption(
      z
        .int()
        .min(1024)
        .max(256 * 1024 * 1024)
        .default(1_000_000),
      "largest Kafka record (key + value + headers); keep <= the topic's max.message.bytes",
      flagged('max-record'),
    ),
    /** Largest number of events in one request; more get 413. */
    maxEventsPerRequest: option(
      z.int().min(1).default(10_000),
      'most events per request',
      flagged('max-events'),
    ),
    /** Events sent to Kafka and not yet acknowledged, at most; beyond it requests get 429 + Retry-After. */
    maxInFlightEvents: option(z.int().min(1).default(20_000), 'unacknowledged events at most; 429 above'),
    /**
     * Bytes the gateway holds at most: request bodies being read (their Content-Length reserved up front, a chunked
     * body as it arrives) and record values sent to Kafka and not yet acknowledged; beyond it requests get 429. At
     * least `maxBodyBytes`. Bounds the gateway's buffered memory whatever the number of connections.
     */
    maxInFlightBytes: sizeOption(
      z
        .int()
        .min(1024)
        .max(4 * 1024 * 1024 * 1024)
        .default(64 * 1024 * 1024),
      'bytes of bodies being read and unacknowledged records at most, e.g. 64mb; 429 above',
      flagged('max-in-flight'),
    ),
    /** Time to wait for Kafka's acknowledgement before answering 503 (ms). */
    ackTimeoutMs: durationOption(
      z.int().min(1).default(10_000),
      'wait for Kafka acks at most this long; 503 after',
      flagged('ack-timeout'),
    ),
    /** Retry-After value (s) on 503 and 429 answers. */
    retryAfterSeconds: option(
      z.int().min(0).max(86_400).default(1),
      'Retry-After seconds on 503 and 429',
      flagged('retry-after'),
    ),
    /**
     * Events without `event_id` get one derived deterministically (UUIDv5 of the request's Idempotency-Key header and
     * the event's index, or else of the event's bytes), so a retried request writes the same ids. Off: 400 for them.
     */
    deriveEventId: option(
      z.boolean().default(false),
      'give events without event_id a deterministic one (from Idempotency-Key + index, or the event bytes); else 400',
    ),
    /** Time a client has to send the request headers (ms); then 408 and the connection is closed. */
    httpHeadersTimeoutMs: durationOption(
      z.int().min(1).default(10_000),
      'time to receive the request headers; 408 after',
      flagged('http-headers-timeout'),
    ),
    /** Time a client has to send the whole request, headers and body (ms); then 408 and the connection is closed. */
    httpRequestTimeoutMs: durationOption(
      z.int().min(1).default(30_000),
      'time to receive the whole request; 408 after',
      flagged('http-request-timeout'),
    ),
    /** Time an idle keep-alive connection stays open (ms). */
    httpKeepAliveTimeoutMs: durationOption(
      z.int().min(1).default(5_000),
      'idle keep-alive connections are closed after this',
      flagged('http-keep-alive-timeout'),
    ),
    /** Open connections at most (idle ones included); beyond it new connections are closed at once. */
    maxConnections: option(z.int().min(1).default(1024), 'open HTTP connections at most; more are dropped'),
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
  {
    component: 'createIngestGateway',
    invalid: optionError,
    check: (o, fail) => {
      if (o.maxInFlightBytes < o.maxBodyBytes)
        fail(
          'maxInFlightBytes',
          `must be >= maxBodyBytes (${o.maxBodyBytes}): a body of maxBodyBytes must fit in the in-flight budget`,
        );
      if (o.httpHeadersTimeoutMs > o.httpRequestTimeoutMs)
        fail('httpHeadersTimeoutMs', `must be <= httpRequestTimeoutMs (${o.httpRequestTimeoutMs})`);
      if ((o.tlsCertFile === undefined) !== (o.tlsKeyFile === undefined))
        fail(
          o.tlsCertFile === undefined ? 'tlsCertFile' : 'tlsKeyFile',
          `is needed with ${o.tlsCertFile === undefined ? 'tlsKeyFile' : 'tlsCertFile'} (a certificate and its key go together)`,
        );
      if (o.tlsCaFile !== undefined && o.tlsCertFile === undefined)
        fail(
          'tlsCaFile',
          'needs tlsCertFile and tlsKeyFile (client certificates are checked over HTTPS only)',
        );
    },
  },
);

export type IngestGatewayOptions = OptionValues<typeof GATEWAY_OPTIONS.specs>;
