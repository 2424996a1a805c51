import { computeGroundTruth, type GeneratedRecord } from '@tributary/producer';
import { decodeClickstreamEvent } from '@tributary/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { clickstreamJob } from '../../src/app/clickstream-job.js';
import { resolveProcessorConfig, type ProcessorConfigInput } from '../../src/config/processor-config.js';
import { JobTestDriver } from '../../src/testing/index.js';
import { decodeResult, FAR_FUTURE_MS, latestCounts, toInput, workload } from '../testing/clickstream-job.js';

const PARTITIONS = 3;
let driver: JobTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

function start(input: ProcessorConfigInput = {}) {
  const config = resolveProcessorConfig(input);
  driver = new JobTestDriver(clickstreamJob(config).toStreamJobOptions(), {
    partitions: { [config.inputTopic]: PARTITIONS },
  });
  return { config, driver };
}

const groundTruth = (records: readonly GeneratedRecord[]) =>
  computeGroundTruth(
    records.map((r) => ({ partition: r.partition, value: r.value })),
    { partitions: PARTITIONS },
  );

describe('the reference clickstream job (clickstreamJob) without a broker', () => {
  it('counts exactly the ground truth; late events and dead letters carry their reasons', async () => {
    const records = workload(PARTITIONS, 3_000, 21);
    const manifest = groundTruth(records);
    const { config, driver } = start();
    await driver.pipeAll(config.inputTopic, records.map(toInput));
    await driver.setTime(FAR_FUTURE_MS);
    expect(latestCounts(driver.readValues(config.resultsTopic, decodeResult))).toEqual(manifest.windows);
    const late = driver.readOutput('late');
    const dead = driver.readOutput('dead-letter');
    expect(late).toHaveLength(manifest.totals.late);
    expect(dead).toHaveLength(manifest.totals.deadLettered);
    expect(manifest.totals.late).toBeGreaterThan(0);
    expect(manifest.totals.deadLettered).toBeGreaterThan(0);
    expect(new Set(dead.map((r) => Object.keys(r.headers).length > 0))).toEqual(new Set([true]));
    expect(dead.every((r) => Object.values(r.headers).some((h) => h.startsWith('TRIB_')))).toBe(true);
    expect(driver.committedOffset(config.applicationId, 0)).not.toBeNull();
  });

  it('crashed and restarted between commits, it still counts exactly the ground truth', async () => {
    const records = workload(PARTITIONS, 2_400, 22);
    const manifest = groundTruth(records);
    const { config, driver } = start({ sessions: true });
    for (let i = 0; i < records.length; i += 600) {
      await driver.pipeAll(config.inputTopic, records.slice(i, i + 600).map(toInput));
      await driver.advanceTime(130); // less than a commit interval: the last records' work is lost
      await driver.crash();
      await driver.restart();
    }
    await driver.setTime(FAR_FUTURE_MS);
    expect(latestCounts(driver.readValues(config.resultsTopic, decodeResult))).toEqual(manifest.windows);
    expect(driver.readOutput('late')).toHaveLength(manifest.totals.late);
    expect(driver.readOutput('dead-letter')).toHaveLength(manifest.totals.deadLettered);
    expect(driver.metrics.restores).toBeGreaterThan(0);
  });

  it('with sessions: a stage of its own writes final session summaries per user; its late and dead letters are dropped', async () => {
    const records = workload(PARTITIONS, 1_500, 23);
    const { config, driver } = start({ sessions: true, sessionGapMs: 20_000 });
    await driver.pipeAll(config.inputTopic, records.map(toInput));
    await driver.setTime(FAR_FUTURE_MS);
    const users = new Set(records.map((r) => r.key));
    const sessions = driver.readValues(
      'sessions',
      (v) =>
        JSON.parse(v.toString('utf8')) as {
          key: string;
          isFinal: boolean;
          windowStart: number;
          windowEnd: number;
          result: { eventCount: number; durationMs: number };
        },
    );
    expect(sessions.length).toBeGreaterThan(50);
    for (const s of sessions) {
      expect(users.has(s.key)).toBe(true);
      expect(s.result.durationMs).toBeLessThanOrEqual(s.windowEnd - s.windowStart);
    }
    const latest = new Map(sessions.map((s) => [`${s.key}|${s.windowStart}`, s]));
    expect([...latest.values()].every((s) => s.isFinal)).toBe(true);
    for (let p = 0; p < PARTITIONS; p++)
      expect(driver.committedOffset(`${config.applicationId}-sessions`, p)).toBe(
        driver.committedOffset(config.applicationId, p),
      );
    expect(() => driver.readOutput('sessions-late')).toThrow(/discarded/);
    expect(() => driver.readOutput('sessions-dead-letter')).toThrow(/discarded/);
  });

  it('with enriched events: every accepted event once, joined with the pages and users tables', async () => {
    const records = workload(PARTITIONS, 1_500, 24);
    const manifest = groundTruth(records);
    const { config, driver } = start({ enrichedEvents: true });
    const valid = records.flatMap((r) => {
      try {
        return [decodeClickstreamEvent(r.value)];
      } catch {
        return [];
      }
    });
    const page = valid[0]!.pageUrl;
    const user = valid[0]!.userId;
    await driver.pipe(config.pagesTopic, { key: page, value: JSON.stringify({ category: 'news' }) });
    await driver.pipe(config.usersTopic, { key: user, value: JSON.stringify({ segment: 'gold' }) });
    await driver.pipeAll(config.inputTopic, records.map(toInput));
    await driver.setTime(FAR_FUTURE_MS);
    const enriched = driver.readValues(
      'enriched',
      (v) =>
        JSON.parse(v.toString('utf8')) as {
          event_id: string;
          page_url: string;
          user_id: string;
          category: string | null;
          segment: string | null;
        },
    );
    expect(enriched).toHaveLength(manifest.totals.accepted);
    expect(new Set(enriched.map((e) => e.event_id)).size).toBe(enriched.length);
    for (const e of enriched) {
      expect(e.category).toBe(e.page_url === page ? 'news' : null);
      expect(e.segment).toBe(e.user_id === user ? 'gold' : null);
    }
    expect(enriched.some((e) => e.category === 'news')).toBe(true);
    expect(latestCounts(driver.readValues(config.resultsTopic, decodeResult))).toEqual(manifest.windows);
  });
});
