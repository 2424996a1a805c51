import { computeGroundTruth } from '@tributary/producer';
import { afterEach, describe, expect, it } from 'vitest';
import { JobTestDriver } from '../../src/testing/index.js';
import {
  clickstreamJob,
  decodeResult,
  FAR_FUTURE_MS,
  latestCounts,
  toInput,
  workload,
} from './clickstream-job.js';

const UPSTREAM = 3;

let driver: JobTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

describe('JobTestDriver: the reference clickstream job', () => {
  it('partial → repartition → merge equals the producer ground truth exactly, late and dead letters included', async () => {
    const records = workload(UPSTREAM, 3000);
    const manifest = computeGroundTruth(
      records.map((r) => ({ partition: r.partition, value: r.value })),
      { partitions: UPSTREAM },
    );
    driver = new JobTestDriver(clickstreamJob(), { partitions: { 'clickstream-events': UPSTREAM } });
    const written = await driver.pipeAll('clickstream-events', records.map(toInput));
    expect(written.map((w) => w.partition)).toEqual(records.map((r) => r.partition));
    await driver.setTime(FAR_FUTURE_MS);

    const results = driver.readValues('results', decodeResult);
    expect(latestCounts(results)).toEqual(manifest.windows);
    expect(driver.readOutput('late')).toHaveLength(manifest.totals.late);
    expect(driver.readOutput('dead-letter')).toHaveLength(manifest.totals.deadLettered);
    expect(manifest.totals.late).toBeGreaterThan(0);
    expect(manifest.totals.deadLettered).toBeGreaterThan(0);
    expect(driver.metrics.recordsIn).toBeGreaterThan(records.length);
  });
});
