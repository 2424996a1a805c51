import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Kafka, Message, Producer } from '@tributary/kafka';
import type { OptionInput } from '@tributary/options';
import { channels, publish } from '../diagnostics.js';
import { ProducerErrorCodes, wrapKafkaError } from '../errors.js';
import { resolveCompression } from '../kafka/compression.js';
import { createIdempotentProducer, ensureTopic } from '../kafka/kafka-client.js';
import { createGatewayKafka } from './gateway-kafka.js';
import { parseEvents } from './event-parsing.js';
import type { EventResult } from './event-parsing.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { GATEWAY_OPTIONS } from './gateway-options.js';
import type { IngestGatewayOptions } from './gateway-options.js';
import { bodyFormatOf, BodyTooLargeError, readBody } from './request-body.js';

export interface IngestGateway {
  readonly options: IngestGatewayOptions;
  readonly metrics: GatewayMetrics;
  readonly server: Server;
  /** True once connected to Kafka (and the topic exists); false while (re)connecting. */
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

class AckTimeoutError extends Error {}

const ENDPOINTS = ['POST /v1/events', 'GET /health', 'GET /health/live', 'GET /health/ready', 'GET /metrics'];

/**
 * HTTP ingest gateway: `POST /v1/events` (JSON object/array, protobuf, or length-delimited protobuf batch) → Kafka,
 * answering only after Kafka acknowledged. Bounded: requests beyond the in-flight limit, or while Kafka is down or
 * slow, get 503 with Retry-After instead of queueing in memory. `GET /health/live` (200 unless shutting down),
 * `GET /health/ready` (200 once connected to Kafka), `GET /health` (JSON, status of ready), `GET /metrics`
 * (prom-client: gateway metrics and the default process metrics).
 */
export function createIngestGateway(input: OptionInput<typeof GATEWAY_OPTIONS.specs> = {}): IngestGateway {
  const o = GATEWAY_OPTIONS.resolve(input);
  const compression = resolveCompression(o.compression);
  const metrics = new GatewayMetrics();
  let ready = false;
  let kafka: Kafka | undefined; // made by listen(), which reads the TLS and SASL settings
  let producer: Producer | undefined;
  let closing = false;
  let inFlightEvents = 0;
  let activeRequests = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let connectFailures = 0;
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

  const unavailable = (res: ServerResponse, reason: string): void => {
    metrics.backpressureRejections.inc();
    json(
      res,
      503,
      { error: reason, code: ProducerErrorCodes.BACKPRESSURE },
      { 'retry-after': String(o.retryAfterSeconds) },
    );
  };

  async function connect(): Promise<void> {
    if (closing) return;
    const admin = kafka!.admin();
    const p = createIdempotentProducer(kafka!, o);
    try {
      await admin.connect();
      await ensureTopic(admin, o);
      await p.connect();
    } catch (err) {
      await p.disconnect().catch(() => undefined);
      if (log !== undefined) {
        const fields = {
          brokers: o.brokers,
          topic: o.topic,
          error: (err as Error).message,
          retryInMs: o.reconnectBackoffMs,
          failures: ++connectFailures,
        };
        // First failure of an outage at warn, the retries that follow at debug.
        if (connectFailures === 1)
          log.warn(fields, 'cannot connect to Kafka; retrying (answering 503 meanwhile)');
        else log.debug(fields, 'cannot connect to Kafka; retrying');
      }
      if (!closing) reconnectTimer = setTimeout(() => void connect(), o.reconnectBackoffMs);
      return;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (closing) {
      await p.disconnect().catch(() => undefined);
      return;
    }
    producer = p;
    ready = true;
    log?.info({ brokers: o.brokers, topic: o.topic, afterFailures: connectFailures }, 'connected to Kafka');
    connectFailures = 0;
    for (const w of readyWaiters) w();
    readyWaiters.clear();
  }

  async function handleEvents(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const format = bodyFormatOf(req.headers['content-type']);
    if (format === undefined) {
      req.resume();
      json(res, 415, {
        error:
          'content-type must be application/json, application/x-protobuf or application/x-protobuf; delimited=true',
      });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, o.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        json(res, 413, { error: err.message }, { connection: 'close' });
        return;
      }
      throw err;
    }
    const parsed = parseEvents(format, body, o.maxEventsPerRequest);
    if (!parsed.ok) {
      const rejected = parsed.results.filter((r) => !r.ok).length;
      if (rejected > 0) metrics.events.inc({ result: 'rejected' }, rejected);
      json(res, parsed.status, { error: parsed.reason, accepted: 0, rejected, results: parsed.results });
      return;
    }
    const count = parsed.events.length;
    if (!ready || producer === undefined) return unavailable(res, 'Kafka is not available');
    if (inFlightEvents + count > o.maxInFlightEvents)
      return unavailable(res, 'too many events in flight (backpressure)');
    const receivedAt = String(Date.now());
    const messages: Message[] = parsed.events.map(({ event, value }) => ({
      key: event.userId,
      value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
      headers: { 'content-type': 'application/x-protobuf', 'trib-received-ms': receivedAt },
    }));
    // Counted until Kafka answers, even after an ack timeout answered the client: memory stays bounded.
    inFlightEvents += count;
    const sending = producer.send({ topic: o.topic, messages, acks: -1, compression });
    void sending.then(
      () => (inFlightEvents -= count),
      () => (inFlightEvents -= count),
    );
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AckTimeoutError()), o.ackTimeoutMs);
      });
      await Promise.race([sending, timeout]);
      metrics.ackLatency.observe((performance.now() - started) / 1000);
      metrics.events.inc({ result: 'accepted' }, count);
      json(res, 200, { accepted: count, rejected: 0, results: parsed.results satisfies EventResult[] });
    } catch (err) {
      if (err instanceof AckTimeoutError) {
        unavailable(
          res,
          `Kafka did not acknowledge within ackTimeoutMs (${o.ackTimeoutMs} ms); the events may still be written`,
        );
        return;
      }
      const wrapped = wrapKafkaError(ProducerErrorCodes.SEND_FAILED, 'Kafka rejected the events', err);
      if (wrapped.retriable) unavailable(res, wrapped.message);
      else json(res, 500, { error: wrapped.message, code: wrapped.code });
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
        } else if (closing) {
          req.resume();
          unavailable(res, 'shutting down');
        } else {
          await handleEvents(req, res);
        }
      } else if (path === '/health' || path === '/health/ready' || path === '/health/live') {
        req.resume();
        const live = !closing;
        const ok = path === '/health/live' ? live : live && ready;
        json(res, ok ? 200 : 503, { live, ready: ready && !closing, kafkaConnected: ready, inFlightEvents });
      } else if (path === '/metrics' && req.method === 'GET') {
        req.resume();
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
        metrics.requests.inc({ status: '200' });
      } else {
        req.resume();
        json(res, 404, { error: 'not found' });
      }
    } catch (err) {
      if (!res.headersSent) json(res, 500, { error: (err as Error).message });
      else res.destroy();
    } finally {
      const latencyMs = performance.now() - started;
      publish(channels.gatewayRequest, { status: res.statusCode, path, latencyMs });
      log?.debug({ method: req.method, path, status: res.statusCode, latencyMs }, 'request');
      if (--activeRequests === 0) for (const w of idleWaiters) w();
    }
  }

  const server = createServer((req, res) => void handle(req, res));

  return {
    options: o,
    metrics,
    server,
    get ready() {
      return ready && !closing;
    },
    async listen() {
      // While connecting, the gateway reports the failures itself: kafkajs' own lines go to debug meanwhile.
      kafka = await createGatewayKafka(o, o.logger, () => !ready);
      return new Promise<AddressInfo>((resolve, reject) => {
        server.once('error', reject);
        server.listen(o.port, o.host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          log?.info(
            { host: address.address, port: address.port, topic: o.topic, endpoints: ENDPOINTS },
            'listening',
          );
          void connect();
          resolve(address);
        });
      });
    },
    waitUntilReady(timeoutMs = 30_000) {
      if (ready) return Promise.resolve();
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
      ready = false;
      await producer?.disconnect().catch(() => undefined);
      log?.info({}, 'closed');
    },
  };
}
