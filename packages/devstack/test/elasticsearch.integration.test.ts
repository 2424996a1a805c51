import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { afterAll, describe, expect, inject, it } from 'vitest';

describe('Elasticsearch node of the devstack', () => {
  const url = inject('elasticsearchUrl');
  const index = `devstack-it-${randomBytes(4).toString('hex')}`;
  const client = new Client({ node: url });

  afterAll(async () => {
    await client.indices.delete({ index }, { ignore: [404] });
    await client.close();
  });

  it('passes the 8.x client product check and reports health', async () => {
    const health = await client.cluster.health();
    expect(['green', 'yellow']).toContain(health.status);
    const nodes = await client.nodes.info({ node_id: '_local', metric: 'settings' });
    expect(Object.values(nodes.nodes)[0]?.version).toMatch(/^8\./);
  });

  it('creates an index, bulk-indexes, searches and aggregates', async () => {
    await client.indices.create({
      index,
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: { properties: { kind: { type: 'keyword' }, n: { type: 'long' } } },
    });
    const docs = Array.from({ length: 30 }, (_, n) => ({ kind: n % 3 === 0 ? 'a' : 'b', n }));
    const bulk = await client.bulk({
      refresh: 'wait_for',
      operations: docs.flatMap((doc) => [{ index: { _index: index, _id: String(doc.n) } }, doc]),
    });
    expect(bulk.errors).toBe(false);
    expect((await client.count({ index })).count).toBe(30);
    const result = await client.search<
      { n: number },
      { kinds: { buckets: { key: string; doc_count: number }[] } }
    >({
      index,
      query: { range: { n: { gte: 25 } } },
      aggs: { kinds: { terms: { field: 'kind' } } },
      sort: [{ n: 'asc' }],
    });
    expect(result.hits.hits.map((h) => h._source?.n)).toEqual([25, 26, 27, 28, 29]);
    expect(result.aggregations?.kinds.buckets).toEqual([
      { key: 'b', doc_count: 4 },
      { key: 'a', doc_count: 1 },
    ]);
  });

  it('rejects an older external version with a 409 (what sinks rely on for idempotence)', async () => {
    await client.index({
      index,
      id: 'v',
      version: 5,
      version_type: 'external',
      document: { n: 5 },
      refresh: true,
    });
    await expect(
      client.index({ index, id: 'v', version: 4, version_type: 'external', document: { n: 4 } }),
    ).rejects.toMatchObject({ meta: { statusCode: 409 } });
  });
});
