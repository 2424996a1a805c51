import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { clickstreamAggregator, type PageCounts } from '../../src/aggregate/clickstream.js';
import { ENGINE_CHANNELS } from '../../src/engine/diagnostics.js';
import { WindowedAggregationTask } from '../../src/engine/windowed-aggregation-task.js';
import { TumblingWindows } from '../../src/windows/tumbling.js';
import { decodeTestEvent, Log, type TestEvent } from '../engine/fixtures.js';
import { PROCESSOR_METRIC_NAMES } from '@tributary/schema';
import { ProcessorMetrics } from '../../src/metrics/processor-metrics.js';

describe('ProcessorMetrics', () => {
  it('keeps plain stats without a registry', () => {
    const m = new ProcessorMetrics();
    m.recordsIn('app', 'in', 5);
    m.committed('app', new Map([['results', 3]]), 2, 12);
    m.committed('app', new Map(), 0, 4);
    m.restored('app', 10, 30);
    expect(m.stats).toMatchObject({
      recordsIn: 5,
      recordsOut: 3,
      changelogRecords: 2,
      commits: 2,
      commitMsMax: 12,
      commitMsTotal: 16,
      restores: 1,
      restoredRecords: 10,
      restoreMsMax: 30,
    });
  });

  it('registers every metric name in the given registry', async () => {
    const registry = new Registry();
    const m = new ProcessorMetrics(registry);
    m.recordsIn('app', 'in', 2);
    m.committed('app', new Map([['results', 1]]), 1, 8);
    m.commitFailed('app');
    m.lag('app', 'in', 0, 7);
    m.watermark('app', 'in', 0, 60_000);
    m.stageRestarted('app');
    m.activeTasks('app', 3);
    m.restored('app', 1, 2);
    const text = await registry.metrics();
    for (const name of Object.values(PROCESSOR_METRIC_NAMES)) expect(text).toContain(name);
    expect(text).toContain('tributary_processor_consumer_lag{stage="app",topic="in",partition="0"} 7');
    expect(text).toContain('tributary_processor_commit_failures_total{stage="app"} 1');
  });
});

async function values(registry: Registry, name: string): Promise<{ labels: object; value: number }[]> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`${name} not registered`);
  return (await metric.get()).values.map((v) => ({ labels: v.labels, value: v.value }));
}

