import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import {
  devstackOptionsFromEnv,
  freePorts,
  startDevstack,
  type Devstack,
  type ElasticsearchCredentials,
} from '@tributary/devstack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BulkSink } from '../src/bulk-sink.js';
import { createKafkaEsConnector } from '../src/connector/kafka-es-connector.js';
import {
  ELASTICSEARCH_CONNECTION_OPTIONS,
  elasticsearchClientOptions,
  type ElasticsearchConnectionInput,
} from '../src/elasticsearch-connection.js';
import type { SinkError } from '../src/errors.js';
import type { Ack, DeadLetterReason } from '../src/types.js';

/**
 * A second, real Elasticsearch started through the devstack with security and HTTP TLS on (its CA and certificate
 * made at start, the `elastic` user's password generated), one start for the whole file: the sink indexes through
 * basic auth, a CA file, a pinned CA fingerprint and a node list whose first node is down (API keys: see beforeAll); wrong credentials and a wrong CA fail the connector's start naming the options to fix.
 */
let dir: string;
let stack: Devstack | undefined;
let url: string;
let security: ElasticsearchCredentials;
let admin: Client;
/** A port nothing listens on: the node in a list that is down. */
let deadPort: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'es-sink-secured-'));
  // Elasticsearch runs unprivileged when the tests run as root: its data directory below must be reachable.
  await chmod(dir, 0o755);
  const { esPort, esTransportPort, unused } = await freePorts('esPort', 'esTransportPort', 'unused');
  deadPort = unused;
  stack = await startDevstack({
    ...devstackOptionsFromEnv(),
    services: ['elasticsearch'],
    esPort,
    esTransportPort,
    esHeap: '512m',
    dataDir: join(dir, 'data'),
    reuse: false,
    esSecurity: true,
    javaCommand: inject('kafkaTools').javaCommand,
    log: (line) => console.log(`[secured elasticsearch] ${line}`),
  });
  const es = stack.elasticsearch!;
  expect(es.url).toBe(`https://127.0.0.1:${esPort}`);
  expect(es.security).toBeDefined();
  url = es.url;
  security = es.security!;
  expect((await readFile(security.passwordFile, 'utf8')).trim()).toBe(security.password);
  admin = new Client({
    node: url,
    auth: { username: security.username, password: security.password },
    tls: { ca: await readFile(security.caFile, 'utf8') },
  });
  // API keys cannot be created on this distribution: the integ-test-zip lacks the analysis-common module the
  // `.security` index's mapping needs (`pattern_capture`). Basic auth is what the real node checks here; the API key
  // path (the `ApiKey` header) is covered by the unit tests against a fake node.
});

afterAll(async () => {
  await admin?.close();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Writes `docs` documents through a BulkSink built from the connection options; what was acknowledged. */
async function indexThrough(
  input: ElasticsearchConnectionInput,
  index: string,
  docs = 25,
): Promise<{ acks: Ack[]; dead: DeadLetterReason[]; count: number }> {
  const acks: Ack[] = [];
  const dead: DeadLetterReason[] = [];
  const sink = new BulkSink({
    ...elasticsearchClientOptions(ELASTICSEARCH_CONNECTION_OPTIONS.resolve(input)),
    index,
    flushIntervalMs: 50,
    onAck: (_item, ack) => void acks.push(ack),
    onDeadLetter: (_item, reason) => void dead.push(reason),
  });
  for (let i = 0; i < docs; i++) await sink.write({ n: i, name: `doc-${i}` }, { id: `doc-${i}` });
  await sink.close();
  await admin.indices.refresh({ index });
  const { count } = await admin.count({ index });
  return { acks, dead, count };
}

/** The error a connector's start fails with (its Elasticsearch check runs before Kafka is touched). */
async function startFailure(input: ElasticsearchConnectionInput): Promise<SinkError> {
  const connector = createKafkaEsConnector({
    brokers: inject('kafkaBrokers'),
    topic: 'es-sink-secured-never-read',
    groupId: 'es-sink-secured-never-joined',
    deadLetterTopic: false,
    sink: {
      ...elasticsearchClientOptions(ELASTICSEARCH_CONNECTION_OPTIONS.resolve(input)),
      index: 'es-sink-secured-never-written',
    },
  });
  try {
    await connector.start();
  } catch (error) {
    return error as SinkError;
  } finally {
    await connector.stop().catch(() => undefined);
  }
  throw new Error('expected the start to fail');
}

describe('es-sink against an Elasticsearch with security and HTTP TLS on', () => {
  it('indexes and acknowledges with basic auth (password file) and the CA file', async () => {
    const result = await indexThrough(
      {
        esUrl: url,
        esUsername: security.username,
        esPasswordFile: security.passwordFile,
        esCaFile: security.caFile,
      },
      'es-sink-secured-basic',
    );
    expect(result.dead).toEqual([]);
    expect(result.acks).toHaveLength(25);
    expect(result.acks.every((ack) => ack.kind === 'written')).toBe(true);
    expect(result.count).toBe(25);
  });

  it('indexes and acknowledges with basic auth and the pinned CA fingerprint', async () => {
    const result = await indexThrough(
      {
        esUrl: url,
        esUsername: security.username,
        esPassword: security.password,
        esCaFingerprint: security.caFingerprint,
      },
      'es-sink-secured-api-key',
    );
    expect(result.dead).toEqual([]);
    expect(result.acks).toHaveLength(25);
    expect(result.count).toBe(25);
  });

  it('indexes through the second node of the list when the first is down', async () => {
    const result = await indexThrough(
      {
        esUrl: `https://127.0.0.1:${deadPort},${url}`,
        esUsername: security.username,
        esPasswordFile: security.passwordFile,
        esCaFile: security.caFile,
      },
      'es-sink-secured-two-nodes',
    );
    expect(result.dead).toEqual([]);
    expect(result.acks).toHaveLength(25);
    expect(result.count).toBe(25);
  });

  it('fails the start on wrong credentials, naming the options and never the secret', async () => {
    const ca = { esCaFile: security.caFile };
    const cases: ElasticsearchConnectionInput[] = [
      { esUrl: url, ...ca, esUsername: security.username, esPassword: 'wrong-password-71c2' },
      { esUrl: `https://elastic:wrong-password-71c2@127.0.0.1:${new URL(url).port}`, ...ca },
    ];
    for (const input of cases) {
      const error = await startFailure(input);
      expect(error.code).toBe('TRIB_SINK_AUTH_FAILED');
      expect(error.message).toMatch(/refused the credentials \(401\): check esUsername with esPassword/);
      expect(error.message).toMatch(/esApiKey/);
      expect(error.message).not.toMatch(/wrong-password-71c2|wrong-key-5d0e|aWQ6d3Jvbmct/);
    }
  });

  it('fails the start when the node is not trusted, naming the CA options', async () => {
    const untrusted: ElasticsearchConnectionInput[] = [
      { esUrl: url, esUsername: security.username, esPassword: security.password },
      {
        esUrl: url,
        esUsername: security.username,
        esPassword: security.password,
        esCaFingerprint: 'AB'.repeat(32),
      },
    ];
    for (const input of untrusted) {
      const error = await startFailure(input);
      expect(error.code).toBe('TRIB_SINK_CONNECTION_FAILED');
      expect(error.message).toMatch(/check esCaFile \(TRIBUTARY_ES_CA_FILE\) or esCaFingerprint/);
      expect(error.message).not.toContain(security.password);
    }
  });
});
