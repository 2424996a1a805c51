import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { invalidOption } from '../errors.js';

/** The options of the gateway's HTTP(S) server. */
export interface GatewayServerOptions {
  readonly httpHeadersTimeoutMs: number;
  readonly httpRequestTimeoutMs: number;
  readonly httpKeepAliveTimeoutMs: number;
  readonly maxConnections: number;
  readonly tlsCertFile?: string | undefined;
  readonly tlsKeyFile?: string | undefined;
  readonly tlsCaFile?: string | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function readPem(option: string, file: string, read: (path: string) => string): string {
  try {
    return read(file);
  } catch (cause) {
    throw invalidOption(option, `cannot be read: ${(cause as Error).message}`);
  }
}

/**
 * The gateway's server: HTTPS when `tlsCertFile` is set (with client certificates required when `tlsCaFile` is),
 * else HTTP. A client gets `httpHeadersTimeoutMs` for its headers and `httpRequestTimeoutMs` for the whole request
 * (then 408 and the connection closed: a slow client cannot hold a connection); idle keep-alive connections close
 * after `httpKeepAliveTimeoutMs`; beyond `maxConnections` open connections new ones are dropped. The files are
 * read here: an unreadable one fails naming its option.
 */
export function createGatewayServer(
  o: GatewayServerOptions,
  handler: Handler,
  read: (path: string) => string,
): Server {
  const options: ServerOptions = {
    headersTimeout: o.httpHeadersTimeoutMs,
    requestTimeout: o.httpRequestTimeoutMs,
    keepAliveTimeout: o.httpKeepAliveTimeoutMs,
    // How often Node checks the two timeouts (its default, 30 s, would let a timeout run late by as much).
    connectionsCheckingInterval: Math.max(
      10,
      Math.min(1_000, Math.floor(Math.min(o.httpHeadersTimeoutMs, o.httpRequestTimeoutMs) / 4)),
    ),
  };
  let server: Server;
  if (o.tlsCertFile !== undefined && o.tlsKeyFile !== undefined) {
    const ca = o.tlsCaFile === undefined ? undefined : readPem('tlsCaFile', o.tlsCaFile, read);
    const cert = readPem('tlsCertFile', o.tlsCertFile, read);
    const key = readPem('tlsKeyFile', o.tlsKeyFile, read);
    try {
      server = createHttpsServer(
        {
          ...options,
          cert,
          key,
          ...(ca === undefined ? {} : { ca, requestCert: true, rejectUnauthorized: true }),
        },
        handler,
      );
    } catch (cause) {
      throw invalidOption(
        'tlsCertFile',
        `with tlsKeyFile${ca === undefined ? '' : ' and tlsCaFile'} is not a usable PEM certificate and key: ${(cause as Error).message}`,
      );
    }
  } else {
    server = createHttpServer(options, handler);
  }
  server.maxConnections = o.maxConnections;
  return server;
}