describe('ProcessorMetrics bookkeeping', () => {
  it('counts window fires per stage and kind from the engine channel, pushed at the commit boundary', async () => {
    const registry = new Registry();
    const m = new ProcessorMetrics(registry);
    const other = new ProcessorMetrics(new Registry());
    try {
      m.enter('app');
      ENGINE_CHANNELS.windowFired.publish({ isFinal: true });
      ENGINE_CHANNELS.windowFired.publish({ isFinal: false });
      m.enter('app-merge');
      ENGINE_CHANNELS.windowFired.publish({ isFinal: true });
      other.enter('x'); // another job's task runs now: not ours
      ENGINE_CHANNELS.windowFired.publish({ isFinal: true });
      expect(await values(registry, PROCESSOR_METRIC_NAMES.windowsFired)).toEqual([]);
      m.outputsCommitted('app', { late: 0, deadLetters: new Map(), resultLatenciesSeconds: [] });
      expect(await values(registry, PROCESSOR_METRIC_NAMES.windowsFired)).toEqual([
        { labels: { stage: 'app', kind: 'final' }, value: 1 },
        { labels: { stage: 'app', kind: 'update' }, value: 1 },
        { labels: { stage: 'app-merge', kind: 'final' }, value: 1 },
      ]);
      expect(m.stats.windowsFired).toBe(3);
    } finally {
      m.close();
      other.close();
    }
  });

  it('counts dedup evictions per stage from the engine channel, pushed at the commit boundary', async () => {
    const registry = new Registry();
    const m = new ProcessorMetrics(registry);
    const task = new WindowedAggregationTask<TestEvent, PageCounts, PageCounts>({
      decode: decodeTestEvent,
      timestampOf: (e) => e.ts,
      keyOf: (e) => e.page,
      eventIdOf: (e) => e.id,
      window: new TumblingWindows({ sizeMs: 60_000 }),
      aggregator: clickstreamAggregator<TestEvent>(),
      maxDedupEntries: 2,
    });
    try {
      const log = new Log();
      m.enter('app'); // the runtime does this before feeding a task
      for (let i = 0; i < 5; i++) task.process(log.event({ id: `e${i}`, ts: 1_000 * (i + 1) }));
      m.enter('app-sessions');
      ENGINE_CHANNELS.dedupEvicted.publish({ ids: 4 });
      expect(await values(registry, PROCESSOR_METRIC_NAMES.dedupEvictions)).toEqual([]);
      m.outputsCommitted('app', { late: 0, deadLetters: new Map(), resultLatenciesSeconds: [] });
      expect(task.counters.dedupEvictions).toBe(3);
      expect(await values(registry, PROCESSOR_METRIC_NAMES.dedupEvictions)).toEqual([
        { labels: { stage: 'app' }, value: 3 },
        { labels: { stage: 'app-sessions' }, value: 4 },
      ]);
      expect(m.stats.dedupEvictions).toBe(7);
    } finally {
      m.close();
    }
    ENGINE_CHANNELS.dedupEvicted.publish({ ids: 5 }); // closed: no longer counted
    m.outputsCommitted('app', { late: 0, deadLetters: new Map(), resultLatenciesSeconds: [] });
    expect(m.stats.dedupEvictions).toBe(7);
  });

  it('stops counting window fires once closed', async () => {
    const registry = new Registry();
    const m = new ProcessorMetrics(registry);
    m.close();
    m.enter('app');
    ENGINE_CHANNELS.windowFired.publish({ isFinal: true });
    m.outputsCommitted('app', { late: 0, deadLetters: new Map(), resultLatenciesSeconds: [] });
    expect(m.stats.windowsFired).toBe(0);
  });

  it('records late events, dead letters by code and the event-time latency histogram', async () => {
    const registry = new Registry();
    const m = new ProcessorMetrics(registry);
    m.outputsCommitted('app', {
      late: 3,
      deadLetters: new Map([['TRIB_SCHEMA_DECODE_FAILED', 2]]),
      resultLatenciesSeconds: [0.3, 6, 700],
    });
    m.close();
    expect(await values(registry, PROCESSOR_METRIC_NAMES.lateEvents)).toEqual([
      { labels: { stage: 'app' }, value: 3 },
    ]);
    expect(await values(registry, PROCESSOR_METRIC_NAMES.deadLetters)).toEqual([
      { labels: { stage: 'app', code: 'TRIB_SCHEMA_DECODE_FAILED' }, value: 2 },
    ]);
    const text = await registry.getSingleMetricAsString(PROCESSOR_METRIC_NAMES.eventTimeLatency);
    expect(text).toContain('tributary_processor_event_time_latency_seconds_bucket{le="0.5",stage="app"} 1');
    expect(text).toContain('tributary_processor_event_time_latency_seconds_bucket{le="7.5",stage="app"} 2');
    expect(text).toContain('tributary_processor_event_time_latency_seconds_bucket{le="+Inf",stage="app"} 3');
    expect(text).toContain('tributary_processor_event_time_latency_seconds_count{stage="app"} 3');
    expect(m.stats).toMatchObject({ lateEvents: 3, deadLetters: 2 });
  });

  it('sets stage gauges from a sample and drops the series of partitions that moved away', async () => {
    const registry = new Registry();
    const m = new ProcessorMetrics(registry);
    m.close();
    const partition = (p: number, wm: number) => ({
      topic: 'in',
      partition: p,
      watermarkMs: wm,
      watermarkLagSeconds: 2,
      idle: false,
    });
    m.lag('app', 'in', 1, 9);
    m.sampled('app', {
      partitions: [partition(0, 1_000), partition(1, 2_000)],
      idlePartitions: 1,
      windowsOpen: 12,
      stateEntries: new Map([
        ['pc-windows', 12],
        ['pc-dedup', 40],
      ]),
    });
    expect(await values(registry, PROCESSOR_METRIC_NAMES.watermark)).toHaveLength(2);
    expect(await values(registry, PROCESSOR_METRIC_NAMES.idlePartitions)).toEqual([
      { labels: { stage: 'app' }, value: 1 },
    ]);
    expect(await values(registry, PROCESSOR_METRIC_NAMES.windowsOpen)).toEqual([
      { labels: { stage: 'app' }, value: 12 },
    ]);
    expect(await values(registry, PROCESSOR_METRIC_NAMES.stateEntries)).toEqual([
      { labels: { stage: 'app', store: 'pc-windows' }, value: 12 },
      { labels: { stage: 'app', store: 'pc-dedup' }, value: 40 },
    ]);
    m.sampled('app', {
      partitions: [partition(0, 1_500)],
      idlePartitions: 0,
      windowsOpen: 3,
      stateEntries: new Map([['pc-windows', 3]]),
    });
    expect(await values(registry, PROCESSOR_METRIC_NAMES.watermark)).toEqual([
      { labels: { stage: 'app', topic: 'in', partition: '0' }, value: 1_500 },
    ]);
    expect(await values(registry, PROCESSOR_METRIC_NAMES.watermarkLag)).toEqual([
      { labels: { stage: 'app', topic: 'in', partition: '0' }, value: 2 },
    ]);
    expect(await values(registry, PROCESSOR_METRIC_NAMES.consumerLag)).toEqual([]);
    expect(await values(registry, PROCESSOR_METRIC_NAMES.stateEntries)).toEqual([
      { labels: { stage: 'app', store: 'pc-windows' }, value: 3 },
    ]);
  });

  it('tracks consecutive commit failures per stage and resets them', async () => {
    const registry = new Registry();
    const m = new ProcessorMetrics(registry);
    m.close();
    m.consecutiveCommitFailures('app', 0);
    expect(await values(registry, PROCESSOR_METRIC_NAMES.consecutiveCommitFailures)).toEqual([
      { labels: { stage: 'app' }, value: 0 },
    ]);
    m.consecutiveCommitFailures('app', 1);
    m.consecutiveCommitFailures('app', 2);
    m.consecutiveCommitFailures('app-merge', 1);
    expect(m.stats.consecutiveCommitFailures).toBe(3);
    m.consecutiveCommitFailures('app', 0);
    expect(m.stats.consecutiveCommitFailures).toBe(1);
    expect(await values(registry, PROCESSOR_METRIC_NAMES.consecutiveCommitFailures)).toEqual([
      { labels: { stage: 'app' }, value: 0 },
      { labels: { stage: 'app-merge' }, value: 1 },
    ]);
  });
});
