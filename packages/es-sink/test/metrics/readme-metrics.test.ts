import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createKafkaEsConnector } from '../../src/connector/kafka-es-connector.js';
import { SINK_METRIC_NAMES } from '../../src/metrics/metric-names.js';
import { documents, readmeMetricNames } from '../../../../test/helpers/readme-metrics.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

describe('README "Metrics and health" lists what the sink and the connector export', () => {
  it('every registered metric has a row and every row is registered', async () => {
    const registry = new Registry();
    // The connector registers the sink's metrics and its own (paused partitions) on the given registry.
    createKafkaEsConnector({
      brokers: ['127.0.0.1:9092'],
      topic: 't',
      groupId: 'g',
      registry,
      sink: { node: 'http://127.0.0.1:9200', index: 'i' },
    });
    const registered = (await registry.getMetricsAsJSON()).map((m) => m.name).sort();
    const documented = readmeMetricNames(README, 'Metrics and health');
    expect([...documented].sort()).toEqual(registered);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...Object.values(SINK_METRIC_NAMES)].sort()).toEqual(registered);
    for (const entry of documented) expect(registered.some((name) => documents(entry, name))).toBe(true);
  });
});
