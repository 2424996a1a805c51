import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createClickstreamApp } from '../../src/app/clickstream.js';
import { resolveProcessorConfig } from '../../src/config/processor-config.js';
import { documents, readmeMetricNames } from '../../../../test/helpers/readme-metrics.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

describe('README "Metrics and health" lists what the clickstream job exports on /metrics', () => {
  it('every registered tributary_* metric has a row, every row is registered, default metrics exist', async () => {
    // The CLI's app: its own registry (metricsPort) with the job's, the embedded connector's and the default metrics.
    const app = createClickstreamApp(resolveProcessorConfig({ metricsPort: 0 }));
    const registered = (await app.job.registry!.getMetricsAsJSON()).map((m) => m.name);
    const documented = readmeMetricNames(README, 'Metrics and health');

    const ours = (names: string[]): string[] => names.filter((n) => n.startsWith('tributary_')).sort();
    expect(ours(documented)).toEqual(ours(registered));
    expect(new Set(documented).size).toBe(documented.length);
    expect(ours(registered).some((n) => n.startsWith('tributary_es_sink_'))).toBe(true);
    for (const entry of documented.filter((n) => !n.startsWith('tributary_')))
      expect(
        registered.some((name) => documents(entry, name)),
        entry,
      ).toBe(true);
  });
});
