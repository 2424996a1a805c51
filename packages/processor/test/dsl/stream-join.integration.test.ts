import { describe, expect, inject, it } from 'vitest';
import type { EventCodec } from '../../src/dsl/logical-plan.js';
import { streamJob } from '../../src/dsl/stream-job.js';
import type { StreamJob } from '../../src/runtime/stream-job.js';
import { JOIN_RIGHT_STAGE } from '../../src/engine/interval-join-job.js';
import { uniqueName } from '../helpers/kafka-harness.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';
import type { Click, Order } from '../engine/conversion-job.js';
import { conversionsAcrossRestart } from '../engine/conversion-job-restart.js';

const brokers = inject('kafkaBrokers');

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

    await conversionsAcrossRestart(
      harness,
      { clicks: clicksTopic, orders: ordersTopic, results },
      7,
      newJob,
      (records) => {
        // Keyed by the joined element's `order`, not by the join key.
        expect(
          records.every((r) => r.key === (JSON.parse(r.value!.toString('utf8')) as { order: string }).order),
        ).toBe(true);
      },
    );
  });
});
