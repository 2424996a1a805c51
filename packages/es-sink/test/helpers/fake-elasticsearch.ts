import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One operation of a received bulk request. */
export interface ReceivedOp {
  action: string;
  meta: Record<string, unknown>;
  source: unknown;
}

export interface FakeReply {
  /** HTTP status of the whole request; when not 200, `body` is sent as is. */
  status?: number;
  body?: unknown;
  /** Per-item replies (status and optional error), one per operation; default 201 created. */
  items?: Array<{ status: number; error?: { type: string; reason: string } }>;
  /** The response's `took` (Elasticsearch's own milliseconds); left out by default. */
  took?: number;
}

/**
 * A loopback `node:http` server on port 0 speaking just enough of `_bulk` for unit tests: the test decides the
 * reply to each request from the operations it received.
 */
export class FakeElasticsearch {
  readonly requests: ReceivedOp[][] = [];
  readonly queries: URLSearchParams[] = [];
  /** Requests to any path other than `/_bulk`: method, path and parsed body. */
  readonly others: Array<{ method: string; path: string; body: unknown }> = [];
  readonly #server: Server;
  #handler: (ops: ReceivedOp[], n: number) => FakeReply | Promise<FakeReply>;

  constructor(handler: (ops: ReceivedOp[], n: number) => FakeReply | Promise<FakeReply> = () => ({})) {
    this.#handler = handler;
    this.#server = createServer((req, res) => void this.#serve(req, res));
  }

  set handler(handler: (ops: ReceivedOp[], n: number) => FakeReply | Promise<FakeReply>) {
    this.#handler = handler;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('x-elastic-product', 'Elasticsearch');
    res.setHeader('content-type', 'application/json');
    if (url.pathname !== '/_bulk') {
      const text = Buffer.concat(chunks).toString('utf8');
      this.others.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        body: text === '' ? undefined : JSON.parse(text),
      });
      res.end('{"acknowledged":true}');
      return;
    }
    const lines = Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
    const ops: ReceivedOp[] = [];
    for (let i = 0; i < lines.length; i++) {
      const head = JSON.parse(lines[i] as string) as Record<string, Record<string, unknown>>;
      const action = Object.keys(head)[0] as string;
      const source = action === 'delete' ? undefined : JSON.parse(lines[++i] as string);
      ops.push({ action, meta: head[action] as Record<string, unknown>, source });
    }
    this.requests.push(ops);
    this.queries.push(url.searchParams);
    const reply = await this.#handler(ops, this.requests.length);
    if (reply.status !== undefined && reply.status !== 200) {
      res.statusCode = reply.status;
      res.end(
        JSON.stringify(
          reply.body ?? {
            error: { type: 'http_error', reason: `status ${reply.status}` },
            status: reply.status,
          },
        ),
      );
      return;
    }
    const items = ops.map((op, i) => {
      const item = reply.items?.[i] ?? { status: 201 };
      return {
        [op.action]: { status: item.status, ...(item.error ? { error: item.error } : { result: 'created' }) },
      };
    });
    res.end(
      JSON.stringify({
        ...(reply.took === undefined ? {} : { took: reply.took }),
        errors: items.some((it) => (Object.values(it)[0] as { status: number }).status >= 300),
        items,
      }),
    );
  }
}
