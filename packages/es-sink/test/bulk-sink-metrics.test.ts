import { Registry, register as globalRegistry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { BulkSink } from '../src/bulk-sink.js';
import { SINK_METRIC_NAMES as N } from '../src/metrics/metric-names.js';
import type { BulkSinkOptions } from '../src/options.js';
import { FakeElasticsearch, type FakeReply, type ReceivedOp } from './helpers/fake-elasticsearch.js';
import { metricTotal, metricValue } from './helpers/metric-values.js';

type Doc = { n: number; v?: number };

const servers: FakeElasticsearch[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function setup(
  handler: (ops: ReceivedOp[], n: number) => FakeReply | Promise<FakeReply>,
  options: Partial<BulkSinkOptions<Doc>> = {},
) {
  const es = new FakeElasticsearch(handler);
  servers.push(es);
  const node = await es.start();
  const registry = new Registry();
  const sink = new BulkSink<Doc>({
    node,
    index: 'test',
    idKey: (d) => `id-${d.n}`,
    versionKey: (d) => d.v,
    random: () => 0,
    retryInitialDelayMs: 1,
    retryMaxDelayMs: 5,
    registry,
    ...options,
  });
  return { es, sink, registry, node };
}

const documents = (registry: Registry, outcome: string) => metricValue(registry, N.documents, { outcome });

describe('BulkSink metrics', () => {
  it('counts each item outcome of known bulk answers, once per response', async () => {
    const { es, sink, registry } = await setup((ops, n) =>
      n === 1
        ? {
            items: [
              { status: 201 },
              { status: 409, error: { type: 'version_conflict_engine_exception', reason: 'stale' } },
              { status: 400, error: { type: 'document_parsing_exception', reason: 'bad field' } },
              { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } },
              { status: 503, error: { type: 'unavailable_shards_exception', reason: 'no shard' } },
              { status: 201 },
            ],
          }
        : { items: ops.map(() => ({ status: 200 })) },
    );
    for (let n = 0; n < 6; n++) await sink.write({ n, v: n + 1 });
    await sink.close();
    expect(es.requests.map((r) => r.length)).toEqual([6, 2]);
    expect(await documents(registry, 'indexed')).toBe(4);
    expect(await documents(registry, 'version_conflict')).toBe(1);
    expect(await documents(registry, 'dead_lettered')).toBe(1);
    expect(await documents(registry, 'retried')).toBe(2);
    expect(await metricValue(registry, N.retries, { status: '429' })).toBe(1);
    expect(await metricValue(registry, N.retries, { status: '503' })).toBe(1);
    expect(await metricValue(registry, N.deadLetters, { reason: 'document_parsing_exception' })).toBe(1);
    expect(await metricValue(registry, N.rejections)).toBe(1);
    expect(await metricValue(registry, `${N.bulkDuration}_count`)).toBe(2);
    expect(sink.stats).toMatchObject({ successful: 4, duplicates: 1, failed: 1, retried: 2, requests: 2 });
  });

  it('counts a request-level 429 as a rejection and a retry of every document in it', async () => {
    const { sink, registry } = await setup((ops, n) =>
      n === 1
        ? {
            status: 429,
            body: { error: { type: 'es_rejected_execution_exception', reason: 'busy' }, status: 429 },
          }
        : { items: ops.map(() => ({ status: 201 })) },
    );
    for (let n = 0; n < 3; n++) await sink.write({ n });
    await sink.close();
    expect(await metricValue(registry, N.rejections)).toBe(3);
    expect(await metricValue(registry, N.retries, { status: '429' })).toBe(3);
    expect(await documents(registry, 'retried')).toBe(3);
    expect(await documents(registry, 'indexed')).toBe(3);
  });

  it('labels retries without an answer status "none" and counts documents past the deadline as dead letters', async () => {
    const es = new FakeElasticsearch();
    const node = await es.start();
    await es.stop();
    const registry = new Registry();
    // A clock that moves 5 ms per reading: the deadline passes after a few retries however slow the machine is.
    let now = 0;
    const sink = new BulkSink<Doc>({
      node,
      index: 'test',
      random: () => 0,
      retryInitialDelayMs: 1,
      retryMaxDelayMs: 2,
      retryDeadlineMs: 30,
      clock: () => (now += 5),
      registry,
    });
    await sink.write({ n: 1 });
    await sink.write({ n: 2 });
    await sink.close();
    const retried = (await documents(registry, 'retried')) ?? 0;
    expect(retried).toBeGreaterThanOrEqual(2);
    expect(await metricTotal(registry, N.retries)).toBe(retried);
    expect(await metricValue(registry, N.retries, { status: 'none' })).toBe(retried);
    expect(await documents(registry, 'dead_lettered')).toBe(2);
    expect(await metricValue(registry, N.deadLetters, { reason: 'retry_deadline_exceeded' })).toBe(2);
    expect(await documents(registry, 'indexed')).toBe(0);
  });

  it('counts a document rejected before sending (invalid version) without a request', async () => {
    const { es, sink, registry } = await setup(() => ({}));
    await sink.write({ n: 1, v: -1 });
    await sink.close();
    expect(es.requests).toHaveLength(0);
    expect(await metricValue(registry, N.deadLetters, { reason: 'invalid_document' })).toBe(1);
    expect(await documents(registry, 'dead_lettered')).toBe(1);
    expect(await metricValue(registry, `${N.bulkDuration}_count`)).toBe(0);
  });

  it('shows in-flight requests and buffered bytes while a request is pending, and 0 after close', async () => {
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    let arrived: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    const { sink, registry } = await setup(async (ops) => {
      arrived();
      await answered;
      return { items: ops.map(() => ({ status: 201 })) };
    });
    for (let n = 0; n < 4; n++) await sink.write({ n });
    const flushed = sink.flush();
    await inFlight;
    expect(await metricValue(registry, N.inFlightRequests)).toBe(1);
    expect(await metricValue(registry, N.bufferedDocuments)).toBe(4);
    expect(await metricValue(registry, N.bufferedBytes)).toBe(sink.stats.bufferedBytes);
    expect(sink.stats.bufferedBytes).toBeGreaterThan(0);
    answer();
    await flushed;
    expect(await metricValue(registry, N.inFlightRequests)).toBe(0);
    expect(await metricValue(registry, N.bufferedBytes)).toBe(0);
    await sink.close();
    expect(await documents(registry, 'indexed')).toBe(4);
  });

  it('shows documents waiting to be retried while Elasticsearch answers 503, and 0 once they are written', async () => {
    const during: Array<number | undefined> = [];
    const { sink, registry } = await setup(async (ops, n) => {
      during.push(await metricValue(registry, N.retryingDocuments));
      return n <= 3 ? { status: 503 } : { items: ops.map(() => ({ status: 201 })) };
    });
    for (let n = 0; n < 4; n++) await sink.write({ n });
    await sink.close();
    expect(during).toEqual([0, 4, 4, 4]);
    expect(await metricValue(registry, N.retryingDocuments)).toBe(0);
    expect(await documents(registry, 'indexed')).toBe(4);
    expect(await metricValue(registry, N.retries, { status: '503' })).toBe(12);
  });

  it('adds up sinks sharing a registry, and keeps nothing without one', async () => {
    const { sink, registry, node } = await setup((ops) => ({ items: ops.map(() => ({ status: 201 })) }));
    const second = new BulkSink<Doc>({ node, index: 'test', registry });
    const silent = new BulkSink<Doc>({ node, index: 'test' });
    await sink.write({ n: 1 });
    await second.write({ n: 2 });
    await silent.write({ n: 3 });
    await Promise.all([sink.close(), second.close(), silent.close()]);
    expect(await documents(registry, 'indexed')).toBe(2);
    expect(globalRegistry.getSingleMetric(N.documents)).toBeUndefined();
  });

  it('rejects a registry option that is not a prom-client Registry, naming it', async () => {
    expect(
      () => new BulkSink({ node: 'http://127.0.0.1:9200', index: 'x', registry: {} as Registry }),
    ).toThrow(expect.objectContaining({ code: 'TRIB_SINK_INVALID_OPTION', option: 'registry' }));
  });
});
