import { describe, expect, it } from 'vitest';
import {
  DEVSTACK_OPTIONS,
  defaultCacheDir,
  devstackOptionsFromEnv,
  resolveDevstackOptions,
} from '../src/options.js';

describe('resolveDevstackOptions', () => {
  it('applies the defaults of DEVSTACK_OPTIONS', () => {
    const o = resolveDevstackOptions();
    expect(o.kafkaPort).toBe(9092);
    expect(o.kafkaControllerPort).toBe(9093);
    expect(o.esPort).toBe(9200);
    expect(o.esTransportPort).toBe(9300);
    expect(o.kafkaVersion).toBe('3.9.1');
    expect(o.esVersion).toBe('8.14.3');
    expect(o.kafkaHeap).toBe('1g');
    expect(o.esHeap).toBe('1g');
    expect(o.services).toEqual(['kafka', 'elasticsearch']);
    expect(o.dataDir).toBeUndefined();
    expect(o.writeQueueSize).toBeUndefined();
    expect(o.reuse).toBe(true);
    expect(o.autoCreateTopics).toBe(false);
    expect(o.cacheDir).toBe(defaultCacheDir());
    expect(o.cacheDir).toBe(DEVSTACK_OPTIONS.defaults.cacheDir);
    expect(o.log('line')).toBeUndefined();
  });

  it.each([
    [{ kafkaPort: 0 }, 'kafkaPort must be an integer between 1 and 65535 (got 0)'],
    [{ esPort: 70_000 }, 'esPort must be an integer between 1 and 65535 (got 70000)'],
    [{ kafkaControllerPort: 1.5 }, 'kafkaControllerPort must be an integer between 1 and 65535'],
    [{ esTransportPort: '9300' }, 'esTransportPort must be an integer between 1 and 65535 (got "9300")'],
    [{ kafkaHeap: '1 GB' }, 'kafkaHeap must look like "512m" or "1g" (got "1 GB")'],
    [{ esHeap: '0m' }, 'esHeap must look like "512m" or "1g"'],
    [{ kafkaVersion: 'latest' }, 'kafkaVersion must look like "3.9.1" (got "latest")'],
    [{ esVersion: '8' }, 'esVersion must look like "8.14.3"'],
    [{ services: [] }, 'services must not be empty (got [])'],
    [
      { services: ['kafka', 'zookeeper'] },
      'services must only contain kafka, elasticsearch (got ["kafka","zookeeper"])',
    ],
    [{ writeQueueSize: 0 }, 'writeQueueSize must be >= 1 (got 0)'],
    [{ writeThreadPoolSize: -1 }, 'writeThreadPoolSize must be >= 1 (got -1)'],
    [{ startTimeoutMs: 10 }, 'startTimeoutMs must be >= 1000 (got 10)'],
    [{ stopTimeoutMs: 1.5 }, 'stopTimeoutMs must be an integer (got 1.5)'],
    [{ reuse: 'yes' }, 'reuse must be a boolean (got "yes")'],
    [{ cacheDir: '' }, 'cacheDir must be a non-empty string'],
    [{ javaCommand: ' ' }, 'javaCommand must be a non-empty string (got " ")'],
    [{ kafkaProperties: { 'num.partitions': 3 } }, 'kafkaProperties.num.partitions must be a string (got 3)'],
    [{ esSettings: [] }, 'esSettings must be an object of string values (got [])'],
    [{ log: 'console' }, 'log must be a function (got "console")'],
    [{ kafkaPort: 9200 }, 'esPort must differ from kafkaPort (both are 9200)'],
    [{ kafkaPrt: 1 }, 'kafkaPrt is not an option of @tributary/devstack'],
  ])('rejects %j naming the option', (bad, message) => {
    expect(() => resolveDevstackOptions(bad as never)).toThrow(
      expect.objectContaining({ code: 'TRIB_DEVSTACK_INVALID_OPTION' }),
    );
    expect(() => resolveDevstackOptions(bad as never)).toThrow(message);
  });

  it('checks port clashes only among the selected services', () => {
    expect(resolveDevstackOptions({ services: ['kafka'], kafkaPort: 9200 }).kafkaPort).toBe(9200);
  });

  it('keeps services in canonical order and resolves relative paths', () => {
    const o = resolveDevstackOptions({ services: ['elasticsearch', 'kafka'], dataDir: 'rel/data' });
    expect(o.services).toEqual(['kafka', 'elasticsearch']);
    expect(o.dataDir).toBe(`${process.cwd()}/rel/data`);
  });

  it('treats undefined like absent', () => {
    expect(resolveDevstackOptions({ kafkaPort: undefined } as never).kafkaPort).toBe(9092);
  });
});

