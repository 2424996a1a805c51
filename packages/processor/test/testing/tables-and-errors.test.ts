import { afterEach, describe, expect, it } from 'vitest';
import { EnrichmentTable } from '../../src/enrichment/enrichment-table.js';
import type { InputRecord, OutputRecord, PartitionTask } from '../../src/task/partition-task.js';
import { JobTestDriver, type TestJobOptions } from '../../src/testing/index.js';
import { counterTaskFactory } from '../fixtures/counter-task.mjs';

let driver: JobTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

/** Emits `<value>:<category of the page named by the value>` for every record (a stateless left join). */
class JoinTask implements PartitionTask {
  readonly stores = [];
  #out: OutputRecord[] = [];
  constructor(readonly pages: EnrichmentTable<unknown>) {}
  process(record: InputRecord): void {
    const page = record.value!.toString();
    const row = this.pages.lookup(page) as { category: string } | undefined;
    this.#out.push({
      output: 'results',
      key: record.key,
      value: Buffer.from(`${page}:${row?.category ?? 'none'}`),
      headers: {},
      destination: { kind: 'by-key' },
    });
  }
  tick(): void {}
  drainOutputs(): OutputRecord[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
  drainChangelog() {
    return [];
  }
  restore(): void {}
}

describe('JobTestDriver: tables', () => {
  it('loads a table before the first record and applies later updates and tombstones in order', async () => {
    driver = new JobTestDriver({
      applicationId: 'join',
      input: { topic: 'views' },
      outputs: { results: 'joined' },
      tables: { pages: { topic: 'pages', table: new EnrichmentTable<{ category: string }>() } },
      taskFactory: (_t, _p, ctx) => new JoinTask(ctx.tables.pages!),
      commitIntervalMs: 100,
    });
    await driver.pipe('pages', { key: '/a', value: JSON.stringify({ category: 'news' }) });
    await driver.pipe('views', { key: 'u1', value: '/a' });
    await driver.pipe('views', { key: 'u1', value: '/b' });
    await driver.pipe('pages', { key: '/a', value: JSON.stringify({ category: 'sport' }) });
    await driver.pipe('views', { key: 'u1', value: '/a' });
    await driver.pipe('pages', { key: '/a', value: null });
    await driver.pipe('views', { key: 'u1', value: '/a' });
    await driver.advanceTime(100);
    expect(driver.readValues('results', String)).toEqual(['/a:news', '/b:none', '/a:sport', '/a:none']);
    expect(driver.tableStats().pages).toMatchObject({ loaded: true, loadedRecords: 0, updates: 3 });
  });
});

describe('JobTestDriver: misuse fails naming the topic, store or option', () => {
  const job: TestJobOptions = {
    applicationId: 'counts',
    input: { topic: 'in' },
    outputs: { results: 'out', late: null },
    taskFactory: counterTaskFactory(),
  };

  it('refuses topics, outputs and stores the job does not have', async () => {
    driver = new JobTestDriver(job);
    await expect(driver.pipe('nope', { value: 'x' })).rejects.toMatchObject({
      code: 'TRIB_PROC_UNKNOWN_TOPIC',
      message: expect.stringContaining('nope'),
    });
    await expect(driver.pipe('in', { value: 'x', partition: 3 })).rejects.toMatchObject({
      code: 'TRIB_PROC_UNKNOWN_TOPIC',
    });
    expect(() => driver!.readOutput('dead-letter')).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_UNKNOWN_TOPIC' }),
    );
    expect(() => driver!.readOutput('late')).toThrow(/discarded/);
    expect(() => driver!.changelog('nope')).toThrow(/no state store nope \(stores: counts \(counts\)\)/);
    expect(driver.changelogSize('counts-counts-changelog')).toBe(0);
  });

  it('validates its own options and the job’s, as createStreamJob does', async () => {
    expect(() => new JobTestDriver(job, { partitions: { in: 0 } })).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_INVALID_OPTION', option: 'partitions.in' }),
    );
    expect(() => new JobTestDriver({ ...job, commitIntervalMs: 1 })).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_INVALID_OPTION', option: 'commitIntervalMs' }),
    );
    driver = new JobTestDriver(job);
    await expect(driver.advanceTime(-1)).rejects.toMatchObject({ code: 'TRIB_PROC_INVALID_OPTION' });
    await driver.setTime(500);
    await expect(driver.setTime(499)).rejects.toMatchObject({ code: 'TRIB_PROC_INVALID_OPTION' });
  });

  it('a task writing to an unmapped output fails the call that commits it', async () => {
    driver = new JobTestDriver({ ...job, taskFactory: counterTaskFactory({ output: 'elsewhere' }) });
    await driver.pipe('in', { key: 'k', value: 'v' });
    await expect(driver.advanceTime(200)).rejects.toMatchObject({ code: 'TRIB_PROC_UNKNOWN_OUTPUT' });
  });
});
