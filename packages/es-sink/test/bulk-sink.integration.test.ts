import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { BulkSink } from '../src/bulk-sink.js';
import type { Ack, DeadLetterReason, SinkItem } from '../src/types.js';

const esUrl = inject('elasticsearchUrl');
const suffix = randomUUID().slice(0, 8);
const client = new Client({ node: esUrl });
const created: { indices: string[]; templates: string[] } = { indices: [], templates: [] };

beforeAll(async () => {
  await client.cluster.health({ wait_for_status: 'yellow', timeout: '60s' });
});

afterAll(async () => {
  for (const index of created.indices)
    await client.indices.delete({ index, ignore_unavailable: true }, { ignore: [404] });
  for (const name of created.templates) await client.indices.deleteIndexTemplate({ name }, { ignore: [404] });
  await client.close();
});

async function count(index: string): Promise<number> {
  await client.indices.refresh({ index });
  return (await client.count({ index })).count;
}

describe('BulkSink against the real Elasticsearch', () => {
  it('dead-letters documents that violate the mapping, with reasons, and indexes the rest', async () => {
    const index = `es-sink-partial-${suffix}`;
    created.indices.push(index);
    await client.indices.create({
      index,
      mappings: { dynamic: 'strict', properties: { n: { type: 'long' }, name: { type: 'keyword' } } },
    });
    const dead: Array<{ item: SinkItem<Record<string, unknown>>; reason: DeadLetterReason }> = [];
    const sink = new BulkSink({
      node: esUrl,
      index,
      onDeadLetter: (item, reason) => void dead.push({ item, reason }),
    });
    const docs: Record<string, unknown>[] = [];
    for (let i = 0; i < 20; i++)
      docs.push(
        i % 5 === 0
          ? { n: `not-a-number-${i}` }
          : i === 7
            ? { n: i, extra: 'x' }
            : { n: i, name: `doc-${i}` },
      );
    for (const [i, doc] of docs.entries()) await sink.write(doc, { id: String(i) });
    await sink.close();
    expect(await count(index)).toBe(15);
    expect(dead.map((d) => d.item.id).sort()).toEqual(['0', '10', '15', '5', '7']);
    for (const d of dead) {
      expect(d.reason.status).toBe(400);
      expect(['document_parsing_exception', 'strict_dynamic_mapping_exception']).toContain(
        d.reason.errorType,
      );
      expect(d.reason.reason.length).toBeGreaterThan(10);
    }
    expect(sink.stats).toMatchObject({ total: 20, successful: 15, failed: 5, buffered: 0 });
  });

  it('lets the newer of two out-of-order versions win under external versioning', async () => {
    const index = `es-sink-order-${suffix}`;
    created.indices.push(index);
    const acks: Ack[] = [];
    const sink = new BulkSink<{ id: string; version: number; value: string }>({
      node: esUrl,
      index,
      idKey: (d) => d.id,
      versionKey: (d) => d.version,
      onAck: (_item, ack) => acks.push(ack),
    });
    await sink.write({ id: 'page-1', version: 2, value: 'newer' });
    await sink.flush();
    await sink.write({ id: 'page-1', version: 1, value: 'older' });
    await sink.write({ id: 'page-1', version: 2, value: 'replay of newer' });
    await sink.close();
    const doc = await client.get<{ value: string }>({ index, id: 'page-1' });
    expect(doc._source?.value).toBe('newer');
    expect(doc._version).toBe(2);
    expect(acks.map((a) => a.kind)).toEqual(['written', 'duplicate', 'duplicate']);
    expect(sink.stats).toMatchObject({ successful: 1, duplicates: 2, failed: 0 });
  });

  it('indexes every buffered document on close()', async () => {
    const index = `es-sink-shutdown-${suffix}`;
    created.indices.push(index);
    const sink = new BulkSink({ node: esUrl, index, flushIntervalMs: 600_000, flushDocs: 1000 });
    for (let i = 0; i < 250; i++) await sink.write({ i }, { id: String(i) });
    expect(sink.stats.requests).toBe(0);
    expect(sink.stats.buffered).toBe(250);
    await sink.close();
    expect(await count(index)).toBe(250);
  });

  it('installs the composable template before the first write so daily indices join the alias', async () => {
    const base = `es-sink-metrics-${suffix}`;
    created.templates.push(base);
    created.indices.push(`${base}-2026.11.21`, `${base}-2026.11.22`);
    const sink = new BulkSink<{ page_url: string; window_start: number; click_count: number }>({
      node: esUrl,
      index: `${base}-{yyyy.MM.dd}`,
      indexDateField: 'window_start',
      idKey: (d) => `${d.page_url}|${d.window_start}`,
      template: {
        name: base,
        indexPatterns: [`${base}-*`],
        mappings: {
          properties: {
            page_url: { type: 'keyword' },
            window_start: { type: 'date' },
            click_count: { type: 'long' },
          },
        },
        refreshInterval: '30s',
        shards: 1,
        replicas: 0,
        alias: base,
      },
    });
    const day = Date.UTC(2026, 10, 21);
    for (let i = 0; i < 6; i++)
      await sink.write({ page_url: `/p/${i}`, window_start: day + (i % 2) * 86_400_000, click_count: i });
    await sink.close();
    const template = await client.indices.getIndexTemplate({ name: base });
    expect(template.index_templates[0]?.index_template.template?.aliases).toHaveProperty(base);
    expect(Object.keys(await client.indices.get({ index: `${base}-*` })).sort()).toEqual([
      `${base}-2026.11.21`,
      `${base}-2026.11.22`,
    ]);
    const settings = await client.indices.getSettings({ index: `${base}-2026.11.21` });
    expect(settings[`${base}-2026.11.21`]?.settings?.index?.refresh_interval).toBe('30s');
    expect(await count(base)).toBe(6);
    // A second sink re-installs the same template idempotently.
    const again = new BulkSink({
      node: esUrl,
      index: `${base}-{yyyy.MM.dd}`,
      indexDateField: 'window_start',
      template: { name: base, indexPatterns: [`${base}-*`], alias: base },
    });
    await again.write({ window_start: day, page_url: '/p/x', click_count: 1 });
    await again.close();
    expect(await count(base)).toBe(7);
  });

  it('creates the daily indices of now and tomorrow at ready(), ahead of their documents, with the template applied', async () => {
    const base = `es-sink-ahead-${suffix}`;
    const now = Date.UTC(2026, 10, 30, 18);
    created.templates.push(base);
    created.indices.push(`${base}-2026.11.30`, `${base}-2026.12.01`);
    const sink = new BulkSink<{ window_start: number }>({
      node: esUrl,
      index: `${base}-{yyyy.MM.dd}`,
      indexDateField: 'window_start',
      template: { name: base, indexPatterns: [`${base}-*`], shards: 1, replicas: 0, alias: base },
      createIndicesAhead: true,
      clock: () => now,
    });
    await sink.ready();
    expect(Object.keys(await client.indices.get({ index: `${base}-*` })).sort()).toEqual([
      `${base}-2026.11.30`,
      `${base}-2026.12.01`,
    ]);
    expect(sink.stats.requests).toBe(0);
    const aliases = await client.indices.getAlias({ name: base });
    expect(Object.keys(aliases).sort()).toEqual([`${base}-2026.11.30`, `${base}-2026.12.01`]);
    await sink.write({ window_start: now });
    await sink.close();
    expect(await count(base)).toBe(1);
  });

  it('writes to a data stream with op_type create and counts a repeated create as a duplicate', async () => {
    // This ES distribution has no data-stream management API (no DELETE _data_stream), so the test reuses one
    // fixed data stream across runs and tells its documents apart by run id.
    const name = 'tributary-es-sink-it-ds';
    const acks: Ack[] = [];
    const sink = new BulkSink<{ '@timestamp': string; n: number; run: string }>({
      node: esUrl,
      index: name,
      action: 'create',
      idKey: (d) => `${d.run}-${d.n}`,
      template: {
        name,
        indexPatterns: [name],
        dataStream: true,
        replicas: 0,
        mappings: { properties: { run: { type: 'keyword' } } },
      },
      onAck: (_i, ack) => acks.push(ack),
    });
    const ts = new Date().toISOString();
    for (let n = 0; n < 5; n++) await sink.write({ '@timestamp': ts, n, run: suffix });
    await sink.flush();
    await sink.write({ '@timestamp': ts, n: 0, run: suffix });
    await sink.close();
    await client.indices.refresh({ index: name });
    expect((await client.count({ index: name, query: { term: { run: suffix } } })).count).toBe(5);
    expect(acks.filter((a) => a.kind === 'duplicate')).toHaveLength(1);
    const resolved = (await client.transport.request({ method: 'GET', path: `/_resolve/index/${name}` })) as {
      data_streams: Array<{ name: string }>;
    };
    expect(resolved.data_streams.map((d) => d.name)).toEqual([name]);
  });
});
