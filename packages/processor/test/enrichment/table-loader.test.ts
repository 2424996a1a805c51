import { describe, expect, it } from 'vitest';
import { EnrichmentTable } from '../../src/enrichment/enrichment-table.js';
import { TableLoader } from '../../src/enrichment/table-loader.js';
import type {
  PartitionRange,
  TableSource,
  TableSourceBatch,
  TableSourceRecord,
} from '../../src/enrichment/table-loader.js';

const rec = (offset: number, key: string | null, value: unknown): TableSourceRecord => ({
  offset,
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(JSON.stringify(value)),
});

/** An in-memory topic: `ranges` as given; `start` delivers the scripted batches, `push` delivers more later. */
class FakeSource implements TableSource {
  onBatch: ((batch: TableSourceBatch) => void) | undefined;
  onError: ((error: unknown) => void) | undefined;
  stopped = 0;
  constructor(
    readonly partitionRanges: Map<number, PartitionRange>,
    readonly initial: TableSourceBatch[],
  ) {}
  async ranges(): Promise<ReadonlyMap<number, PartitionRange>> {
    return this.partitionRanges;
  }
  async start(onBatch: (b: TableSourceBatch) => void, onError: (e: unknown) => void): Promise<void> {
    this.onBatch = onBatch;
    this.onError = onError;
    // Delivered asynchronously, as a consumer would.
    setImmediate(() => this.initial.forEach((b) => onBatch(b)));
  }
  push(batch: TableSourceBatch): void {
    this.onBatch!(batch);
  }
  async stop(): Promise<void> {
    this.stopped++;
  }
}

describe('TableLoader', () => {
  it('loads every partition to its end offset (updates and tombstones in order), then applies live updates', async () => {
    const table = new EnrichmentTable<{ category: string }>();
    const source = new FakeSource(
      new Map([
        [0, { start: 0, end: 3 }],
        [1, { start: 5, end: 7 }], // compacted: starts at 5; offset 6 is a transaction marker
        [2, { start: 0, end: 0 }], // empty
      ]),
      [
        {
          partition: 0,
          lastOffset: 1,
          records: [rec(0, '/a', { category: 'x' }), rec(1, '/b', { category: 'y' })],
        },
        { partition: 1, lastOffset: 5, records: [rec(5, '/c', { category: 'z' })] },
        { partition: 1, lastOffset: 6, records: [] },
        { partition: 0, lastOffset: 2, records: [rec(2, '/a', { category: 'x2' })] },
      ],
    );
    const loader = new TableLoader({ name: 'pages', source, table, now: () => 0 });
    await loader.start();
    expect(loader.stats).toMatchObject({ loaded: true, loadedRecords: 4, updates: 0 });
    expect(table.lookup('/a')).toEqual({ category: 'x2' });
    expect(table.lookup('/c')).toEqual({ category: 'z' });
    expect([...loader.positions]).toEqual([
      [0, 3],
      [1, 7],
      [2, 0],
    ]);
    source.push({ partition: 0, lastOffset: 3, records: [rec(3, '/b', null)] }); // tombstone
    expect(table.lookup('/b')).toBeUndefined();
    expect(loader.stats.updates).toBe(1);
    // A re-delivered older batch never applies an older value over a newer one.
    source.push({ partition: 0, lastOffset: 2, records: [rec(1, '/b', { category: 'y' })] });
    expect(table.lookup('/b')).toBeUndefined();
    expect(loader.stats.skipped).toBe(1);
    await loader.stop();
    expect(source.stopped).toBe(1);
  });

  it('resolves at once for an empty topic', async () => {
    const table = new EnrichmentTable();
    const loader = new TableLoader({
      name: 't',
      source: new FakeSource(new Map([[0, { start: 4, end: 4 }]]), []),
      table,
    });
    await loader.start();
    expect(loader.stats.loaded).toBe(true);
    expect(table.size).toBe(0);
  });

  it('fails with TRIB_PROC_TABLE_LOAD_FAILED when the end is not reached in time, and stops the source', async () => {
    const source = new FakeSource(new Map([[0, { start: 0, end: 10 }]]), [
      { partition: 0, lastOffset: 3, records: [rec(3, 'k', 1)] },
    ]);
    const loader = new TableLoader({ name: 'pages', source, table: new EnrichmentTable(), timeoutMs: 50 });
    await expect(loader.start()).rejects.toMatchObject({
      code: 'TRIB_PROC_TABLE_LOAD_FAILED',
      message: expect.stringMatching(/pages.*50 ms/),
    });
    expect(source.stopped).toBe(1);
  });

  it('reports a source failure during the load as a rejection, and after it through onError', async () => {
    const errors: Error[] = [];
    const source = new FakeSource(new Map([[0, { start: 0, end: 1 }]]), []);
    const loader = new TableLoader({
      name: 'pages',
      source,
      table: new EnrichmentTable(),
      onError: (e) => errors.push(e),
    });
    const loading = loader.start();
    await new Promise((r) => setImmediate(r));
    source.onError!(new Error('broker gone'));
    await expect(loading).rejects.toMatchObject({ code: 'TRIB_PROC_TABLE_LOAD_FAILED' });
    expect(errors).toEqual([]);

    const source2 = new FakeSource(new Map([[0, { start: 0, end: 1 }]]), [
      { partition: 0, lastOffset: 0, records: [rec(0, 'k', 1)] },
    ]);
    const loader2 = new TableLoader({
      name: 'users',
      source: source2,
      table: new EnrichmentTable(),
      onError: (e) => errors.push(e),
    });
    await loader2.start();
    source2.onError!(new Error('crashed'));
    expect(errors.map((e) => [(e as { code?: string }).code, e.message])).toEqual([
      ['TRIB_PROC_TABLE_LOAD_FAILED', 'reading table users failed: crashed'],
    ]);
  });

  it('validates timeoutMs', () => {
    expect(
      () =>
        new TableLoader({
          name: 't',
          source: new FakeSource(new Map(), []),
          table: new EnrichmentTable(),
          timeoutMs: 0,
        }),
    ).toThrow(/timeoutMs must be a positive integer/);
  });
});
