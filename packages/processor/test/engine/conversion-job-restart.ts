import { expect } from 'vitest';
import type { StreamJob } from '../../src/runtime/stream-job.js';
import type { KafkaHarness } from '../helpers/kafka-harness.js';
import { conversionIds, expected, workload, type Click, type Order } from './conversion-job.js';

export interface ConversionTopics {
  readonly clicks: string;
  readonly orders: string;
  readonly results: string;
}

type ResultRecords = Awaited<ReturnType<KafkaHarness['readAll']>>;

const message = (e: Click | Order) => ({ key: e.user, value: JSON.stringify(e) });
const firstHalf = <E>(events: E[]): E[] => events.slice(0, Math.ceil(events.length / 2));
const secondHalf = <E>(events: E[]): E[] => events.slice(Math.ceil(events.length / 2));

/**
 * The join against the real broker across a stop and a restart: the first halves of a generated workload, a job that
 * writes exactly their conversions and stops, the second halves, a new job that restores the buffers and writes
 * every conversion exactly once. `check` sees the results and the second job before it stops.
 */
export async function conversionsAcrossRestart(
  harness: KafkaHarness,
  topics: ConversionTopics,
  seed: number,
  newJob: () => StreamJob,
  check: (records: ResultRecords, job: StreamJob) => void = () => undefined,
): Promise<void> {
  await harness.createTopic(topics.clicks, 3);
  await harness.createTopic(topics.orders, 2);
  const { clicks, orders } = workload(seed);
  await harness.produce(topics.clicks, firstHalf(clicks).map(message));
  await harness.produce(topics.orders, firstHalf(orders).map(message));
  const first = newJob();
  await first.start();
  // Every conversion of the first halves, exactly: the join does not wait for a watermark to emit.
  const early = expected(firstHalf(clicks), firstHalf(orders));
  const before = await harness.readAll(topics.results, { expected: early.length, settleMs: 500 });
  expect(conversionIds(before.map((r) => r.value))).toEqual(early);
  await first.stop();

  await harness.produce(topics.clicks, secondHalf(clicks).map(message));
  await harness.produce(topics.orders, secondHalf(orders).map(message));
  const second = newJob();
  await second.start();
  try {
    const all = expected(clicks, orders);
    const records = await harness.readAll(topics.results, {
      expected: all.length,
      settleMs: 3_000,
      timeoutMs: 90_000,
    });
    expect(conversionIds(records.map((r) => r.value))).toEqual(all);
    expect(second.metrics.restoredRecords).toBeGreaterThan(0);
    check(records, second);
  } finally {
    await second.stop();
  }
}
