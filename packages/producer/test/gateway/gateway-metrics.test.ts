import { Registry, collectDefaultMetrics } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../src/gateway/gateway-metrics.js';

describe('GatewayMetrics', () => {
  it('registers the default process metrics next to the gateway metrics', async () => {
    const metrics = new GatewayMetrics();
    metrics.requests.inc({ status: '200' });
    metrics.ackLatency.observe(0.004);
    const text = await metrics.registry.metrics();
    expect(text).toContain('tributary_gateway_requests_total{status="200"} 1');
    expect(text).toContain('tributary_gateway_kafka_ack_latency_seconds_bucket{le="0.005"} 1');
    for (const name of [
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_heap_size_total_bytes',
      'process_resident_memory_bytes',
    ])
      expect(text).toContain(`# TYPE ${name} gauge`);
  });

  it('reports the bytes held in the in-flight budget when scraped, 0 without one', async () => {
    const inFlight = { bytes: 0 };
    const metrics = new GatewayMetrics(new Registry(), { processMetrics: false, inFlight });
    inFlight.bytes = 4096;
    expect(await metrics.registry.metrics()).toContain('tributary_gateway_in_flight_bytes 4096');
    const bare = new GatewayMetrics(new Registry(), { processMetrics: false });
    expect(await bare.registry.metrics()).toContain('tributary_gateway_in_flight_bytes 0');
  });

  it('does not register process metrics twice on a shared registry, nor when turned off', async () => {
    const registry = new Registry();
    new GatewayMetrics(registry);
    const bare = new GatewayMetrics(new Registry(), { processMetrics: false });
    expect(registry.getSingleMetric('process_resident_memory_bytes')).toBeDefined();
    expect(bare.registry.getSingleMetric('process_resident_memory_bytes')).toBeUndefined();
    const withDefaults = new Registry();
    collectDefaultMetrics({ register: withDefaults });
    expect(new GatewayMetrics(withDefaults).registry).toBe(withDefaults);
  });
});
