import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Script } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { startDashboardServer } from '../src/dashboard-server.js';
import type { DashboardServer } from '../src/dashboard-server.js';
import { scrapeMetricsSource } from '../src/metrics-source.js';
import type { SearchBody } from '../src/queries.js';
import type { DashboardView } from '../src/view-model.js';

const servers: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** Elasticsearch answers keyed by the aggregation a query asks for. */
function fakeSearch(calls: SearchBody[]): (body: SearchBody) => Promise<unknown> {
  return async (body) => {
    calls.push(body);
    const aggs = body['aggs'] as Record<string, unknown>;
    if ('top_pages' in aggs) {
      return {
        aggregations: {
          top_pages: { buckets: [{ key: '/home', clicks: { value: 4 }, views: { value: 11 } }] },
        },
      };
    }
    return { aggregations: { per_minute: { buckets: [] } } };
  };
}

async function start(metricsText: () => string, calls: SearchBody[] = []): Promise<DashboardServer> {
  const metrics = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(metricsText());
  });
  await new Promise<void>((r) => metrics.listen(0, '127.0.0.1', r));
  servers.push({ close: () => new Promise<void>((r) => metrics.close(() => r())) });
  const url = `http://127.0.0.1:${(metrics.address() as AddressInfo).port}/metrics`;
  const dashboard = await startDashboardServer(
    { port: 0, sampleIntervalMs: 100, rateWindowMs: 1_000, latencyWindowMs: 1_000, refreshMs: 250 },
    { metrics: scrapeMetricsSource(url, 2_000), search: fakeSearch(calls) },
  );
  servers.unshift(dashboard);
  return dashboard;
}

describe('startDashboardServer (node:http on port 0)', () => {
  it('serves the page, its script and the JSON view; 404 elsewhere', async () => {
    let n = 0;
    const dashboard = await start(() => {
      n += 50;
      return `# TYPE tributary_processor_records_in_total counter\ntributary_processor_records_in_total{stage="a",topic="t"} ${n}\n`;
    });
    const page = await fetch(dashboard.url);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<script src="/dashboard.js"></script>');
    expect(html).toContain('id="top-pages"');
    const script = await fetch(new URL('/dashboard.js', dashboard.url));
    expect(script.headers.get('content-type')).toContain('text/javascript');
    const code = await script.text();
    expect(code).toContain("fetch('/api/dashboard'");
    expect(() => new Script(code, { filename: 'dashboard.js' })).not.toThrow();
    expect((await fetch(new URL('/nope', dashboard.url))).status).toBe(404);

    await new Promise((r) => setTimeout(r, 400));
    const view = (await (await fetch(new URL('/api/dashboard', dashboard.url))).json()) as DashboardView;
    expect(view.topPages.rows).toEqual([{ pageUrl: '/home', clicks: 4, views: 11 }]);
    expect(view.pipeline.recordsInPerSecond).toBeGreaterThan(0);
    expect(view.pipeline.consumerLag).toBeNull();
    expect(view.pipeline.error).toBeNull();
  });

  it('shows a failing metrics endpoint as an error in the view instead of failing', async () => {
    const dashboard = await start(() => 'not { prometheus');
    await new Promise((r) => setTimeout(r, 250));
    const view = await dashboard.view();
    expect(view.pipeline.error).toMatch(/^metrics unavailable: Prometheus text line 1/);
    expect(view.topPages.rows).toHaveLength(1);
  });

  it('shares one pair of queries between callers within half the refresh interval', async () => {
    const calls: SearchBody[] = [];
    const dashboard = await start(() => '', calls);
    await Promise.all([dashboard.view(), dashboard.view(), dashboard.view()]);
    expect(calls).toHaveLength(2);
  });

  it('with elasticsearch: false queries nothing and serves the view with the Elasticsearch panels off', async () => {
    const calls: SearchBody[] = [];
    const dashboard = await startDashboardServer(
      { port: 0, elasticsearch: false, sampleIntervalMs: 100 },
      { metrics: async () => [], search: fakeSearch(calls) },
    );
    servers.unshift(dashboard);
    const view = (await (await fetch(new URL('/api/dashboard', dashboard.url))).json()) as DashboardView;
    expect(calls).toHaveLength(0);
    expect(view.elasticsearch).toBe('off');
    expect(view.topPages.error).toBeNull();
    expect(view.clicksVsViews.error).toBeNull();
    const code = await (await fetch(new URL('/dashboard.js', dashboard.url))).text();
    expect(code).toContain('Elasticsearch panels are off');
    expect(await (await fetch(dashboard.url)).text()).toContain('id="top-pages-off"');
  });

  it('queries Elasticsearch with the connection options and shows no credential to a viewer', async () => {
    const seen: { auth: string | undefined; path: string | undefined }[] = [];
    let answer: { status: number; body: unknown } = { status: 200, body: { aggregations: {} } };
    const es = createServer((req, res) => {
      seen.push({ auth: req.headers.authorization, path: req.url });
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          'x-elastic-product': 'Elasticsearch',
        });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((r) => es.listen(0, '127.0.0.1', r));
    servers.push({ close: () => new Promise<void>((r) => es.close(() => r())) });
    const port = (es.address() as AddressInfo).port;
    const open = async (options: Parameters<typeof startDashboardServer>[0]) => {
      const dashboard = await startDashboardServer(
        { port: 0, sampleIntervalMs: 100, refreshMs: 250, index: 'metrics-x', ...options },
        { metrics: async () => [] },
      );
      servers.unshift(dashboard);
      return dashboard;
    };
    const shown = async (dashboard: DashboardServer): Promise<string> =>
      (await (await fetch(dashboard.url)).text()) +
      (await (await fetch(new URL('/api/dashboard', dashboard.url))).text());

    const basic = await open({ esUrl: `http://elastic:pw-url-1@127.0.0.1:${port}` });
    expect((await basic.view()).topPages.error).toBeNull();
    expect(seen.at(-1)).toEqual({
      auth: `Basic ${Buffer.from('elastic:pw-url-1').toString('base64')}`,
      path: '/metrics-x/_search',
    });
    expect(await shown(basic)).not.toContain('pw-url-1');

    const keyed = await open({ esUrl: `http://127.0.0.1:${port}`, esApiKey: 'key-2' });
    answer = { status: 404, body: { error: { type: 'index_not_found_exception' } } };
    expect((await keyed.view()).topPages).toMatchObject({ rows: [], error: null });
    expect(seen.at(-1)?.auth).toBe('ApiKey key-2');
    answer = { status: 500, body: { error: { type: 'x', reason: 'shard failure' } } };
    await new Promise((r) => setTimeout(r, 200));
    expect((await keyed.view()).topPages.error).toBe(
      'Elasticsearch: Elasticsearch answered HTTP 500: shard failure',
    );
    expect(await shown(keyed)).not.toContain('key-2');

    // Nothing listens on port 1: the connection error is shown, the credentials are not.
    const down = await open({ esUrl: 'http://elastic:pw-url-3@127.0.0.1:1,http://127.0.0.1:1' });
    expect((await down.view()).topPages.error).toMatch(/^Elasticsearch: /);
    expect(await shown(down)).not.toContain('pw-url-3');
  });

  it('rejects a bad option naming it', async () => {
    await expect(startDashboardServer({ port: -1 }, { metrics: async () => [] })).rejects.toMatchObject({
      code: 'TRIB_DASH_INVALID_OPTION',
      option: 'port',
    });
  });
});