describe('devstackOptionsFromEnv', () => {
  it('maps TRIBUTARY_* variables onto the options they set, irregular names included', () => {
    const options = devstackOptionsFromEnv({
      TRIBUTARY_KAFKA_PORT: '19092',
      TRIBUTARY_ES_PORT: '19200',
      TRIBUTARY_DEVSTACK_SERVICES: 'es',
      TRIBUTARY_ES_WRITE_QUEUE_SIZE: '2',
      TRIBUTARY_ES_WRITE_THREADS: '3',
      TRIBUTARY_ES_HEAP: '512m',
      TRIBUTARY_DEVSTACK_CACHE: '/tmp/c',
      TRIBUTARY_DEVSTACK_DATA: '/tmp/d',
      TRIBUTARY_DEVSTACK_START_TIMEOUT_MS: '5000',
      TRIBUTARY_KAFKA_HEAP: '',
      TRIBUTARY_STOP_TIMEOUT_MS: '1',
      TRIBUTARY_REUSE: 'false',
    });
    expect(options).toEqual({
      kafkaPort: 19092,
      esPort: 19200,
      services: ['elasticsearch'],
      writeQueueSize: 2,
      writeThreadPoolSize: 3,
      esHeap: '512m',
      cacheDir: '/tmp/c',
      dataDir: '/tmp/d',
      startTimeoutMs: 5000,
    });
  });

  it('accepts kafka,es lists and all for services', () => {
    expect(devstackOptionsFromEnv({ TRIBUTARY_DEVSTACK_SERVICES: 'es, kafka' }).services).toEqual([
      'kafka',
      'elasticsearch',
    ]);
    expect(devstackOptionsFromEnv({ TRIBUTARY_DEVSTACK_SERVICES: 'all' }).services).toEqual([
      'kafka',
      'elasticsearch',
    ]);
  });

  it('names the variable and the value when one is bad', () => {
    expect(() => devstackOptionsFromEnv({ TRIBUTARY_KAFKA_PORT: 'abc' })).toThrow(
      'TRIBUTARY_KAFKA_PORT must be an integer between 1 and 65535 (got "abc")',
    );
    expect(() => devstackOptionsFromEnv({ TRIBUTARY_ES_PORT: '99999' })).toThrow(
      expect.objectContaining({ code: 'TRIB_DEVSTACK_INVALID_OPTION', option: 'TRIBUTARY_ES_PORT' }),
    );
    expect(() => devstackOptionsFromEnv({ TRIBUTARY_DEVSTACK_SERVICES: 'zookeeper' })).toThrow(
      'TRIBUTARY_DEVSTACK_SERVICES must only contain kafka, elasticsearch (got "zookeeper")',
    );
  });
});

describe('defaultCacheDir', () => {
  it('prefers TRIBUTARY_DEVSTACK_CACHE', () => {
    expect(defaultCacheDir({ TRIBUTARY_DEVSTACK_CACHE: '/opt/cache' }, 0, '/root')).toBe('/opt/cache');
  });
  it('uses a directory nobody can traverse when root (/root is mode 700)', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/root/.cache' }, 0, '/root')).toBe('/var/cache/tributary');
  });
  it('uses XDG_CACHE_HOME, then ~/.cache for other users', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' }, 1000, '/home/a')).toBe('/x/tributary');
    expect(defaultCacheDir({}, 1000, '/home/a')).toBe('/home/a/.cache/tributary');
  });
});
