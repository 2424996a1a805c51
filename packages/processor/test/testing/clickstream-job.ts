import { ClickstreamGenerator, type GeneratedRecord } from '@tributary/producer';
import { decodeWindowResult, type WindowResult } from '@tributary/schema';
import { clickstreamMergeTask, clickstreamPartialTask } from '../../src/engine/clickstream-job.js';
import type { TestJobOptions, TestRecordInput } from '../../src/testing/index.js';

/** The reference clickstream job of the README ("The reference clickstream job in a few lines"), without brokers. */
export function clickstreamJob(overrides: Partial<TestJobOptions> = {}): TestJobOptions {
  return {
    applicationId: 'clickstream',
    input: { topic: 'clickstream-events' },
    outputs: {
      repartition: 'clickstream-repartition',
      results: 'clickstream-metrics',
      late: 'clickstream-late',
      'dead-letter': 'clickstream-dlq',
    },
    taskFactory: (_topic, partition) => clickstreamPartialTask({ inputPartition: partition }),
    merge: {
      taskFactory: (_t, _p, ctx) => clickstreamMergeTask({ upstreamPartitions: ctx.upstreamPartitionCount! }),
    },
    ...overrides,
  };
}

/** A seeded workload with late, duplicate, malformed and out-of-order events. */
export function workload(partitions: number, count: number, seed = 7): GeneratedRecord[] {
  return new ClickstreamGenerator({
    seed,
    partitions,
    eventsPerSecond: 20, // a few minutes of event time: many windows
    lateRate: 0.03,
    duplicateRate: 0.04,
    malformedRate: 0.02,
    outOfOrderRate: 0.2,
  }).take(count);
}

/**
 * A generated record as a producer sends it, without a Kafka timestamp (-1), so the future-skew check against the
 * record's timestamp is not made — as in the ground truth for entries without `timestamp`. No partition: the driver
 * picks it by the key.
 */
export function toInput(r: GeneratedRecord): TestRecordInput {
  return { key: r.key, value: r.value, timestamp: -1 };
}

/** The latest version of each (window, page), sorted, as counts (what the ground truth lists). */
export function latestCounts(results: readonly WindowResult[]): object[] {
  const latest = new Map<string, WindowResult>();
  for (const r of results) {
    const id = `${r.windowStart}|${r.pageUrl}`;
    const prev = latest.get(id);
    if (prev === undefined || r.version > prev.version) latest.set(id, r);
  }
  return [...latest.values()]
    .sort(
      (a, b) => a.windowStart - b.windowStart || (a.pageUrl < b.pageUrl ? -1 : a.pageUrl > b.pageUrl ? 1 : 0),
    )
    .map(({ pageUrl, windowStart, windowEnd, clickCount, viewCount }) => ({
      pageUrl,
      windowStart,
      windowEnd,
      clickCount,
      viewCount,
    }));
}

export const decodeResult = (value: Buffer): WindowResult => decodeWindowResult(value);

/** Far enough past any generated event for every partition to be idle and every window closed. */
export const FAR_FUTURE_MS = 10_000_000_000_000;
