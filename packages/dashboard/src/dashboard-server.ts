import { Client } from '@elastic/elasticsearch';
import { elasticsearchClientOptions } from '@tributary/es-sink';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DashboardCollector } from './dashboard-collector.js';
import { resolveDashboardOptions } from './dashboard-options.js';
import type { DashboardOptionsInput } from './dashboard-options.js';
import { elasticsearchSearch } from './elasticsearch-search.js';
import type { Search } from './elasticsearch-search.js';
import type { MetricsSource } from './metrics-source.js';
import { DASHBOARD_SCRIPT, dashboardPage } from './page.js';
import type { DashboardView } from './view-model.js';

export interface DashboardServerDependencies {
  /** Where the job's metrics come from: `registryMetricsSource(registry)` or `scrapeMetricsSource(url, …)`. */
  readonly metrics: MetricsSource;
  /** Replaces the `_search` on `index` of the Elasticsearch the connection options name. */
  readonly search?: Search;
  /** Wall clock (epoch ms). @defaultValue Date.now */
  readonly now?: () => number;
}

export interface DashboardServer {
  /** `http://host:port/` of the page. */
  readonly url: string;
  readonly port: number;
  /** The view the page would get now. */
  view(): Promise<DashboardView>;
  close(): Promise<void>;
}

/**
 * Serves the live dashboard: `GET /` the page, `GET /dashboard.js` its script, `GET /api/dashboard` the view as
 * JSON (polled by the page every `refreshMs`); anything else 404. Samples the metrics every `sampleIntervalMs`.
 */
export async function startDashboardServer(
  options: DashboardOptionsInput,
  deps: DashboardServerDependencies,
): Promise<DashboardServer> {
  const o = resolveDashboardOptions(options);
  const now = deps.now ?? Date.now;
  // One try per node: a dead node is skipped for the next one, and a page waits at most that many timeouts.
  const client =
    deps.search === undefined && o.elasticsearch
      ? new Client({ ...elasticsearchClientOptions(o), maxRetries: o.esUrl.length - 1 })
      : undefined;
  const collector = new DashboardCollector(o, {
    metrics: deps.metrics,
    search:
      deps.search ??
      (client === undefined
        ? () => Promise.reject(new Error('Elasticsearch is off'))
        : elasticsearchSearch(client, o.index, o.requestTimeoutMs)),
    now,
  });
  const page = dashboardPage({ title: o.title, refreshMs: o.refreshMs });
  const send = (res: ServerResponse, status: number, type: string, body: string): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/':
      case '/index.html':
        return send(res, 200, 'text/html; charset=utf-8', page);
      case '/dashboard.js':
        return send(res, 200, 'text/javascript; charset=utf-8', DASHBOARD_SCRIPT);
      case '/api/dashboard':
        return send(res, 200, 'application/json', JSON.stringify(await collector.view()));
      default:
        return send(res, 404, 'text/plain', 'not found\n');
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `${(error as Error).message}\n`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let sampling: Promise<void> = collector.sample();
  const timer = setInterval(() => {
    sampling = sampling.then(() => collector.sample());
  }, o.sampleIntervalMs);
  timer.unref();
  const port = (server.address() as AddressInfo).port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}/`,
    port,
    view: () => collector.view(),
    async close() {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sampling;
      await client?.close();
    },
  };
}
