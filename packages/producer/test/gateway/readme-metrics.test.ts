import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../src/gateway/gateway-metrics.js';
import { documents, readmeMetricNames } from '../../../../test/helpers/readme-metrics.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

describe('README gateway "Metrics and health" lists what the gateway exports on /metrics', () => {
  it('every registered tributary_gateway_* metric has a row, every row is registered', async () => {
    const registered = (await new GatewayMetrics().registry.getMetricsAsJSON()).map((m) => m.name);
    const documented = readmeMetricNames(README, 'Metrics and health');
    const ours = (names: string[]): string[] => names.filter((n) => n.startsWith('tributary_')).sort();
    expect(ours(documented)).toEqual(ours(registered));
    expect(new Set(documented).size).toBe(documented.length);
    // The process metrics named in the table (event-loop delay, heap, RSS) are registered too.
    const others = documented.filter((n) => !n.startsWith('tributary_'));
    expect(others).toEqual(
      expect.arrayContaining(['nodejs_eventloop_lag_seconds', 'process_resident_memory_bytes']),
    );
    for (const entry of others)
      expect(
        registered.some((name) => documents(entry, name)),
        entry,
      ).toBe(true);
  });
});
