import { describe, expect, inject, it } from 'vitest';
import { createStreamJob, type StreamJob } from '../../src/runtime/stream-job.js';
import { JOIN_RIGHT_STAGE } from '../../src/engine/interval-join-job.js';
import { uniqueName } from '../helpers/kafka-harness.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';
import { conversionIds, conversionStages, expected, workload, type Click } from './conversion-job.js';

const brokers = inject('kafkaBrokers');

const message = (e: Click) => ({ key: e.user, value: JSON.stringify(e) });

describe('an interval join against the real broker', () => {
  const { harness, groups } = useKafkaHarness(brokers, ['join-it-']);

  it('joins clicks and orders exactly once, across a stop and a restart that restores the buffers', async () => {
    const applicationId = uniqueName('join-it-app');
    const clicksTopic = uniqueName('join-it-clicks');
    const ordersTopic = uniqueName('join-it-orders');
    const results = `${applicationId}-conversions`;
    groups.push(applicationId, `${applicationId}-merge`, `${applicationId}-${JOIN_RIGHT_STAGE}`);
    await harness.createTopic(clicksTopic, 3);
    await harness.createTopic(ordersTopic, 2);
    const { clicks, orders } = workload(5);
    const firstHalf = <E>(events: E[]): E[] => events.slice(0, Math.ceil(events.length / 2));
    const secondHalf = <E>(events: E[]): E[] => events.slice(Math.ceil(events.length / 2));
    const newJob = (): StreamJob =>
      createStreamJob({
        applicationId,
        brokers,
        commitIntervalMs: 100,
        repartitionPartitions: 2,
        outputs: {
          repartition: `${applicationId}-repartition`,
          results,
          late: `${applicationId}-late`,
          'dead-letter': `${applicationId}-dlq`,
        },
        ...conversionStages({ clicks: clicksTopic, orders: ordersTopic }),
      });

    await harness.produce(clicksTopic, firstHalf(clicks).map(message));
    await harness.produce(ordersTopic, firstHalf(orders).map(message));
    const first = newJob();
    await first.start();
    // Every conversion of the first halves, exactly: the join does not wait for a watermark to emit.
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
      expect(second.metrics.restoredRecords).toBeGreaterThan(0);
    } finally {
      await second.stop();
    }
  });
});
