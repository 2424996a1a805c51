import { partitionForKey } from '@tributary/kafka';
import { computeGroundTruth } from '@tributary/producer';
import { afterEach, describe, expect, it } from 'vitest';
import { JobTestDriver, type TestJobOptions, type TestRecord } from '../../src/testing/index.js';
import { counterTaskFactory } from '../fixtures/counter-task.mjs';
import {
  clickstreamJob,
  decodeResult,
  FAR_FUTURE_MS,
  latestCounts,
  toInput,
  workload,
} from './clickstream-job.js';

let driver: JobTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

const counterJob: TestJobOptions = {
  applicationId: 'counts',
  input: { topic: 'in' },
  outputs: { results: 'out' },
  taskFactory: counterTaskFactory(),
  commitIntervalMs: 1_000,
};

const keys = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ key: `k${(from + i) % 5}`, value: `v${from + i}` }));

/** What a committed counter output says: where it went, and the key, count and input record it counts. */
const described = (records: readonly TestRecord[]) =>
  records.map(
    (r) =>
      `${r.partition}|${r.key!.toString()}=${r.value!.toString()}@${r.headers['input-partition']}:${r.headers['input-offset']}`,
  );

describe('JobTestDriver: commits', () => {
  it('outputs, changelog and input offsets become visible together at the commit interval, not before', async () => {
    driver = new JobTestDriver(counterJob, { startTimeMs: 5_000 });
    await driver.pipeAll('in', keys(3));
    expect(driver.readOutput('results')).toEqual([]);
    expect(driver.changelogSize('counts')).toBe(0);
    expect(driver.committedOffset('counts', 0)).toBeNull();

    await driver.advanceTime(999);
    expect(driver.readOutput('out')).toEqual([]);

    await driver.advanceTime(1);
    const out = driver.readOutput('results');
    expect(out.map((r) => r.value!.toString())).toEqual(['1', '1', '1']);
    expect(out.every((r) => r.timestamp === 6_000 && r.topic === 'out')).toBe(true);
    expect(driver.changelog('counts').map((e) => [e.key, e.value.toString()])).toEqual([
      ['k0', '1'],
      ['k1', '1'],
      ['k2', '1'],
    ]);
    expect(driver.committedOffset('counts', 0)).toBe(3);
    expect(driver.metrics.commits).toBeGreaterThan(0);
  });

  it("partitions by key with murmur2 (Kafka's default partitioner) on the way in and out", async () => {
    driver = new JobTestDriver(counterJob, { partitions: { in: 2, out: 3 } });
    const written = await driver.pipeAll('in', [
      ...keys(5),
      { key: null, value: 'a' },
      { key: null, value: 'b' },
    ]);
    expect(written.map((w) => w.partition)).toEqual([
      ...keys(5).map((r) => partitionForKey(r.key, 2)),
      0, // a null key: round robin
      1,
    ]);
    await driver.advanceTime(1_000);
    const out = driver.readOutput('results').filter((r) => r.key !== null);
    expect(out).toHaveLength(5);
    for (const r of out) expect(r.partition).toBe(partitionForKey(r.key!, 3));
  });
});

describe('JobTestDriver: crash and restart', () => {
  it('loses what was not committed and replays it from the changelog and committed offsets: exactly once', async () => {
    const reference = new JobTestDriver(counterJob, { partitions: { in: 2 } });
    driver = new JobTestDriver(counterJob, { partitions: { in: 2 } });
    for (const d of [reference, driver]) {
      await d.pipeAll('in', keys(7));
      await d.advanceTime(1_000);
      await d.pipeAll('in', keys(6, 7)); // processed, not committed
    }
    await driver.crash();
    await driver.pipeAll('in', keys(4, 13)); // waits in the topic while the job is down
    expect(driver.committedOffset('counts', 0)).toBe(reference.committedOffset('counts', 0));
    await driver.restart();
    await reference.pipeAll('in', keys(4, 13));
    await reference.advanceTime(1_000);
    await driver.advanceTime(1_000);

    const expected = described(reference.readOutput('results'));
    expect(expected).toHaveLength(17);
    expect(described(driver.readOutput('results')).sort()).toEqual([...expected].sort());
    expect(driver.changelog('counts')).toEqual(reference.changelog('counts'));
    await reference.close();
  });

  it('the clickstream job crashed three times gives the same results, late and dead letters as the ground truth', async () => {
    const records = workload(3, 2400, 5);
    const manifest = computeGroundTruth(
      records.map((r) => ({ partition: r.partition, value: r.value })),
      { partitions: 3 },
    );
    driver = new JobTestDriver(clickstreamJob(), { partitions: { 'clickstream-events': 3 } });
    const chunks = [0, 600, 1200, 1800, 2400];
    let lost = 0;
    for (let c = 0; c < 4; c++) {
      await driver.pipeAll('clickstream-events', records.slice(chunks[c], chunks[c + 1]).map(toInput));
      await driver.advanceTime(150); // not a whole commit interval (200 ms) every time: some work is lost
      if (c < 3) {
        const committed = [0, 1, 2].reduce(
          (sum, p) => sum + (driver!.committedOffset('clickstream', p) ?? 0),
          0,
        );
        lost += chunks[c + 1]! - committed;
        await driver.crash();
        await driver.restart();
      }
    }
    expect(lost, 'input records processed but not committed when the job crashed').toBeGreaterThan(0);
    await driver.setTime(FAR_FUTURE_MS);
    expect(latestCounts(driver.readValues('results', decodeResult))).toEqual(manifest.windows);
    expect(driver.readOutput('late')).toHaveLength(manifest.totals.late);
    expect(driver.readOutput('dead-letter')).toHaveLength(manifest.totals.deadLettered);
  });

  it('crash and restart are refused out of order', async () => {
    driver = new JobTestDriver(counterJob);
    await expect(driver.restart()).rejects.toMatchObject({ code: 'TRIB_PROC_INVALID_STATE' });
    await driver.crash();
    await expect(driver.crash()).rejects.toMatchObject({ code: 'TRIB_PROC_INVALID_STATE' });
    await driver.restart();
  });
});
