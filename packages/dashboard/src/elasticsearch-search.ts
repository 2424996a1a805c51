import type { Client } from '@elastic/elasticsearch';
import type { SearchBody } from './queries.js';

/** Runs one `_search` on the dashboard's index and returns the parsed answer. */
export type Search = (body: SearchBody) => Promise<unknown>;

/**
 * `_search` on `index` (an alias is fine) through `client`. A missing index answers an empty result: before the job
 * indexed anything the alias does not exist yet, and the page shows "no data" rather than an error.
 */
export function elasticsearchSearch(client: Client, index: string, timeoutMs: number): Search {
  const path = `/${encodeURIComponent(index)}/_search`;
  return async (body) => {
    try {
      return await client.transport.request({ method: 'POST', path, body }, { requestTimeout: timeoutMs });
    } catch (error) {
      const meta = (error as { meta?: { statusCode?: number; body?: unknown } }).meta;
      const status = meta?.statusCode;
      if (status === undefined) throw error;
      const answer = meta?.body as { error?: { type?: string; reason?: string } } | undefined;
      if (status === 404 && answer?.error?.type === 'index_not_found_exception') return {};
      const reason = answer?.error?.reason ?? answer?.error?.type ?? 'no reason given';
      throw new Error(`Elasticsearch answered HTTP ${status}: ${reason}`);
    }
  };
}
