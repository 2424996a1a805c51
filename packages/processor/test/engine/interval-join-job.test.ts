import { afterEach, describe, expect, it } from 'vitest';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import { JobTestDriver, type TestJobOptions, type TestRecordInput } from '../../src/testing/index.js';
import { conversionIds, conversionStages, expected, T0, workload, type Click } from './conversion-job.js';
import { rng } from './fixtures.js';

function conversionJob(): TestJobOptions {
  return {
    applicationId: 'conversions',
    outputs: {
      repartition: 'conversions-repartition',
      results: 'conversions',
      late: 'conversions-late',
      'dead-letter': 'conversions-dlq',
    },
    repartitionPartitions: 2,
    ...conversionStages(),
  };
}

const input = (e: Click): TestRecordInput => ({ key: e.user, value: JSON.stringify(e) });

function conversions(driver: JobTestDriver): string[] {
  return conversionIds(driver.readOutput('results').map((r) => r.value));
}

let driver: JobTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

describe('intervalJoinStages on the runtime (JobTestDriver)', () => {
  it('joins clicks and orders exactly, late and undecodable records apart', async () => {
    const { clicks, orders } = workload(1);
    driver = new JobTestDriver(conversionJob(), { partitions: { clicks: 3, orders: 2 } });
    // The two topics are written in time order, each at its own pace.
    let c = 0;
    let o = 0;
    while (c < clicks.length || o < orders.length) {
      if (c < clicks.length && (o >= orders.length || clicks[c]!.ts <= orders[o]!.ts + 60_000))
        await driver.pipe('clicks', input(clicks[c++]!));
      else await driver.pipe('orders', input(orders[o++]!));
      await driver.advanceTime(50);
    }
    await driver.pipe('orders', { key: 'u1', value: 'not json' });
    // Hours behind every partition of the clicks topic: late.
    for (let p = 0; p < 3; p++)
      await driver.pipe('clicks', {
        partition: p,
        value: JSON.stringify({ id: `x${p}`, user: 'u1', ts: T0 }),
      });
    await driver.advanceTime(1_000);

    const got = conversions(driver);
    expect(got).toEqual(expected(clicks, orders));
    expect(got.length).toBeGreaterThan(200);
    expect(driver.readOutput('late').map((r) => r.headers[SIDE_OUTPUT_HEADERS.sourceTopic])).toEqual([
      'clicks',
      'clicks',
      'clicks',
    ]);
    const dead = driver.readOutput('dead-letter');
    expect(
      dead.map((r) => [r.headers[SIDE_OUTPUT_HEADERS.sourceTopic], r.headers[SIDE_OUTPUT_HEADERS.errorCode]]),
    ).toEqual([['orders', 'TEST_DECODE']]);
    // The buffers were checkpointed and trimmed by the watermarks: far fewer live entries than events.
    const buffered = driver.changelog('join-left').length + driver.changelog('join-right').length;
    expect(buffered).toBeLessThan((clicks.length + orders.length) / 3);
  });

  it('gives the same conversions, each once, through crashes of the whole job', async () => {
    const { clicks, orders } = workload(2);
    driver = new JobTestDriver(conversionJob(), { partitions: { clicks: 3, orders: 2 } });
    const r = rng(3);
    const all = [
      ...clicks.map((e) => ['clicks', e] as const),
      ...orders.map((e) => ['orders', e] as const),
    ].sort((a, b) => a[1].ts - b[1].ts);
    for (const [i, [topic, event]] of all.entries()) {
      await driver.pipe(topic, input(event));
      await driver.advanceTime(Math.floor(r() * 150));
      if (i % 97 === 50) {
        await driver.crash();
        await driver.advanceTime(300);
        await driver.restart();
      }
    }
    await driver.advanceTime(1_000);
    expect(conversions(driver)).toEqual(expected(clicks, orders));
  });
});
