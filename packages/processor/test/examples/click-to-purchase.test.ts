import { encodeClickstreamEvent } from '@tributary/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { SIDE_OUTPUT_HEADERS } from '../../src/index.js';
import { JobTestDriver, type TestRecordInput } from '../../src/testing/index.js';
import {
  CLICK_TO_PURCHASE_TOPICS as TOPICS,
  clickToPurchaseJob,
  type Conversion,
  type Order,
} from '../../examples/click-to-purchase/job.js';
import { rng } from '../engine/fixtures.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const settings = { applicationId: 'click-to-purchase', brokers: ['127.0.0.1:9092'] };

interface Click {
  readonly eventId: string;
  readonly userId: string;
  readonly pageUrl: string;
  readonly eventType: 'CLICK' | 'VIEW';
  readonly timestamp: number;
}

/**
 * Two hours of clicks and views (some sent twice) of 12 users on 6 pages and their orders, in time order with up to
 * 4 s of disorder (below the join's 5 s out-of-orderness: none is late).
 */
function workload(seed: number): { clicks: Click[]; orders: Order[] } {
  const r = rng(seed);
  const clicks: Click[] = [];
  const orders: Order[] = [];
  for (let i = 0; i < 900; i++) {
    const timestamp = T0 + i * 8_000 - Math.floor(r() * 4_000);
    const userId = `u${Math.floor(r() * 12)}`;
    if (r() < 0.8) {
      const eventType = r() < 0.7 ? 'CLICK' : 'VIEW';
      clicks.push({ eventId: `c${i}`, userId, pageUrl: `/p${Math.floor(r() * 6)}`, eventType, timestamp });
      if (r() < 0.05) clicks.push(clicks.at(-1)!); // the producer retried
    } else {
      orders.push({ orderId: `o${i}`, userId, amount: 1 + Math.floor(r() * 99), timestamp });
    }
  }
  return { clicks, orders };
}

const clickRecord = (c: Click): TestRecordInput => ({
  key: c.userId,
  value: Buffer.from(encodeClickstreamEvent(c)),
  timestamp: c.timestamp,
});
const orderRecord = (o: Order): TestRecordInput => ({
  key: o.userId,
  value: JSON.stringify(o),
  timestamp: o.timestamp,
});

/** Every (click, order) of a user with the order 0–30 min after the click: distinct CLICK events only. */
function referenceConversions(clicks: Click[], orders: Order[]): string[] {
  const distinct = [
    ...new Map(clicks.filter((c) => c.eventType === 'CLICK').map((c) => [c.eventId, c])).values(),
  ];
  return distinct.flatMap((c) =>
    orders
      .filter(
        (o) =>
          o.userId === c.userId && o.timestamp - c.timestamp >= 0 && o.timestamp - c.timestamp <= 30 * MINUTE,
      )
      .map((o) => `${c.pageUrl}|${c.eventId}>${o.orderId}@${o.timestamp}`),
  );
}

/** The reference conversions per page per 5 minutes of conversion time: `page@windowStart=conversions/revenue`. */
function referenceReports(clicks: Click[], orders: Order[]): string[] {
  const amounts = new Map(orders.map((o) => [o.orderId, o.amount]));
  const windows = new Map<string, { conversions: number; revenue: number }>();
  for (const c of referenceConversions(clicks, orders)) {
    const [, page, orderId, ts] = /^(.*)\|.*>(.*)@(\d+)$/.exec(c)!;
    const id = `${page}@${Math.floor(Number(ts) / (5 * MINUTE)) * 5 * MINUTE}`;
    const w = windows.get(id) ?? { conversions: 0, revenue: 0 };
    windows.set(id, { conversions: w.conversions + 1, revenue: w.revenue + amounts.get(orderId!)! });
  }
  return [...windows].map(([id, w]) => `${id}=${w.conversions}/${w.revenue}`).sort();
}

interface Report {
  page: string;
  windowStart: number;
  windowEnd: number;
  conversions: number;
  revenue: number;
}

let driver: JobTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

/** Pipes both topics in time order, a little processing time between records, crashing the job where asked. */
async function run(seed: number, crashEvery?: number): Promise<{ clicks: Click[]; orders: Order[] }> {
  const { clicks, orders } = workload(seed);
  driver = new JobTestDriver(clickToPurchaseJob(settings).toStreamJobOptions(), {
    partitions: { [TOPICS.clicks]: 3, [TOPICS.orders]: 2 },
    startTimeMs: T0,
  });
  const all = [
    ...clicks.map((c) => [c.timestamp, TOPICS.clicks, clickRecord(c)] as const),
    ...orders.map((o) => [o.timestamp, TOPICS.orders, orderRecord(o)] as const),
  ].sort((a, b) => a[0] - b[0]);
  for (const [i, [, topic, record]] of all.entries()) {
    await driver.pipe(topic, record);
    await driver.advanceTime(50);
    if (crashEvery !== undefined && i % crashEvery === crashEvery - 1) {
      await driver.crash();
      await driver.restart();
    }
  }
  return { clicks, orders };
}

