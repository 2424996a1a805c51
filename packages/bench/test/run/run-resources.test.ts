import type { Client } from '@elastic/elasticsearch';
import type { Admin } from '@tributary/kafka';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { processorFlags } from '../../src/run/processor-child.js';
import { devstackConnection } from '../../src/run/run-bench.js';
import { deleteRunResources, runProcessorLaunch, runTopics } from '../../src/run/run-resources.js';
import { authorizationHeader } from '../../src/scenarios/queries-scenario.js';
import { elasticsearchClientOptions } from '@tributary/es-sink';

describe('runTopics', () => {
  it('names every topic after the run id', () => {
    expect(runTopics('bench-x')).toEqual({
      input: 'bench-x-events',
      results: 'bench-x-results',
      late: 'bench-x-late',
      dlq: 'bench-x-dlq',
      repartition: 'bench-x-repartition',
      enriched: 'bench-x-enriched',
      pages: 'bench-x-pages',
      users: 'bench-x-users',
    });
  });
});

describe('the Elasticsearch connection of a run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-es-'));
  afterAll(() => rmSync(dir, { recursive: true }));
  const security = {
    caFile: join(dir, 'ca.pem'),
    caFingerprint: 'AB:CD',
    username: 'elastic',
    password: 'pw-devstack-1',
    passwordFile: join(dir, 'elastic.password'),
  };
  writeFileSync(security.caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  writeFileSync(security.passwordFile, 'pw-devstack-1\n');

  it("comes from the devstack's handle: its URL, and with security on its user, password file and CA", () => {
    const base = {
      url: 'http://127.0.0.1:9200',
      port: 9200,
      version: '8',
      startupMs: 0,
      reused: true,
      logFiles: [],
    };
    expect(devstackConnection(base)).toMatchObject({ esUrl: ['http://127.0.0.1:9200'] });
    const secured = devstackConnection({ ...base, url: 'https://127.0.0.1:9200', security });
    expect(secured).toMatchObject({
      esUrl: ['https://127.0.0.1:9200'],
      esUsername: 'elastic',
      esPasswordFile: security.passwordFile,
      esCaFile: security.caFile,
    });
    expect(JSON.stringify(secured)).not.toContain('pw-devstack-1');
  });

  it('reaches the processor child through its environment, never its command line', () => {
    const launch = runProcessorLaunch(
      {
        brokers: ['127.0.0.1:9092'],
        id: 'bench-x',
        topics: runTopics('bench-x'),
        windowSizeMs: 1000,
        outOfOrdernessMs: 100,
        idleTimeoutMs: 1000,
        esConnection: {
          esUrl: ['https://elastic:pw-url-2@es-1:9200'],
          esApiKey: undefined,
          esCaFingerprint: 'ab'.repeat(32),
        },
      },
      { PATH: '/bin', TRIBUTARY_ES_API_KEY: 'key-inherited-3' },
    );
    const flags = processorFlags(launch.config).join(' ');
    expect(flags).not.toMatch(/pw-url-2|key-inherited-3|es-url|es-ca/);
    expect(launch.env).toEqual({
      PATH: '/bin',
      TRIBUTARY_ES_URL: 'https://elastic:pw-url-2@es-1:9200',
      TRIBUTARY_ES_CA_FINGERPRINT: 'ab'.repeat(32),
    });
  });

  it('gives autocannon the Authorization header the client sends', () => {
    const apiKey = elasticsearchClientOptions({ esUrl: ['https://es:9200'], esApiKey: 'a2V5' });
    expect(authorizationHeader(apiKey)).toBe('ApiKey a2V5');
    const basic = elasticsearchClientOptions({ esUrl: ['https://elastic:pw@es:9200'] });
    expect(authorizationHeader(basic)).toBe(`Basic ${Buffer.from('elastic:pw').toString('base64')}`);
    expect(authorizationHeader(elasticsearchClientOptions({ esUrl: ['http://es:9200'] }))).toBeUndefined();
  });
});

describe('deleteRunResources', () => {
  function fakes(fail: boolean): { admin: Admin; es: Client; calls: string[] } {
    const calls: string[] = [];
    const step = (name: string, value?: unknown) =>
      vi.fn(async (arg?: unknown) => {
        calls.push(arg === undefined ? name : `${name} ${JSON.stringify(arg)}`);
        if (fail) throw new Error(`${name} failed`);
        return value;
      });
    const admin = {
      listTopics: step('listTopics', ['bench-x-events', 'other-topic', 'bench-x-results']),
      deleteTopics: step('deleteTopics'),
      disconnect: step('disconnect'),
    } as unknown as Admin;
    const es = {
      indices: {
        get: step('indices.get', { 'bench-x-windows': {} }),
        delete: step('indices.delete'),
        deleteIndexTemplate: step('deleteIndexTemplate'),
      },
      close: step('close'),
    } as unknown as Client;
    return { admin, es, calls };
  }

  it("deletes the run's topics, indices and template by name, then closes both clients", async () => {
    const { admin, es, calls } = fakes(false);
    await deleteRunResources(admin, es, 'bench-x');
    expect(calls).toEqual([
      'listTopics',
      'deleteTopics {"topics":["bench-x-events","bench-x-results"]}',
      'disconnect',
      'indices.get {"index":["bench-x-*","raw-bench-x-*"],"ignore_unavailable":true,"allow_no_indices":true}',
      'indices.delete {"index":["bench-x-windows"]}',
      'deleteIndexTemplate {"name":"bench-x"}',
      'deleteIndexTemplate {"name":"raw-bench-x"}',
      'close',
    ]);
  });

  it('never throws, and still closes both clients when every call fails', async () => {
    const { admin, es, calls } = fakes(true);
    await expect(deleteRunResources(admin, es, 'bench-x')).resolves.toBeUndefined();
    expect(calls).toEqual([
      'listTopics',
      'disconnect',
      'indices.get {"index":["bench-x-*","raw-bench-x-*"],"ignore_unavailable":true,"allow_no_indices":true}',
      'deleteIndexTemplate {"name":"bench-x"}',
      'deleteIndexTemplate {"name":"raw-bench-x"}',
      'close',
    ]);
  });
});
