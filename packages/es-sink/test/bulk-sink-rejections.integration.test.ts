import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Client } from '@elastic/elasticsearch';
import { freePorts, startDevstack, type Devstack } from '@tributary/devstack';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkSink } from '../src/bulk-sink.js';
import { CHANNEL_NAMES, type RetryMessage } from '../src/diagnostics.js';
import { metricValue } from './helpers/metric-values.js';

// Real 429s need a node whose write thread pool is tiny, so this file starts its own small Elasticsearch (the
// shared one must not be reconfigured): one write thread, a queue of one.
let stack: Devstack;
let url: string;

beforeAll(async () => {
  stack = await startDevstack({
    services: ['elasticsearch'],
    ...(await freePorts('esPort', 'esTransportPort')),
    esHeap: '384m',
    writeQueueSize: 1,
    writeThreadPoolSize: 1,
    reuse: false,
  });
  url = stack.elasticsearch?.url as string;
});

afterAll(async () => {
  await stack?.stop();
});

describe('BulkSink under real write rejections (429)', () => {
  it('retries rejected documents with backoff until every one is indexed, and backs off its concurrency', async () => {
    const index = 'rejections';
    const client = new Client({ node: url });
    // Five shards: each bulk request fans out into five shard-level writes competing for one thread + one slot.
    await client.indices.create({ index, settings: { number_of_shards: 5, number_of_replicas: 0 } });
    const retries: RetryMessage[] = [];
    // The concurrency limit drops on a 429 and climbs back additively: sample it where the drop happens (on
    // every retry) and after every write, so a short dip is not missed between samples.
    const concurrencySamples: number[] = [];
    const listener = (m: unknown): void => {
      retries.push(m as RetryMessage);
      concurrencySamples.push(sink.stats.concurrency);
    };
    subscribe(CHANNEL_NAMES.retry, listener);
    const registry = new Registry();
    const sink = new BulkSink<{ n: number; text: string }>({
      node: url,
      index,
      idKey: (d) => String(d.n),
      flushDocs: 200,
      concurrency: 4,
      adaptiveConcurrency: true,
      minConcurrency: 1,
      maxConcurrency: 4,
      retryInitialDelayMs: 20,
      retryMaxDelayMs: 500,
      registry,
    });
    try {
      for (let n = 0; n < 4000; n++) {
        await sink.write({ n, text: `document ${n} `.repeat(8) });
        concurrencySamples.push(sink.stats.concurrency);
      }
      await sink.close();
    } finally {
      unsubscribe(CHANNEL_NAMES.retry, listener);
    }
    await client.indices.refresh({ index });
    expect((await client.count({ index })).count).toBe(4000);
    expect(sink.stats).toMatchObject({ total: 4000, successful: 4000, failed: 0 });
    expect(sink.stats.retried).toBeGreaterThan(0);
    expect(
      retries.some((r) => r.reason.includes('429') && r.reason.includes('es_rejected_execution_exception')),
    ).toBe(true);
    expect(Math.min(...concurrencySamples, sink.stats.concurrency)).toBeLessThan(4);
    // The metrics tell the same story: every document indexed, the rejections counted and retried as 429s.
    const documents = (outcome: string) =>
      metricValue(registry, 'tributary_es_sink_documents_total', { outcome });
    expect(await documents('indexed')).toBe(4000);
    expect(await documents('retried')).toBe(sink.stats.retried);
    expect(await documents('dead_lettered')).toBe(0);
    const rejections = await metricValue(registry, 'tributary_es_sink_rejections_total');
    expect(rejections).toBeGreaterThan(0);
    expect(await metricValue(registry, 'tributary_es_sink_retries_total', { status: '429' })).toBe(
      rejections,
    );
    expect(await metricValue(registry, 'tributary_es_sink_bulk_duration_seconds_count')).toBe(
      sink.stats.requests,
    );
    await client.close();
  });
});
