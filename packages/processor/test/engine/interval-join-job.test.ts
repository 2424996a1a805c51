import { afterEach, describe, expect, it } from 'vitest';
import type { DecodeResult } from '../../src/engine/decoder.js';
import { intervalJoinStages } from '../../src/engine/interval-join-job.js';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import type { InputRecord } from '../../src/task/partition-task.js';
import { JobTestDriver, type TestJobOptions, type TestRecordInput } from '../../src/testing/index.js';
import { rng } from './fixtures.js';

interface Click {
  id: string;
  user: string;
  ts: number;
}
interface Order extends Click {
  amount: number;
}

function json<E extends { ts: number }>(record: InputRecord): DecodeResult<E> {
  try {
    const e = JSON.parse(record.value?.toString('utf8') ?? '') as E;
    if (typeof e.ts !== 'number') return { ok: false, code: 'TEST_NO_TS', reason: 'no ts' };
    return { ok: true, event: e };
  } catch {
    return { ok: false, code: 'TEST_DECODE', reason: 'not JSON' };
  }
}

const MINUTE = 60_000;
const T0 = 1_700_000_000_000;

/** Clicks joined with orders of the same user placed within 30 minutes after the click. */
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
    ...intervalJoinStages({
      left: {
        topic: 'clicks',
        decode: json<Click>,
        timestampOf: (c) => c.ts,
        keyOf: (c) => c.user,
        eventIdOf: (c) => c.id,
        outOfOrdernessMs: 10_000,
      },
      right: {
        topic: 'orders',
        decode: json<Order>,
        timestampOf: (o) => o.ts,
        keyOf: (o) => o.user,
        eventIdOf: (o) => o.id,
        outOfOrdernessMs: 10_000,
      },
      lowerMs: 0,
      upperMs: 30 * MINUTE,
      joiner: (click: Click, order: Order) => ({ click: click.id, order: order.id, amount: order.amount }),
    }),
  };
}

/** Two hours of clicks and orders of 20 users, in time order (jitter below the out-of-orderness). */
function workload(seed: number): { clicks: Click[]; orders: Order[] } {
  const r = rng(seed);
  const clicks: Click[] = [];
  const orders: Order[] = [];
  for (let i = 0; i < 600; i++) {
    const ts = T0 + i * 12_000 - Math.floor(r() * 5_000);
    const user = `u${Math.floor(r() * 20)}`;
    if (r() < 0.7) clicks.push({ id: `c${i}`, user, ts });
    else orders.push({ id: `o${i}`, user, ts, amount: Math.floor(r() * 100) });
  }
  return { clicks, orders };
}

function expected(clicks: Click[], orders: Order[]): string[] {
  return clicks
    .flatMap((c) =>
      orders
        .filter((o) => o.user === c.user && o.ts - c.ts >= 0 && o.ts - c.ts <= 30 * MINUTE)
        .map((o) => `${c.id}>${o.id}`),
    )
    .sort();
}

const input = (e: Click): TestRecordInput => ({ key: e.user, value: JSON.stringify(e) });

function conversions(driver: JobTestDriver): string[] {
  return driver
    .readValues('results', (v) => JSON.parse(v.toString('utf8')) as { click: string; order: string })
    .map((c) => `${c.click}>${c.order}`)
    .sort();
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
