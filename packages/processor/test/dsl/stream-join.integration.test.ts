import { describe, expect, inject, it } from 'vitest';
import type { EventCodec } from '../../src/dsl/logical-plan.js';
import { streamJob } from '../../src/dsl/stream-job.js';
import type { StreamJob } from '../../src/runtime/stream-job.js';
import { JOIN_RIGHT_STAGE } from '../../src/engine/interval-join-job.js';
import { uniqueName } from '../helpers/kafka-harness.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';
import { conversionIds, expected, workload, type Click, type Order } from '../engine/conversion-job.js';

const brokers = inject('kafkaBrokers');

const message = (e: Click) => ({ key: e.user, value: JSON.stringify(e) });

/** JSON events with a numeric `ts` (anything else is dead-lettered). */
function json<E extends { ts: number }>(): EventCodec<E> {
  return {
    decode: (record) => {
      try {
        const e = JSON.parse(record.value?.toString('utf8') ?? '') as E;
        if (typeof e.ts === 'number') return { ok: true, event: e };
      } catch {
        // refused below
      }
      return { ok: false, code: 'TEST_DECODE', reason: 'not a JSON event' };
    },
    eventTime: (e) => e.ts,
  };
}

describe('a DSL interval join against the real broker', () => {
  const { harness, groups } = useKafkaHarness(brokers, ['dsl-join-it-']);

  it('joins clicks and orders exactly once, keyed by order, across a stop and a restart', async () => {
    const applicationId = uniqueName('dsl-join-it-app');
    const clicksTopic = uniqueName('dsl-join-it-clicks');
    const ordersTopic = uniqueName('dsl-join-it-orders');
    const results = `${applicationId}-conversions`;
    groups.push(applicationId, `${applicationId}-merge`, `${applicationId}-${JOIN_RIGHT_STAGE}`);
    await harness.createTopic(clicksTopic, 3);
    await harness.createTopic(ordersTopic, 2);
    const { clicks, orders } = workload(7);
    const firstHalf = <E>(events: E[]): E[] => events.slice(0, Math.ceil(events.length / 2));
    const secondHalf = <E>(events: E[]): E[] => events.slice(Math.ceil(events.length / 2));
    const newJob = (): StreamJob => {
      const job = streamJob({ applicationId, brokers, commitIntervalMs: 100, repartitionPartitions: 2 });
      const clickStream = job.source(clicksTopic, json<Click>()).dedupBy((c) => c.id);
      const orderStream = job
        .source(ordersTopic, json<Order>())
        .filter((o) => o.amount >= 0)
        .map((o) => ({ orderId: o.id, buyer: o.user, amount: o.amount }));
      return clickStream
        .join(
          orderStream,
          { leftKey: 'user', rightKey: 'buyer', between: { lower: 0, upper: '30m' }, outOfOrderness: '10s' },
          (click, order) => ({ click: click.id, order: order.orderId, amount: order.amount }),
        )
        .to(results, undefined, { key: 'order' })
        .createJob();
    };

    await harness.produce(clicksTopic, firstHalf(clicks).map(message));
    await harness.produce(ordersTopic, firstHalf(orders).map(message));
    const first = newJob();
    await first.start();
    const early = expected(firstHalf(clicks), firstHalf(orders));
    const before = await harness.readAll(results, { expected: early.length, settleMs: 500 });
    expect(conversionIds(before.map((r) => r.value))).toEqual(early);
    await first.stop();

    await harness.produce(clicksTopic, secondHalf(clicks).map(message));
    await harness.produce(ordersTopic, secondHalf(orders).map(message));
    const second = newJob();
    await second.start();
    try {
      const all = expected(clicks, orders);
      const records = await harness.readAll(results, {
        expected: all.length,
        settleMs: 3_000,
        timeoutMs: 90_000,
      });
      expect(conversionIds(records.map((r) => r.value))).toEqual(all);
      // Keyed by the joined element's `order`, not by the join key.
      expect(
        records.every((r) => r.key === (JSON.parse(r.value!.toString('utf8')) as { order: string }).order),
      ).toBe(true);
      expect(second.metrics.restoredRecords).toBeGreaterThan(0);
    } finally {
      await second.stop();
    }
  });
});
