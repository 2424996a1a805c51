import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BulkTally } from '../../src/metrics/bulk-tally.js';
import { SINK_METRIC_NAMES } from '../../src/metrics/metric-names.js';
import { SinkMetrics } from '../../src/metrics/sink-metrics.js';
import { metricValue } from '../helpers/metric-values.js';

const N = SINK_METRIC_NAMES;

describe('SinkMetrics', () => {
  it('is one instance per registry and starts every documents outcome at 0', async () => {
    const registry = new Registry();
    const metrics = SinkMetrics.for(registry);
    expect(SinkMetrics.for(registry)).toBe(metrics);
    expect(SinkMetrics.for(new Registry())).not.toBe(metrics);
    const text = await registry.metrics();
    for (const outcome of ['indexed', 'version_conflict', 'dead_lettered', 'retried'])
      expect(text).toContain(`${N.documents}{outcome="${outcome}"} 0`);
    for (const name of Object.values(N)) expect(text).toContain(`# TYPE ${name} `);
  });

  it('records a bulk response once: duration, outcomes, retries by status, dead letters by reason, rejections', async () => {
    const registry = new Registry();
    const metrics = SinkMetrics.for(registry);
    const tally = new BulkTally();
    tally.retry('429', 3);
    tally.retry('503');
    tally.retry('429');
    tally.deadLetter('document_parsing_exception', 2);
    tally.rejections = 4;
    metrics.recordBulk({ durationMs: 250, succeeded: 10, duplicates: 2, retried: 5, deadLettered: 2 }, tally);
    metrics.recordBulk(
      { durationMs: 40, succeeded: 1, duplicates: 0, retried: 0, deadLettered: 0 },
      new BulkTally(),
    );
    expect(await metricValue(registry, N.documents, { outcome: 'indexed' })).toBe(11);
    expect(await metricValue(registry, N.documents, { outcome: 'version_conflict' })).toBe(2);
    expect(await metricValue(registry, N.documents, { outcome: 'retried' })).toBe(5);
    expect(await metricValue(registry, N.documents, { outcome: 'dead_lettered' })).toBe(2);
    expect(await metricValue(registry, N.retries, { status: '429' })).toBe(4);
    expect(await metricValue(registry, N.retries, { status: '503' })).toBe(1);
    expect(await metricValue(registry, N.deadLetters, { reason: 'document_parsing_exception' })).toBe(2);
    expect(await metricValue(registry, N.rejections)).toBe(4);
    expect(await metricValue(registry, `${N.bulkDuration}_count`)).toBe(2);
    expect(await metricValue(registry, `${N.bulkDuration}_sum`)).toBeCloseTo(0.29, 6);
    expect(await metricValue(registry, `${N.bulkDuration}_bucket`, { le: '0.05' })).toBe(1);
    expect(await metricValue(registry, `${N.bulkDuration}_bucket`, { le: '0.25' })).toBe(2);
  });

  it('counts dead letters outside a request, as documents or (unmappable records) not', async () => {
    const registry = new Registry();
    const metrics = SinkMetrics.for(registry);
    metrics.recordDeadLetter('invalid_document');
    metrics.recordDeadLetter('decode_failed', false);
    expect(await metricValue(registry, N.deadLetters, { reason: 'invalid_document' })).toBe(1);
    expect(await metricValue(registry, N.deadLetters, { reason: 'decode_failed' })).toBe(1);
    expect(await metricValue(registry, N.documents, { outcome: 'dead_lettered' })).toBe(1);
  });

  it('computes the gauges at scrape time from every attached sink and connector, until detached', async () => {
    const registry = new Registry();
    const metrics = SinkMetrics.for(registry);
    const a = { inFlight: 2, bufferedBytes: 1000, buffered: 10, retrying: 4 };
    const detachA = metrics.attachSink(() => a);
    const detachB = metrics.attachSink(() => ({ inFlight: 1, bufferedBytes: 24, buffered: 1, retrying: 1 }));
    const c1 = { pausedPartitions: 3, oldestUnacknowledgedMs: 90_000 as number | undefined };
    const detachC1 = metrics.attachConnector(() => c1);
    const detachC2 = metrics.attachConnector(() => ({ pausedPartitions: 1, oldestUnacknowledgedMs: 1_500 }));
    expect(await metricValue(registry, N.inFlightRequests)).toBe(3);
    expect(await metricValue(registry, N.bufferedBytes)).toBe(1024);
    expect(await metricValue(registry, N.bufferedDocuments)).toBe(11);
    expect(await metricValue(registry, N.retryingDocuments)).toBe(5);
    expect(await metricValue(registry, N.pausedPartitions)).toBe(4);
    // The oldest over connectors, in seconds.
    expect(await metricValue(registry, N.oldestUnacknowledgedAge)).toBe(90);
    a.inFlight = 0;
    a.retrying = 0;
    c1.pausedPartitions = 0;
    c1.oldestUnacknowledgedMs = undefined;
    detachB();
    detachC2();
    expect(await metricValue(registry, N.inFlightRequests)).toBe(0);
    expect(await metricValue(registry, N.bufferedBytes)).toBe(1000);
    expect(await metricValue(registry, N.retryingDocuments)).toBe(0);
    expect(await metricValue(registry, N.pausedPartitions)).toBe(0);
    expect(await metricValue(registry, N.oldestUnacknowledgedAge)).toBe(0);
    detachA();
    detachC1();
    expect(await metricValue(registry, N.bufferedDocuments)).toBe(0);
  });
});
