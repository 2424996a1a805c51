import type { Client } from '@elastic/elasticsearch';
import type { BulkResponseItem } from './outcome.js';
import type { BulkAction } from './types.js';

/**
 * Only what per-item handling needs, and Elasticsearch's own time for the request: keeps large responses small on
 * the wire and cheap to parse.
 */
export const BULK_FILTER_PATH = 'took,errors,items.*.status,items.*.error,items.*.result';

export interface BulkResponseBody {
  /** Milliseconds Elasticsearch spent on the request, from its arrival to the response. */
  took?: number;
  errors?: boolean;
  items?: Array<Record<string, BulkResponseItem>>;
}

export interface BulkRequestOptions {
  refresh: boolean | 'wait_for' | undefined;
  pipeline: string | undefined;
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * POSTs one NDJSON body to `_bulk` with the client's own retries OFF (`maxRetries: 0`): the sink's retry policy
 * governs. Throws the client's error for request-level failures.
 */
export async function postBulk(
  client: Client,
  body: string,
  options: BulkRequestOptions,
): Promise<BulkResponseBody> {
  const querystring: Record<string, unknown> = { filter_path: BULK_FILTER_PATH };
  if (options.refresh !== undefined) querystring['refresh'] = options.refresh;
  if (options.pipeline !== undefined) querystring['pipeline'] = options.pipeline;
  return (await client.transport.request(
    { method: 'POST', path: '/_bulk', bulkBody: body, querystring },
    { maxRetries: 0, requestTimeout: options.timeoutMs, signal: options.signal },
  )) as BulkResponseBody;
}

/**
 * The per-operation results of a bulk response, in request order, unwrapped from their action key; undefined when
 * the response does not have exactly one item per operation (then the whole request is retried).
 */
export function responseItems(
  body: BulkResponseBody,
  actions: readonly BulkAction[],
): BulkResponseItem[] | undefined {
  const items = body.items ?? [];
  if (items.length !== actions.length) return undefined;
  return items.map((raw, i) => raw[actions[i] as BulkAction] ?? (Object.values(raw)[0] as BulkResponseItem));
}
