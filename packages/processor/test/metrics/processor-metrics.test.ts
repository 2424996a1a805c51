import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../src/metrics/metric-names.js';
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
    for (const name of Object.values(METRIC_NAMES)) expect(text).toContain(name);
    expect(text).toContain('tributary_processor_consumer_lag{stage="app",topic="in",partition="0"} 7');
    expect(text).toContain('tributary_processor_commit_failures_total{stage="app"} 1');
  });
});
