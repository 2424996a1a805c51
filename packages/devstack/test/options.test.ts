import { describe, expect, it } from 'vitest';
import { DEVSTACK_DEFAULTS, defaultCacheDir, resolveDevstackOptions } from '../src/options.js';

describe('resolveDevstackOptions', () => {
  it('applies DEVSTACK_DEFAULTS', () => {
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
    expect(o.cacheDir).toBe(DEVSTACK_DEFAULTS.cacheDir);
  });

  it.each([
    [{ kafkaPort: 0 }, 'kafkaPort must be an integer between 1 and 65535 (got 0)'],
    [{ esPort: 70_000 }, 'esPort must be an integer between 1 and 65535 (got 70000)'],
    [{ kafkaControllerPort: 1.5 }, 'kafkaControllerPort must be an integer between 1 and 65535'],
    [{ esTransportPort: '9300' }, 'esTransportPort must be an integer between 1 and 65535'],
    [{ kafkaHeap: '1 GB' }, 'kafkaHeap must look like "512m" or "1g"'],
    [{ esHeap: '0m' }, 'esHeap must look like "512m" or "1g"'],
    [{ kafkaVersion: 'latest' }, 'kafkaVersion must look like "3.9.1"'],
    [{ esVersion: '8' }, 'esVersion must look like "8.14.3"'],
    [{ services: [] }, 'services must be a non-empty array of kafka, elasticsearch'],
    [
      { services: ['kafka', 'zookeeper'] },
      'services must only contain kafka, elasticsearch (got "zookeeper")',
    ],
    [{ writeQueueSize: 0 }, 'writeQueueSize must be an integer >= 1 (got 0)'],
    [{ writeThreadPoolSize: -1 }, 'writeThreadPoolSize must be an integer >= 1'],
    [{ startTimeoutMs: 10 }, 'startTimeoutMs must be an integer >= 1000'],
    [{ reuse: 'yes' }, 'reuse must be a boolean'],
    [{ cacheDir: '' }, 'cacheDir must be a non-empty string'],
    [{ javaCommand: ' ' }, 'javaCommand must be a non-empty string'],
    [{ kafkaProperties: { 'num.partitions': 3 } }, 'kafkaProperties.num.partitions must be a string'],
    [{ esSettings: [] }, 'esSettings must be an object of string values'],
    [{ log: 'console' }, 'log must be a function'],
    [{ kafkaPort: 9200 }, 'esPort must differ from kafkaPort (both are 9200)'],
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
