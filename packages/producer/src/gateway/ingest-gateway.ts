import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { kafkaSecurityFailure } from '@tributary/kafka';
import type { Message } from '@tributary/kafka';
import type { OptionInput } from '@tributary/options';
import { channels, publish } from '../diagnostics.js';
import { ProducerError, ProducerErrorCodes, wrapKafkaError } from '../errors.js';
import { resolveCompression } from '../kafka/compression.js';
import { ApiKeyAuth, loadApiKeys } from './api-key-auth.js';
import { IDEMPOTENCY_KEY } from './event-id.js';
import { parseEvents } from './event-parsing.js';
import type { EventResult } from './event-parsing.js';
import { createGatewayKafka, recordBytes } from './gateway-kafka.js';
import type { GatewayKafka, GatewayKafkaFactory, GatewayProducer } from './gateway-kafka.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { GATEWAY_OPTIONS } from './gateway-options.js';
import type { IngestGatewayOptions } from './gateway-options.js';
import { createGatewayServer } from './gateway-server.js';
import { InFlightBudget } from './in-flight-budget.js';
import type { InFlightReservation } from './in-flight-budget.js';
import { KafkaAvailability } from './kafka-availability.js';
import { admitRequest, IN_FLIGHT_LIMITS_REACHED, Refusals } from './request-admission.js';
import {
  bodyFormatOf,
  BodyOverBudgetError,
  BodyTooLargeError,
  declaredBodyLength,
  readBody,
  RequestAbortedError,
} from './request-body.js';
import type { BodyFormat } from './request-body.js';

export interface IngestGateway {
  readonly options: IngestGatewayOptions;
  readonly metrics: GatewayMetrics;
  readonly server: Server;
  /** True once connected to Kafka (and the topic exists), and not cooling down after a failed send. */
  readonly ready: boolean;
  /**
   * Reads the Kafka TLS/SASL settings (a bad one rejects: TRIB_KAFKA_INVALID_OPTION), starts listening and connecting
   * to Kafka (in the background: the gateway answers 503 until ready).
   */
  listen(): Promise<AddressInfo>;
  /** Resolves once connected to Kafka (or rejects after `timeoutMs`). */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  /** Graceful shutdown: stop accepting, let in-flight requests finish (up to shutdownTimeoutMs), disconnect. */
  close(): Promise<void>;
}

/** What the gateway reaches outside itself; unit tests replace them. */
export interface IngestGatewaySeams {
  /** Kafka. @defaultValue kafkajs (createGatewayKafka) */
  readonly kafka?: GatewayKafkaFactory;
  /** Reads the API-key and TLS files. @defaultValue readFileSync as UTF-8 */
  readonly readFile?: (path: string) => string;
}

class AckTimeoutError extends Error {}

const ENDPOINTS = ['POST /v1/events', 'GET /health', 'GET /health/live', 'GET /health/ready', 'GET /metrics'];

/**
 * HTTP ingest gateway: `POST /v1/events` (JSON object/array, protobuf, or length-delimited protobuf batch) → Kafka,
 * answering only after Kafka acknowledged. Bounded: requests beyond the in-flight limits get 429, requests while
 * Kafka is down or slow 503, both with Retry-After and decided before the body is read. With API keys, requests
 * without a valid one get 401 (health endpoints stay open; /metrics needs a key too). `GET /health/live` (200 unless
 * shutting down), `GET /health/ready` (200 once connected to Kafka), `GET /health` (JSON, status of ready),
 * `GET /metrics` (prom-client: gateway metrics and the default process metrics).
 */
