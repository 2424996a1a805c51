import { describe, expect, it } from 'vitest';
import { elasticsearchSettings, settingsToArgs } from '../../src/elasticsearch/settings.js';

const base = { port: 19200, transportPort: 19300, dataDir: '/d/data', logsDir: '/d/logs' };

describe('elasticsearchSettings', () => {
  it('is a single node on loopback without security or disk watermarks', () => {
    const s = elasticsearchSettings({ ...base, writeQueueSize: undefined, writeThreadPoolSize: undefined });
    expect(s).toMatchObject({
      'http.port': '19200',
      'transport.port': '19300',
      'network.host': '127.0.0.1',
      'discovery.type': 'single-node',
      'xpack.security.enabled': 'false',
      'cluster.routing.allocation.disk.threshold_enabled': 'false',
      'path.data': '/d/data',
      'path.logs': '/d/logs',
    });
    expect(s).not.toHaveProperty('thread_pool.write.queue_size');
  });

  it('sets the write pool for real 429s, and extra settings win', () => {
    const s = elasticsearchSettings({
      ...base,
      writeQueueSize: 1,
      writeThreadPoolSize: 1,
      extra: { 'http.port': '1' },
    });
    expect(s['thread_pool.write.queue_size']).toBe('1');
    expect(s['thread_pool.write.size']).toBe('1');
    expect(s['http.port']).toBe('1');
  });
});

describe('settingsToArgs', () => {
  it('makes -E pairs', () => {
    expect(settingsToArgs({ a: '1', 'b.c': 'x y' })).toEqual(['-E', 'a=1', '-E', 'b.c=x y']);
  });
});
