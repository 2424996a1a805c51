import { ClickstreamGenerator, computeGroundTruth } from '@tributary/producer';
import { decodeWindowResult } from '@tributary/schema';
import { describe, expect, it } from 'vitest';
import { clickstreamAggregator } from '../../src/aggregate/clickstream.js';
import type { StreamJobOptions } from '../../src/config/stream-job-options.js';
import { clickstreamCodec } from '../../src/dsl/clickstream-codec.js';
import { streamJob } from '../../src/dsl/stream-job.js';
import { tumbling } from '../../src/dsl/windows.js';
import {
  clickstreamMergeTask,
  clickstreamPartialTask,
  encodeClickstreamResult,
} from '../../src/engine/clickstream-job.js';
import { PlanRunner } from './plan-runner.js';

const UPSTREAM = 3;
const DOWNSTREAM = 2;

/** The README's reference job, written by hand. */
const REFERENCE: StreamJobOptions = {
  applicationId: 'clickstream',
  brokers: ['127.0.0.1:9092'],
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
};

/** The same job in the DSL. */
const dsl = () =>
  streamJob({ applicationId: 'clickstream', brokers: ['127.0.0.1:9092'] })
    .source('clickstream-events', clickstreamCodec(), { partitionedBy: 'userId' })
    .dedupBy((e) => e.eventId)
    .keyBy('pageUrl')
    .window(tumbling({ size: '1m' }))
    .aggregate(clickstreamAggregator())
    .to('clickstream-metrics', encodeClickstreamResult, {
      late: 'clickstream-late',
      deadLetter: 'clickstream-dlq',
    });

function run(options: StreamJobOptions, seed: number): PlanRunner {
  const records = new ClickstreamGenerator({
    seed,
    partitions: UPSTREAM,
    eventsPerSecond: 20,
    lateRate: 0.03,
    duplicateRate: 0.04,
    malformedRate: 0.02,
    outOfOrderRate: 0.2,
  }).take(3000);
  const runner = new PlanRunner(options, UPSTREAM, DOWNSTREAM);
  records.forEach((r, i) => {
    runner.feed(r.partition, Buffer.from(r.value), Buffer.from(r.key));
    if (i % 89 === 0) runner.commit(r.partition);
  });
  runner.finish();
  return runner;
}

const bytes = (outs: readonly { key: Buffer | null; value: Buffer | null; headers: object }[]) =>
  outs.map((o) => ({ key: o.key?.toString('hex'), value: o.value?.toString('hex'), headers: o.headers }));

describe('the reference clickstream job in the DSL', () => {
  it('plans partial → repartition → merge (keyed by user_id, aggregated by page_url)', () => {
    const plan = dsl();
    expect(plan.physical.kind).toBe('two-stage');
    expect(plan.physical.outputs).toEqual({
      repartition: 'clickstream-repartition',
      results: 'clickstream-metrics',
      late: 'clickstream-late',
      'dead-letter': 'clickstream-dlq',
      'late-partials': 'clickstream-late-partials',
    });
  });

  it.each([7, 11])('seed %i: byte-identical WindowResult records, late and dead letters', (seed) => {
    const reference = run(REFERENCE, seed);
    const compiled = run(dsl().toStreamJobOptions(), seed);
    const results = reference.output('results');
    expect(results.length).toBeGreaterThan(100);
    expect(bytes(compiled.output('results'))).toEqual(bytes(results));
    expect(bytes(compiled.output('late'))).toEqual(bytes(reference.output('late')));
    expect(bytes(compiled.output('dead-letter'))).toEqual(bytes(reference.output('dead-letter')));
    expect(reference.output('late').length).toBeGreaterThan(0);
    expect(reference.output('dead-letter').length).toBeGreaterThan(0);
    expect(results.every((r) => decodeWindowResult(r.value!).isFinal)).toBe(true);
  });

  it('equals the producer ground truth', () => {
    const records = new ClickstreamGenerator({ seed: 3, partitions: UPSTREAM, eventsPerSecond: 20 }).take(
      2000,
    );
    const manifest = computeGroundTruth(
      records.map((r) => ({ partition: r.partition, value: r.value })),
      { partitions: UPSTREAM },
    );
    const runner = new PlanRunner(dsl().toStreamJobOptions(), UPSTREAM, DOWNSTREAM);
    for (const r of records) runner.feed(r.partition, Buffer.from(r.value), Buffer.from(r.key));
    runner.finish();
    const latest = new Map<string, ReturnType<typeof decodeWindowResult>>();
    for (const o of runner.output('results')) {
      const r = decodeWindowResult(o.value!);
      const id = `${r.windowStart}|${r.pageUrl}`;
      if ((latest.get(id)?.version ?? 0) < r.version) latest.set(id, r);
    }
    const counts = [...latest.values()]
      .sort(
        (a, b) =>
          a.windowStart - b.windowStart || (a.pageUrl < b.pageUrl ? -1 : a.pageUrl > b.pageUrl ? 1 : 0),
      )
      .map(({ pageUrl, windowStart, windowEnd, clickCount, viewCount }) => ({
        pageUrl,
        windowStart,
        windowEnd,
        clickCount,
        viewCount,
      }));
    expect(counts).toEqual(manifest.windows);
  });
});