describe('example: click-to-purchase conversions and conversions per page per 5 minutes', () => {
  it('plans the join and a per-page window stage reading its results, in one job', () => {
    const plan = clickToPurchaseJob(settings);
    expect(plan.physical.kind).toBe('interval-join');
    expect(plan.explain()).toMatch(
      /^interval-join \(JoinSideTask → IntervalJoinTask\): clickstream-events ⋈ orders .*; stage per-page: single-stage \(WindowedAggregationTask\)/,
    );
    const options = plan.toStreamJobOptions();
    expect(options.outputs).toEqual({
      repartition: 'click-to-purchase-repartition',
      results: TOPICS.conversions,
      late: TOPICS.late,
      'dead-letter': TOPICS.deadLetter,
      'per-page': TOPICS.perPage,
      'per-page-late': TOPICS.late,
      'per-page-dead-letter': TOPICS.deadLetter,
    });
    expect(options.extraStages?.map((s) => [s.name, s.input.topic])).toEqual([
      ['join-right', TOPICS.orders],
      ['per-page', TOPICS.conversions],
    ]);
  });

  it('writes every conversion once, keyed by page and stamped with its event time, and exact windows', async () => {
    const { clicks, orders } = await run(1);
    // Hours behind every partition of both topics: late. Then a record that is not an order.
    for (let p = 0; p < 3; p++)
      await driver!.pipe(TOPICS.clicks, {
        partition: p,
        ...clickRecord({
          eventId: `late${p}`,
          userId: 'u1',
          pageUrl: '/p0',
          eventType: 'CLICK',
          timestamp: T0,
        }),
      });
    await driver!.pipe(TOPICS.orders, { key: 'u1', value: '{"orderId":"x"}' });
    await driver!.setTime(T0 + 4 * 60 * MINUTE);

    const conversions = driver!.readOutput(TOPICS.conversions);
    const decoded = conversions.map((r) => JSON.parse(r.value!.toString('utf8')) as Conversion);
    const byId = new Map(clicks.map((c) => [c.eventId, c]));
    const got = decoded
      .map((c) => {
        const click = [...byId.values()].find(
          (k) => k.userId === c.userId && k.timestamp === c.clickedAt && k.pageUrl === c.page,
        )!;
        return `${c.page}|${click.eventId}>${c.orderId}@${c.timestamp}`;
      })
      .sort();
    expect(got).toEqual(referenceConversions(clicks, orders).sort());
    expect(got.length).toBeGreaterThan(300);
    expect(conversions.every((r, i) => r.key!.toString() === decoded[i]!.page)).toBe(true);
    expect(conversions.every((r, i) => r.timestamp === decoded[i]!.orderedAt)).toBe(true);

    const reports = driver!
      .readValues(TOPICS.perPage, (v) => JSON.parse(v.toString('utf8')) as Report)
      .map((r) => `${r.page}@${r.windowStart}=${r.conversions}/${r.revenue}`)
      .sort();
    expect(reports).toEqual(referenceReports(clicks, orders));

    const late = driver!.readOutput(TOPICS.late);
    expect(late.map((r) => r.headers[SIDE_OUTPUT_HEADERS.sourceTopic])).toEqual([
      TOPICS.clicks,
      TOPICS.clicks,
      TOPICS.clicks,
    ]);
    const dead = driver!.readOutput(TOPICS.deadLetter);
    expect(dead.map((r) => r.headers[SIDE_OUTPUT_HEADERS.errorCode])).toEqual(['ORDER_INVALID']);
  });

  it('crashed and restarted again and again, it writes the same conversions and windows, each once', async () => {
    const { clicks, orders } = await run(2, 97);
    await driver!.setTime(T0 + 4 * 60 * MINUTE);
    const conversions = driver!
      .readValues(TOPICS.conversions, (v) => JSON.parse(v.toString('utf8')) as Conversion)
      .map((c) => `${c.page}|${c.userId}|${c.clickedAt}>${c.orderId}`)
      .sort();
    const expected = referenceConversions(clicks, orders).map((c) => {
      const [, page, eventId, orderId] = /^(.*)\|(.*)>(.*)@/.exec(c)!;
      const click = clicks.find((k) => k.eventId === eventId)!;
      return `${page}|${click.userId}|${click.timestamp}>${orderId}`;
    });
    expect(conversions).toEqual(expected.sort());
    const reports = driver!
      .readValues(TOPICS.perPage, (v) => JSON.parse(v.toString('utf8')) as Report)
      .map((r) => `${r.page}@${r.windowStart}=${r.conversions}/${r.revenue}`)
      .sort();
    expect(reports).toEqual(referenceReports(clicks, orders));
  });
});
