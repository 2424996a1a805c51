import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { invalidOption } from './errors.js';

/** What `/health` reports: `live` = the process loop runs, `ready` = the component does its work. */
export interface HealthState {
  live: boolean;
  ready: boolean;
  details?: Record<string, unknown>;
}

export interface MetricsServerOptions {
  /** prom-client registry served on `/metrics`. */
  registry: Registry;
  /** TCP port; 0 picks a free one (read it back from `MetricsServer.port`). */
  port: number;
  /**
   * Interface to listen on.
   * @defaultValue '127.0.0.1'
   */
  host?: string;
  /** Called on every health request; must be cheap and must not throw. */
  health: () => HealthState;
}

export interface MetricsServer {
  /** Base URL, e.g. `http://127.0.0.1:9464`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export const METRICS_SERVER_DEFAULTS = {
  host: '127.0.0.1',
} as const;

function validate(options: MetricsServerOptions): { host: string } {
  const { port, registry, health } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw invalidOption('port', `must be an integer from 0 to 65535 (got ${String(port)})`);
  if (typeof registry !== 'object' || registry === null || typeof registry.metrics !== 'function')
    throw invalidOption('registry', 'must be a prom-client Registry');
  if (typeof health !== 'function') throw invalidOption('health', 'must be a function returning HealthState');
  const host = options.host ?? METRICS_SERVER_DEFAULTS.host;
  if (typeof host !== 'string' || host.length === 0)
    throw invalidOption('host', 'must be a non-empty string');
  return { host };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function safeHealth(health: () => HealthState): HealthState {
  try {
    return health();
  } catch (error) {
    return {
      live: false,
      ready: false,
      details: { error: error instanceof Error ? error.message : String(error) },
    };
  }
}

async function handle(
  options: MetricsServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }
  switch (path) {
    case '/metrics': {
      try {
        const body = await options.registry.metrics();
        send(res, 200, options.registry.contentType, body);
      } catch (error) {
        send(res, 500, 'text/plain; charset=utf-8', `metrics collection failed: ${String(error)}\n`);
      }
      return;
    }
    case '/health/live': {
      const h = safeHealth(options.health);
      send(res, h.live ? 200 : 503, 'text/plain; charset=utf-8', h.live ? 'live\n' : 'not live\n');
      return;
    }
    case '/health/ready': {
      const h = safeHealth(options.health);
      send(res, h.ready ? 200 : 503, 'text/plain; charset=utf-8', h.ready ? 'ready\n' : 'not ready\n');
      return;
    }
    case '/health': {
      const h = safeHealth(options.health);
      const body = JSON.stringify({ ...h.details, live: h.live, ready: h.ready });
      send(res, h.ready ? 200 : 503, 'application/json; charset=utf-8', body);
      return;
    }
    default:
      send(
        res,
        404,
        'text/plain; charset=utf-8',
        'not found: try /metrics, /health, /health/live, /health/ready\n',
      );
  }
}

/**
 * Serves `GET /metrics` (Prometheus text format) and `GET /health`, `/health/live`, `/health/ready`
 * (200 when true, 503 otherwise). Resolves once listening.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { host } = validate(options);
  const server: Server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `${String(error)}\n`);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
