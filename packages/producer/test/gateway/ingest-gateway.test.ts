import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@tributary/kafka';
import type { OptionInput } from '@tributary/options';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProducerError, ProducerErrorCodes } from '../../src/errors.js';
import type { GatewayKafka, GatewayProducer } from '../../src/gateway/gateway-kafka.js';
import type { GATEWAY_OPTIONS } from '../../src/gateway/gateway-options.js';
import { createIngestGateway } from '../../src/gateway/ingest-gateway.js';
import type { IngestGateway } from '../../src/gateway/ingest-gateway.js';

const KEY = 'key-aaaaaaaaaaaaaaaa';

/** A Kafka that connects when `up`, and whose sends wait for `ack()` / `fail()` when `hold` is set. */
class FakeKafka implements GatewayKafka {
  up = true;
  /** What connect() rejects with while not `up`. */
  connectError: unknown = new Error('Connection error: ECONNREFUSED');
  hold = false;
  sendError: unknown;
  readonly sent: Message[][] = [];
  readonly #pending: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];

  async connect(): Promise<GatewayProducer> {
    if (!this.up) throw this.connectError;
    return {
      send: (messages) => {
        this.sent.push(messages);
        if (this.sendError !== undefined) return Promise.reject(this.sendError);
        if (!this.hold) return Promise.resolve();
        return new Promise<void>((resolve, reject) => this.#pending.push({ resolve, reject }));
      },
      disconnect: async () => undefined,
    };
  }

  ackAll(): void {
    for (const p of this.#pending.splice(0)) p.resolve();
  }
}

const gateways: IngestGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

async function start(
  options: OptionInput<typeof GATEWAY_OPTIONS.specs> = {},
  kafka = new FakeKafka(),
  files: Record<string, string> = {},
): Promise<{ gateway: IngestGateway; url: string; port: number; kafka: FakeKafka }> {
  const gateway = createIngestGateway(
    { port: 0, reconnectBackoffMs: 50, shutdownTimeoutMs: 0, ...options },
    {
      kafka: async () => kafka,
      readFile: (path) => files[path] ?? readFileSync(path, 'utf8'),
    },
  );
  gateways.push(gateway);
  const { port } = await gateway.listen();
  if (kafka.up) await gateway.waitUntilReady(5_000);
  const scheme = options.tlsCertFile === undefined ? 'http' : 'https';
  return { gateway, url: `${scheme}://127.0.0.1:${port}`, port, kafka };
}

const event = (i: number, extra: Record<string, unknown> = {}) => ({
  user_id: `u${i}`,
  page_url: `/p/${i}`,
  timestamp: Date.now(),
  event_type: 'CLICK',
  event_id: `e${i}`,
  ...extra,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What /metrics reports held against maxInFlightBytes. */
async function inFlightBytes(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^tributary_gateway_in_flight_bytes (\d+)$/m.exec(text)![1]);
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('ingest gateway over HTTP, with a fake Kafka', () => {
  it('listens on 127.0.0.1 by default and writes accepted events', async () => {
    const { gateway, url, kafka } = await start();
    expect(gateway.server.address()).toMatchObject({ address: '127.0.0.1' });
    const res = await post(url, [event(1), event(2)]);
    expect(res).toMatchObject({ status: 200, body: { accepted: 2 } });
    expect(kafka.sent[0]!.map((m) => m.key)).toEqual(['u1', 'u2']);
  });

  it('with API keys: 401 with WWW-Authenticate without or with a wrong key, health open, /metrics keyed', async () => {
    const { url, kafka } = await start({ apiKeys: [KEY] });
    const none = await post(url, [event(1)]);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="tributary-ingest"');
    expect(none.body).toMatchObject({ code: 'TRIB_PRODUCER_UNAUTHORIZED' });
    const wrong = await post(url, [event(1)], { authorization: 'Bearer key-bbbbbbbbbbbbbbbb' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(kafka.sent).toHaveLength(0);
    expect((await post(url, [event(1)], { authorization: `Bearer ${KEY}` })).status).toBe(200);
    expect((await post(url, [event(2)], { 'x-api-key': KEY })).status).toBe(200);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { 'x-api-key': KEY } })).status).toBe(200);
  });

  it('reads API keys from a file', async () => {
    const { url } = await start({ apiKeysFile: 'keys' }, new FakeKafka(), { keys: `# ops\n${KEY}\n` });
    expect((await post(url, [event(1)], { 'x-api-key': KEY })).status).toBe(200);
    expect((await post(url, [event(1)])).status).toBe(401);
  });

  it('answers 503 with Retry-After while Kafka is unavailable, before reading the body', async () => {
    const kafka = new FakeKafka();
    kafka.up = false;
    const { url, port, gateway } = await start({ retryAfterSeconds: 7 }, kafka);
    const res = await post(url, [event(1)]);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toMatchObject({ code: 'TRIB_PRODUCER_KAFKA_UNAVAILABLE' });
    // Headers announcing a body that never comes: answered at once, the body not awaited.
    const answer = await rawRequest(
      port,
      'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1.1 503/);
    expect((await fetch(`${url}/health/ready`)).status).toBe(503);
    kafka.up = true;
    await gateway.waitUntilReady(5_000);
    expect((await post(url, [event(1)])).status).toBe(200);
  });

  it('answers 429 before reading the body while the in-flight budget is full', async () => {
    const kafka = new FakeKafka();
    kafka.hold = true;
    const { url, port } = await start({ maxInFlightEvents: 2, retryAfterSeconds: 3 }, kafka);
    const first = post(url, [event(1), event(2)]);
    while (kafka.sent.length === 0) await new Promise((r) => setTimeout(r, 5));
    // Headers announcing a body that never comes: answered at once, the body not awaited.
    const answer = await rawRequest(
      port,
      'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1.1 429/);
    expect(answer).toMatch(/\r\nretry-after: 3\r\n/i);
    expect(answer).toContain('TRIB_PRODUCER_BACKPRESSURE');
    kafka.ackAll();
    expect((await first).status).toBe(200);
  });

  it('answers 413 for a body over maxBodyBytes, declared or streamed, without sending anything', async () => {
    const { url, port, kafka } = await start({ maxBodyBytes: 1024 });
    const declared = await rawRequest(
      port,
      'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n',
    );
    expect(declared).toMatch(/^HTTP\/1.1 413/);
    expect(declared).toContain('maxBodyBytes (1024 bytes)');
    const chunked = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(
            new TextEncoder().encode(JSON.stringify([event(1, { user_agent: 'a'.repeat(2_000) })])),
          );
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(kafka.sent).toHaveLength(0);
  });

  it('logs refused Kafka credentials at error naming the options, never the password', async () => {
    const kafka = new FakeKafka();
    kafka.up = false;
    kafka.connectError = Object.assign(new Error('Connection error'), {
      name: 'KafkaJSNonRetriableError',
      cause: Object.assign(new Error('SASL SCRAM SHA512 authentication failed, invalid credentials'), {
        name: 'KafkaJSSASLAuthenticationError',
      }),
    });
    const lines: Array<{ level: string; fields: unknown; msg: string }> = [];
    const logger = Object.fromEntries(
      ['debug', 'info', 'warn', 'error'].map((level) => [
        level,
        (fields: unknown, msg: string) => void lines.push({ level, fields, msg }),
      ]),
    ) as unknown as NonNullable<OptionInput<typeof GATEWAY_OPTIONS.specs>['logger']>;
    await start({ logger, kafkaSaslPassword: 'sasl-pw-71c0de' }, kafka);
    while (!lines.some((l) => l.level === 'error')) await new Promise((r) => setTimeout(r, 5));
    const error = lines.find((l) => l.level === 'error')!;
    expect(error.msg).toBe('Kafka refused the TLS/SASL settings; retrying (answering 503 meanwhile)');
    expect(error.fields).toMatchObject({
      error: expect.stringMatching(
        /TRIB_KAFKA_INVALID_OPTION: the brokers refused the SASL credentials: check --kafka-sasl-mechanism/,
      ),
    });
    expect(JSON.stringify(lines)).not.toContain('sasl-pw-71c0de');
  });

  it('logs refused credentials at error even when the outage began with an unreachable broker', async () => {
    const kafka = new FakeKafka();
    kafka.up = false;
    kafka.connectError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), {
      name: 'KafkaJSConnectionError',
    });
    const lines: Array<{ level: string; msg: string }> = [];
    const logger = Object.fromEntries(
      ['debug', 'info', 'warn', 'error'].map((level) => [
        level,
        (_fields: unknown, msg: string) => void lines.push({ level, msg }),
      ]),
    ) as unknown as NonNullable<OptionInput<typeof GATEWAY_OPTIONS.specs>['logger']>;
    await start({ logger, reconnectBackoffMs: 5 }, kafka);
    while (!lines.some((l) => l.level === 'warn')) await new Promise((r) => setTimeout(r, 5));
    kafka.connectError = Object.assign(new Error('Connection error'), {
      name: 'KafkaJSNonRetriableError',
      cause: Object.assign(new Error('SASL SCRAM SHA512 authentication failed, invalid credentials'), {
        name: 'KafkaJSSASLAuthenticationError',
      }),
    });
    while (!lines.some((l) => l.level === 'error')) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50)); // more refusals: at debug, not at error again
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
      'cannot connect to Kafka; retrying (answering 503 meanwhile)',
    ]);
    expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([
      'Kafka refused the TLS/SASL settings; retrying (answering 503 meanwhile)',
    ]);
  });

  it('answers 429 with Retry-After while the in-flight events or bytes are at their limit', async () => {
    const kafka = new FakeKafka();
    kafka.hold = true;
    const { url } = await start(
      { maxInFlightEvents: 3, maxInFlightBytes: 1024 * 1024, retryAfterSeconds: 2 },
      kafka,
    );
    const first = post(url, [event(1), event(2)]);
    while (kafka.sent.length === 0) await new Promise((r) => setTimeout(r, 5));
    const over = await post(url, [event(3), event(4)]);
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('2');
    expect(over.body).toMatchObject({ code: 'TRIB_PRODUCER_BACKPRESSURE' });
    kafka.ackAll();
    expect((await first).status).toBe(200);

    const bytes = new FakeKafka();
    bytes.hold = true;
    const small = await start({ maxBodyBytes: 1024, maxInFlightBytes: 1024 }, bytes);
    const big = [event(1, { user_agent: 'a'.repeat(700) })];
    const held = post(small.url, big);
    while (bytes.sent.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect((await post(small.url, [event(2, { user_agent: 'b'.repeat(700) })])).status).toBe(429);
    bytes.ackAll();
    expect((await held).status).toBe(200);
  });

  it('counts bodies in maxInFlightBytes: a Content-Length or a chunked body over what remains gets 429', async () => {
    const kafka = new FakeKafka();
    kafka.hold = true;
    const { url, port } = await start(
      { maxBodyBytes: 4096, maxInFlightBytes: 4096, retryAfterSeconds: 4 },
      kafka,
    );
    expect(await inFlightBytes(url)).toBe(0);
    const first = post(url, [event(1, { user_agent: 'a'.repeat(2_800) })]);
    while (kafka.sent.length === 0) await sleep(5);
    const held = await inFlightBytes(url); // the first request's record, until Kafka answers
    expect(held).toBeGreaterThan(2_800);
    // Declared: refused from the headers, before any of the body is sent (and without 100 Continue).
    const declared = await rawRequest(
      port,
      'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n' +
        'Expect: 100-continue\r\n\r\n',
    );
    expect(declared).toMatch(/^HTTP\/1.1 429/);
    expect(declared).toMatch(/\r\nretry-after: 4\r\n/i);
    expect(declared).toMatch(/\r\nconnection: close\r\n/i);
    expect(declared).toContain('TRIB_PRODUCER_BACKPRESSURE');
    expect(declared).toContain('does not fit in maxInFlightBytes');
    // Chunked: counted as it arrives, refused once the budget is exhausted, the connection closed.
    const chunked = await rawRequest(
      port,
      'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' +
        `7d0\r\n${' '.repeat(2_000)}\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1.1 429/);
    expect(chunked).toMatch(/\r\nretry-after: 4\r\n/i);
    expect(chunked).toContain('TRIB_PRODUCER_BACKPRESSURE');
    expect(await inFlightBytes(url)).toBe(held);
    kafka.ackAll();
    expect((await first).status).toBe(200);
    expect(await inFlightBytes(url)).toBe(0);
    expect(kafka.sent).toHaveLength(1);
  });

  it('holds a body being read against maxInFlightBytes until its client goes away', async () => {
    const { url, port } = await start({ maxBodyBytes: 4096, maxInFlightBytes: 4096 });
    const slow = connect(port, '127.0.0.1');
    slow.on('error', () => undefined);
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.write(
      'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3000\r\n\r\n[{',
    );
    while ((await inFlightBytes(url)) !== 3000) await sleep(5);
    const refused = await post(url, [event(1, { user_agent: 'b'.repeat(1_500) })]);
    expect(refused).toMatchObject({ status: 429, body: { code: 'TRIB_PRODUCER_BACKPRESSURE' } });
    slow.destroy();
    while ((await inFlightBytes(url)) !== 0) await sleep(5);
    expect((await post(url, [event(2, { user_agent: 'b'.repeat(1_500) })])).status).toBe(200);
    expect(await inFlightBytes(url)).toBe(0);
  });

  it('answers 413 for a record over maxRecordBytes, and when Kafka refuses one as too large', async () => {
    const { url, kafka } = await start({ maxRecordBytes: 1024 });
    const res = await post(url, [event(1), event(2, { user_agent: 'a'.repeat(1_500) })]);
    expect(res.status).toBe(413);
    expect(res.body['results']).toEqual([
      expect.objectContaining({ index: 0, ok: true }),
      expect.objectContaining({ index: 1, ok: false, code: 'TRIB_PRODUCER_RECORD_TOO_LARGE' }),
    ]);
    expect(kafka.sent).toHaveLength(0);
    kafka.sendError = new ProducerError(ProducerErrorCodes.RECORD_TOO_LARGE, 'too large for the topic');
    const refused = await post(url, [event(3)]);
    expect(refused).toMatchObject({ status: 413, body: { code: 'TRIB_PRODUCER_RECORD_TOO_LARGE' } });
  });

  it('answers 400 for a missing event_id, a lone surrogate or bytes that are not UTF-8', async () => {
    const { url } = await start();
    const { event_id: _, ...anonymous } = event(1);
    expect((await post(url, [anonymous])).body['results']).toEqual([
      expect.objectContaining({ index: 0, field: 'event_id' }),
    ]);
    const lone = await post(url, JSON.stringify([event(2)]).replace('"u2"', '"u2\\ud800"'));
    expect(lone.status).toBe(400);
    expect(lone.body['results']).toEqual([expect.objectContaining({ index: 0, field: 'user_id' })]);
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('[{"user_id":"'), Buffer.from([0xff]), Buffer.from('"}]')]),
    });
    expect(res.status).toBe(400);
  });

  it('derives event ids when asked, the same for a retried request with the same Idempotency-Key', async () => {
    const { url, kafka } = await start({ deriveEventId: true });
    const { event_id: _, ...anonymous } = event(1);
    const first = await post(url, [anonymous], { 'idempotency-key': 'req-1' });
    const retry = await post(url, [{ ...anonymous, timestamp: Date.now() + 1 }], {
      'idempotency-key': 'req-1',
    });
    expect(first.status).toBe(200);
    expect(retry.body['results']).toEqual(first.body['results']);
    expect(kafka.sent).toHaveLength(2);
    expect((await post(url, [anonymous], { 'idempotency-key': 'bad key' })).status).toBe(400);
  });
});

/** Sends raw bytes and resolves with what came back when the server closed the connection. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

describe('ingest gateway connections', () => {
  it('answers 408 and closes the connection of a client too slow to send its body', async () => {
    const { port, url } = await start({ httpHeadersTimeoutMs: 100, httpRequestTimeoutMs: 200 });
    const answer = await rawRequest(
      port,
      'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{',
    );
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    // Its body's reservation is released with the connection.
    while ((await inFlightBytes(url)) !== 0) await sleep(5);
    expect((await post(url, [event(1)])).status).toBe(200);
  });

  it('drops connections beyond maxConnections; idle ones time out and a normal request then works', async () => {
    const { url, gateway } = await start({
      maxConnections: 3,
      httpHeadersTimeoutMs: 150,
      httpRequestTimeoutMs: 150,
    });
    const port = (gateway.server.address() as { port: number }).port;
    const sockets: Socket[] = [];
    const closed: Array<Promise<string>> = [];
    for (let i = 0; i < 5; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      let data = '';
      socket.on('data', (d: Buffer) => (data += d.toString()));
      closed.push(new Promise((resolve) => socket.on('close', () => resolve(data))));
      sockets.push(socket);
      await new Promise((r) => socket.once('connect', r));
    }
    const answers = await Promise.all(closed);
    // Three held until the headers timeout (408), two dropped at once with nothing said.
    expect(answers.filter((a) => a.startsWith('HTTP/1.1 408')).length).toBe(3);
    expect(answers.filter((a) => a === '').length).toBe(2);
    expect((await post(url, [event(1)])).status).toBe(200);
  });
});

describe('ingest gateway over HTTPS', () => {
  let dir: string;
  const files = () => ({
    cert: join(dir, 'server.crt'),
    key: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
  });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-tls-'));
    const selfSigned = (key: string, cert: string, subject: string, san?: string): void => {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          subject,
          ...(san === undefined ? [] : ['-addext', `subjectAltName=${san}`]),
        ],
        { stdio: 'ignore' },
      );
    };
    const f = files();
    selfSigned(f.key, f.cert, '/CN=localhost', 'IP:127.0.0.1,DNS:localhost');
    selfSigned(f.clientKey, f.clientCert, '/CN=ingest-client');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function httpsPost(port: number, tls: { cert?: string; key?: string } = {}): Promise<number> {
    const f = files();
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/v1/events',
          method: 'POST',
          ca: readFileSync(f.cert),
          headers: { 'content-type': 'application/json' },
          ...tls,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify([event(1)]));
    });
  }

  it('serves POST /v1/events over TLS with the given certificate', async () => {
    const f = files();
    const { port, url } = await start({ tlsCertFile: f.cert, tlsKeyFile: f.key });
    expect(url).toMatch(/^https:/);
    expect(await httpsPost(port)).toBe(200);
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });

  it('requires a client certificate signed by tlsCaFile when it is set', async () => {
    const f = files();
    const { port } = await start({ tlsCertFile: f.cert, tlsKeyFile: f.key, tlsCaFile: f.clientCert });
    expect(
      await httpsPost(port, {
        cert: readFileSync(f.clientCert, 'utf8'),
        key: readFileSync(f.clientKey, 'utf8'),
      }),
    ).toBe(200);
    await expect(httpsPost(port)).rejects.toThrow();
  });

  it('fails at construction naming the option for an unreadable file', () => {
    expect(() =>
      createIngestGateway({ tlsCertFile: join(dir, 'none.crt'), tlsKeyFile: files().key }),
    ).toThrow(/tlsCertFile cannot be read/);
  });
});
