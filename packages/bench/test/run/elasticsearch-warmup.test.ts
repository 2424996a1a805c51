import { describe, expect, it } from 'vitest';
import { windowDocumentId } from '@tributary/schema';
import { warmElasticsearch } from '../../src/run/elasticsearch-warmup.js';

/** Records what the warm-up asks of Elasticsearch; `failOnBulk` makes that bulk request reject. */
function fakeElasticsearch(failOnBulk?: number) {
  const calls: Array<{ call: string; args: Record<string, unknown> }> = [];
  let bulks = 0;
  const es = {
    indices: {
      create: async (args: Record<string, unknown>) => void calls.push({ call: 'create', args }),
      delete: async (args: Record<string, unknown>) => void calls.push({ call: 'delete', args }),
    },
    bulk: async (args: { operations: object[] }) => {
      calls.push({ call: 'bulk', args });
      if (++bulks === failOnBulk) throw new Error('connection reset');
      // every action line answered 201, but the last document of each bulk refused (as a 429 would be)
      const actions = args.operations.filter((_, i) => i % 2 === 0);
      return { items: actions.map((_, i) => ({ index: { status: i === actions.length - 1 ? 429 : 201 } })) };
    },
  };
  return { es: es as unknown as Parameters<typeof warmElasticsearch>[0], calls };
}

describe('warmElasticsearch', () => {
  it('writes window documents with external versions in bulks into a scratch index, then deletes it', async () => {
    const { es, calls } = fakeElasticsearch();
    const written = await warmElasticsearch(es, { index: 'run-x-es-warmup', bulks: 3, documentsPerBulk: 4 });
    expect(written).toBe(9); // 3 bulks of 4, the last of each refused
    expect(calls.map((c) => c.call)).toEqual(['create', 'bulk', 'bulk', 'bulk', 'delete']);
    expect(calls[0]!.args).toMatchObject({ index: 'run-x-es-warmup', settings: { number_of_replicas: 0 } });
    const operations = calls[2]!.args.operations as Array<Record<string, unknown>>;
    expect(operations).toHaveLength(8);
    expect(operations[0]).toEqual({
      index: {
        _index: 'run-x-es-warmup',
        _id: windowDocumentId('https://warmup.invalid/p/0', 10_000),
        version: 1,
        version_type: 'external',
      },
    });
    expect(operations[1]).toMatchObject({
      page_url: 'https://warmup.invalid/p/0',
      window_start: 10_000,
      is_final: true,
    });
    expect(calls[4]!.args).toEqual({ index: 'run-x-es-warmup', ignore_unavailable: true });
  });

  it('deletes the scratch index when a bulk fails, and passes the failure on', async () => {
    const { es, calls } = fakeElasticsearch(2);
    await expect(warmElasticsearch(es, { index: 'w', bulks: 3, documentsPerBulk: 2 })).rejects.toThrow(
      'connection reset',
    );
    expect(calls.map((c) => c.call)).toEqual(['create', 'bulk', 'bulk', 'delete']);
  });
});
