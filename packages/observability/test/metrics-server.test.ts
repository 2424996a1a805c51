import { afterEach, describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { startMetricsServer } from '../src/metrics-server.js';
import type { HealthState, MetricsServer } from '../src/metrics-server.js';
import { isObservabilityError } from '../src/errors.js';

describe('startMetricsServer', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function setup(): { registry: Registry; counter: Counter } {
    const registry = new Registry();
    const counter = new Counter({ name: 'test_things_total', help: 'Things', registers: [registry] });
    return { registry, counter };
  }

  it('serves the registry in Prometheus text format on an ephemeral port', async () => {
    const { registry, counter } = setup();
    counter.inc(7);
    server = await startMetricsServer({ registry, port: 0, health: () => ({ live: true, ready: true }) });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(registry.contentType);
    const text = await res.text();
    expect(text).toContain('# TYPE test_things_total counter');
    expect(text).toContain('test_things_total 7');
  });

  it('answers health endpoints from the callback, 503 when not ready or not live', async () => {
    let state: HealthState = { live: true, ready: false, details: { tasks: 0 } };
    const { registry } = setup();
    server = await startMetricsServer({ registry, port: 0, health: () => state });
    let res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ live: true, ready: false, tasks: 0 });
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(503);

    state = { live: true, ready: true, details: { tasks: 3 } };
    res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ live: true, ready: true, tasks: 3 });
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);

    state = { live: false, ready: false };
    expect((await fetch(`${server.url}/health/live`)).status).toBe(503);
  });

  it('reports not live when the health callback throws', async () => {
    const { registry } = setup();
    server = await startMetricsServer({
      registry,
      port: 0,
      health: () => {
        throw new Error('broken');
      },
    });
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ live: false, ready: false, error: 'broken' });
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const { registry } = setup();
    server = await startMetricsServer({ registry, port: 0, health: () => ({ live: true, ready: true }) });
    expect((await fetch(`${server.url}/`)).status).toBe(404);
    expect((await fetch(`${server.url}/metricsx`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('rejects a bad port naming the option', async () => {
    const { registry } = setup();
    for (const port of [-1, 65536, 1.5, Number.NaN]) {
      const error: unknown = await startMetricsServer({
        registry,
        port,
        health: () => ({ live: true, ready: true }),
      }).catch((e: unknown) => e);
      expect(isObservabilityError(error, 'TRIB_OBS_INVALID_OPTION')).toBe(true);
      expect((error as Error).message).toMatch(/^port /);
    }
  });

  it('fails when the port is taken', async () => {
    const { registry } = setup();
    server = await startMetricsServer({ registry, port: 0, health: () => ({ live: true, ready: true }) });
    await expect(
      startMetricsServer({ registry, port: server.port, health: () => ({ live: true, ready: true }) }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('closes idempotently and stops answering', async () => {
    const { registry } = setup();
    const s = await startMetricsServer({ registry, port: 0, health: () => ({ live: true, ready: true }) });
    await fetch(`${s.url}/metrics`);
    await Promise.all([s.close(), s.close()]);
    await expect(fetch(`${s.url}/metrics`)).rejects.toThrow();
  });
});
