import { computeGroundTruth } from '@tributary/producer';
import { encodeClickstreamEvent } from '@tributary/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { clickstreamWindowedTask } from '../../src/engine/clickstream-job.js';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import { counterTaskFactory } from '../fixtures/counter-task.mjs';
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

describe('JobTestDriver: single stage', () => {
  it('the single-stage clickstream task gives the ground truth on one partition', async () => {
    const records = workload(1, 1500, 11);
    const manifest = computeGroundTruth(
      records.map((r) => ({ partition: r.partition, value: r.value })),
      { partitions: 1 },
    );
    driver = new JobTestDriver({
      applicationId: 'page-counts',
      input: { topic: 'events' },
      outputs: { results: 'page-counts', late: 'late', 'dead-letter': 'dlq' },
      taskFactory: () => clickstreamWindowedTask(),
    });
    await driver.pipeAll('events', records.map(toInput));
    await driver.setTime(FAR_FUTURE_MS);
    expect(latestCounts(driver.readValues('page-counts', decodeResult))).toEqual(manifest.windows);
    expect(driver.readOutput('late')).toHaveLength(manifest.totals.late);
    expect(driver.readOutput('dlq')).toHaveLength(manifest.totals.deadLettered);
  });
});

describe('JobTestDriver: late and dead-letter routing', () => {
  const event = (ts: number, id: string, page = '/a') =>
    Buffer.from(
      encodeClickstreamEvent({ userId: 'u1', pageUrl: page, timestamp: ts, eventType: 'CLICK', eventId: id }),
    );
  const T = Date.UTC(2024, 0, 1);

  it('sends an undecodable record to dead-letter and an event for a closed window to late, with their headers', async () => {
    driver = new JobTestDriver(clickstreamJob());
    await driver.pipe('clickstream-events', { key: 'u1', value: event(T + 1_000, 'e1'), timestamp: T });
    await driver.pipe('clickstream-events', { key: 'u1', value: 'garbage', timestamp: T });
    // The watermark passes the first window's end (60 s + 5 s out-of-orderness), then an event for it arrives.
    await driver.pipe('clickstream-events', { key: 'u1', value: event(T + 70_000, 'e2'), timestamp: T });
    await driver.pipe('clickstream-events', { key: 'u1', value: event(T + 2_000, 'e3'), timestamp: T });
    await driver.advanceTime(200);

    const [dead, ...moreDead] = driver.readOutput('dead-letter');
    expect(moreDead).toEqual([]);
    expect(dead!.topic).toBe('clickstream-dlq');
    expect(dead!.value!.toString()).toBe('garbage');
    expect(dead!.headers).toMatchObject({
      [SIDE_OUTPUT_HEADERS.sourceTopic]: 'clickstream-events',
      [SIDE_OUTPUT_HEADERS.sourcePartition]: '0',
      [SIDE_OUTPUT_HEADERS.sourceOffset]: '1',
    });
    expect(dead!.headers[SIDE_OUTPUT_HEADERS.errorCode]).toMatch(/^TRIB_/);

    const late = driver.readOutput('clickstream-late');
    expect(late.map((r) => r.offset)).toEqual([0]);
    expect(late[0]!.value).toEqual(event(T + 2_000, 'e3'));
    expect(late[0]!.headers).toMatchObject({
      [SIDE_OUTPUT_HEADERS.lateReason]: 'window-closed',
      [SIDE_OUTPUT_HEADERS.sourceOffset]: '3',
    });
    // Read once: a second read returns only what was committed since.
    expect(driver.readOutput('late')).toEqual([]);

    await driver.setTime(FAR_FUTURE_MS);
    const finals = driver.readValues('results', decodeResult).filter((r) => r.isFinal);
    expect(finals.map((r) => [r.windowStart - T, r.clickCount])).toEqual([
      [0, 1],
      [60_000, 1],
    ]);
  });

  it('replaces an output over max.message.bytes by a truncated dead letter, as the runtime does', async () => {
    driver = new JobTestDriver(
      {
        applicationId: 'counts',
        input: { topic: 'in' },
        outputs: { results: 'out', 'dead-letter': 'dlq' },
        taskFactory: counterTaskFactory({ poisonFirst: true }),
      },
      { maxMessageBytes: 64 * 1024 },
    );
    await driver.pipe('in', { key: 'k', value: 'v' });
    await driver.advanceTime(200);
    expect(driver.readValues('results', String)).toEqual(['1']);
    const [dead] = driver.readOutput('dlq');
    expect(dead!.headers[SIDE_OUTPUT_HEADERS.errorCode]).toBe('TRIB_PROC_RECORD_TOO_LARGE');
    expect(dead!.value!.length).toBeLessThan(64 * 1024);
  });
});