export function createIngestGateway(
  input: OptionInput<typeof GATEWAY_OPTIONS.specs> = {},
  seams: IngestGatewaySeams = {},
): IngestGateway {
  const o = GATEWAY_OPTIONS.resolve(input);
  resolveCompression(o.compression); // an unsupported codec fails here, not at the first request
  const read = seams.readFile ?? ((file: string) => readFileSync(file, 'utf8'));
  const auth = new ApiKeyAuth(loadApiKeys(o, read));
  const budget = new InFlightBudget({ maxEvents: o.maxInFlightEvents, maxBytes: o.maxInFlightBytes });
  const metrics = new GatewayMetrics(undefined, { inFlight: budget });
  const kafkaState = new KafkaAvailability(o.reconnectBackoffMs);
  let kafka: GatewayKafka | undefined; // made by listen(), which reads the TLS and SASL settings
  let producer: GatewayProducer | undefined;
  let closing = false;
  let activeRequests = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let connectFailures = 0;
  /** A refusal of the TLS/SASL settings was logged at error in this outage. */
  let securityReported = false;
  const log = o.logger;
  const readyWaiters = new Set<() => void>();
  const idleWaiters = new Set<() => void>();

  const json = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      ...headers,
    });
    res.end(payload);
    metrics.requests.inc({ status: String(status) });
    if (status >= 500 && log !== undefined) {
      const error = (body as { error?: unknown }).error;
      if (status === 503) log.debug({ status, error }, 'answered 503');
      else log.error({ status, error }, `answered ${status}`);
    }
  };

  /** 503 (Kafka unavailable or slow, shutting down) or 429 (in-flight limits), with Retry-After. */
  const refuse = (
    res: ServerResponse,
    status: 429 | 503,
    reason: string,
    code: string,
    beforeBody = false,
  ): void => {
    metrics.backpressureRejections.inc();
    json(
      res,
      status,
      { error: reason, code },
      {
        'retry-after': String(o.retryAfterSeconds),
        // The body was not read: close rather than read it to keep the connection.
        ...(beforeBody ? { connection: 'close' } : {}),
      },
    );
  };

  async function connect(): Promise<void> {
    if (closing) return;
    let p: GatewayProducer;
    try {
      p = await kafka!.connect();
    } catch (err) {
      connectFailures++;
      if (log !== undefined) {
        // Refused credentials or an untrusted certificate: named as the settings to fix, at error.
        const security = kafkaSecurityFailure(err);
        const fields = {
          brokers: o.brokers,
          topic: o.topic,
          error: (security ?? (err as Error)).message,
          retryInMs: o.reconnectBackoffMs,
          failures: connectFailures,
        };
        // The first refusal of the settings at error, whenever it comes in an outage (the broker may have been
        // unreachable first); the first failure of an outage at warn; the retries that follow at debug.
        if (security !== undefined && !securityReported) {
          securityReported = true;
          log.error(fields, 'Kafka refused the TLS/SASL settings; retrying (answering 503 meanwhile)');
        } else if (connectFailures === 1)
          log.warn(fields, 'cannot connect to Kafka; retrying (answering 503 meanwhile)');
        else log.debug(fields, 'cannot connect to Kafka; retrying');
      }
      if (!closing) reconnectTimer = setTimeout(() => void connect(), o.reconnectBackoffMs);
      return;
    }
    if (closing) {
      await p.disconnect().catch(() => undefined);
      return;
    }
    producer = p;
    kafkaState.connectedNow();
    log?.info({ brokers: o.brokers, topic: o.topic, afterFailures: connectFailures }, 'connected to Kafka');
    connectFailures = 0;
    securityReported = false;
    for (const w of readyWaiters) w();
    readyWaiters.clear();
  }

  async function handleEvents(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Decided from the headers alone: a refused request's body is never read.
    const admission = admitRequest(req.headers, {
      auth,
      closing,
      kafkaReady: kafkaState.available,
      budget,
    });
    if (!admission.ok) {
      if (admission.status === 401) {
        json(
          res,
          401,
          { error: admission.reason, code: ProducerErrorCodes.UNAUTHORIZED },
          { 'www-authenticate': admission.wwwAuthenticate!, connection: 'close' },
        );
        return;
      }
      const code =
        admission.refusal === Refusals.KAFKA_UNAVAILABLE
          ? ProducerErrorCodes.KAFKA_UNAVAILABLE
          : ProducerErrorCodes.BACKPRESSURE;
      refuse(res, admission.status, admission.reason, code, true);
      return;
    }
    const format = bodyFormatOf(req.headers['content-type']);
    if (format === undefined) {
      json(
        res,
        415,
        {
          error:
            'content-type must be application/json, application/x-protobuf or application/x-protobuf; delimited=true',
        },
        { connection: 'close' },
      );
      return;
    }
    const idempotencyHeader = req.headers['idempotency-key'];
    const idempotencyKey = typeof idempotencyHeader === 'string' ? idempotencyHeader : undefined;
    if (
      idempotencyHeader !== undefined &&
      (idempotencyKey === undefined || !IDEMPOTENCY_KEY.test(idempotencyKey))
    ) {
      json(
        res,
        400,
        { error: 'Idempotency-Key must be 1-255 visible ASCII characters', field: 'Idempotency-Key' },
        { connection: 'close' },
      );
      return;
    }
    const declared = declaredBodyLength(req.headers);
    if (declared !== undefined && declared > o.maxBodyBytes) {
      json(res, 413, { error: new BodyTooLargeError(o.maxBodyBytes).message }, { connection: 'close' });
      return;
    }
    // Counted from the first byte read: bodies being read share maxInFlightBytes with the records sent to Kafka.
    const reservation = budget.tryReserve(declared ?? 0);
    if (reservation === undefined) {
      const reason = `the request body (${declared ?? 0} bytes) does not fit in maxInFlightBytes beside what is in flight (backpressure)`;
      refuse(res, 429, reason, ProducerErrorCodes.BACKPRESSURE, true);
      return;
    }
    try {
      if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
      await ingest(req, res, format, idempotencyKey, reservation);
    } finally {
      // Answered, failed or aborted before its events were handed to Kafka: released here, else when Kafka answers.
      if (!reservation.handedOff) reservation.release();
    }
  }

  /** Reads, parses and sends an admitted request's body, counted in its reservation; answers the request. */
  async function ingest(
    req: IncomingMessage,
    res: ServerResponse,
    format: BodyFormat,
    idempotencyKey: string | undefined,
    reservation: InFlightReservation,
  ): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req, o.maxBodyBytes, reservation);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        json(res, 413, { error: err.message }, { connection: 'close' });
        return;
      }
      if (err instanceof BodyOverBudgetError) {
        refuse(res, 429, `${err.message} (backpressure)`, ProducerErrorCodes.BACKPRESSURE, true);
        return;
      }
      if (err instanceof RequestAbortedError) return; // nobody to answer (Node answered 408 on a timeout)
      throw err;
    }
    const parsed = parseEvents(format, body, {
      maxEvents: o.maxEventsPerRequest,
      maxEventBytes: o.maxEventBytes,
      deriveEventId: o.deriveEventId,
      idempotencyKey,
    });
    if (!parsed.ok) {
      const rejected = parsed.results.filter((r) => !r.ok).length;
      if (rejected > 0) metrics.events.inc({ result: 'rejected' }, rejected);
      json(res, parsed.status, { error: parsed.reason, accepted: 0, rejected, results: parsed.results });
      return;
    }
    if (!kafkaState.available || producer === undefined)
      return refuse(res, 503, 'Kafka is not available', ProducerErrorCodes.KAFKA_UNAVAILABLE);
    const receivedAt = String(Date.now());
    const messages: Message[] = parsed.events.map(({ event, value }) => ({
      key: event.userId,
      value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
      headers: { 'content-type': 'application/x-protobuf', 'trib-received-ms': receivedAt },
    }));
    const sizes = messages.map(recordBytes);
    const oversize = sizes.flatMap((size, index): EventResult[] =>
      size > o.maxRecordBytes
        ? [
            {
              index,
              ok: false,
              code: ProducerErrorCodes.RECORD_TOO_LARGE,
              reason: `event ${index} makes a ${size}-byte Kafka record, more than maxRecordBytes (${o.maxRecordBytes})`,
            },
          ]
        : [],
    );
    if (oversize.length > 0) {
      metrics.events.inc({ result: 'rejected' }, oversize.length);
      json(res, 413, {
        error: 'records larger than maxRecordBytes',
        accepted: 0,
        rejected: oversize.length,
        results: parsed.results.map((r) => oversize.find((x) => x.index === r.index) ?? r),
      });
      return;
    }
    const count = messages.length;
    const bytes = messages.reduce((n, m) => n + (m.value as Buffer).byteLength, 0);
    if (!reservation.tryHandOff(count, bytes))
      return refuse(res, 429, IN_FLIGHT_LIMITS_REACHED, ProducerErrorCodes.BACKPRESSURE);
    // Counted until Kafka answers, even after an ack timeout answered the client: memory stays bounded.
    const sender = producer;
    const sending = new Promise<void>((resolve) => resolve(sender.send(messages))); // a throw rejects it
    const release = (): void => reservation.release();
    void sending.then(release, release);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AckTimeoutError()), o.ackTimeoutMs);
      });
      await Promise.race([sending, timeout]);
      kafkaState.sendSucceeded();
      metrics.ackLatency.observe((performance.now() - started) / 1000);
      metrics.events.inc({ result: 'accepted' }, count);
      json(res, 200, { accepted: count, rejected: 0, results: parsed.results });
    } catch (err) {
      if (err instanceof AckTimeoutError) {
        kafkaState.sendFailed();
        refuse(
          res,
          503,
          `Kafka did not acknowledge within ackTimeoutMs (${o.ackTimeoutMs} ms); the events may still be written`,
          ProducerErrorCodes.KAFKA_UNAVAILABLE,
        );
        return;
      }
      const wrapped =
        err instanceof ProducerError
          ? err
          : wrapKafkaError(ProducerErrorCodes.SEND_FAILED, 'Kafka rejected the events', err);
      if (wrapped.code === ProducerErrorCodes.RECORD_TOO_LARGE) {
        metrics.events.inc({ result: 'rejected' }, count);
        json(res, 413, { error: wrapped.message, code: wrapped.code, accepted: 0, rejected: count });
      } else if (wrapped.retriable) {
        kafkaState.sendFailed();
        refuse(res, 503, wrapped.message, ProducerErrorCodes.KAFKA_UNAVAILABLE);
      } else json(res, 500, { error: wrapped.message, code: wrapped.code });
    } finally {
      clearTimeout(timer);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0];
    activeRequests++;
    try {
      if (path === '/v1/events') {
        if (req.method !== 'POST') {
          req.resume();
          json(res, 405, { error: 'use POST' }, { allow: 'POST' });
        } else {
          await handleEvents(req, res);
        }
      } else if (path === '/health' || path === '/health/ready' || path === '/health/live') {
        req.resume();
        const live = !closing;
        const ready = live && kafkaState.available;
        const ok = path === '/health/live' ? live : ready;
        json(res, ok ? 200 : 503, {
          live,
          ready,
          kafkaConnected: kafkaState.connected,
          inFlightEvents: budget.events,
        });
      } else if (path === '/metrics' && req.method === 'GET') {
        req.resume();
        const allowed = auth.check(req.headers);
        if (!allowed.ok) {
          json(
            res,
            401,
            { error: allowed.reason, code: ProducerErrorCodes.UNAUTHORIZED },
            { 'www-authenticate': allowed.wwwAuthenticate },
          );
          return;
        }
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
        metrics.requests.inc({ status: '200' });
      } else {
        req.resume();
        json(res, 404, { error: 'not found' });
      }
    } catch (err) {
      if (!res.headersSent && !res.destroyed) json(res, 500, { error: (err as Error).message });
      else res.destroy();
    } finally {
      const latencyMs = performance.now() - started;
      publish(channels.gatewayRequest, { status: res.statusCode, path, latencyMs });
      log?.debug({ method: req.method, path, status: res.statusCode, latencyMs }, 'request');
      if (--activeRequests === 0) for (const w of idleWaiters) w();
    }
  }

  const server = createGatewayServer(o, (req, res) => void handle(req, res), read);
  // Expect: 100-continue is answered only once the request is admitted (handleEvents), not by Node up front.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => void handle(req, res));

  return {
    options: o,
    metrics,
    server,
    get ready() {
      return kafkaState.available && !closing;
    },
    async listen() {
      // While connecting, the gateway reports the failures itself: kafkajs' own lines go to debug meanwhile.
      kafka = await (seams.kafka ?? createGatewayKafka)(o, o.logger, () => !kafkaState.connected);
      return new Promise<AddressInfo>((resolve, reject) => {
        server.once('error', reject);
        server.listen(o.port, o.host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          log?.info(
            {
              host: address.address,
              port: address.port,
              topic: o.topic,
              endpoints: ENDPOINTS,
              tls: o.tlsCertFile !== undefined,
              clientCertificates: o.tlsCaFile !== undefined,
              apiKeys: auth.enabled,
            },
            'listening',
          );
          void connect();
          resolve(address);
        });
      });
    },
    waitUntilReady(timeoutMs = 30_000) {
      if (kafkaState.connected) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          readyWaiters.delete(done);
          reject(new Error(`gateway not connected to Kafka after ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        readyWaiters.add(done);
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      clearTimeout(reconnectTimer);
      log?.info({ activeRequests }, 'shutting down: draining in-flight requests');
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (activeRequests > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, o.shutdownTimeoutMs);
          idleWaiters.add(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      server.closeAllConnections();
      await stopped;
      kafkaState.disconnected();
      await producer?.disconnect().catch(() => undefined);
      log?.info({}, 'closed');
    },
  };
}
