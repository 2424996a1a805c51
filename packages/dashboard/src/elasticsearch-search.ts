import type { SearchBody } from './queries.js';

/** Runs one `_search` on the dashboard's index and returns the parsed answer. */
export type Search = (body: SearchBody) => Promise<unknown>;

/**
 * `_search` over HTTP on `index` (an alias is fine). A missing index answers an empty result: before the job
 * indexed anything the alias does not exist yet, and the page shows "no data" rather than an error.
 */
export function elasticsearchSearch(baseUrl: string, index: string, timeoutMs: number): Search {
  const url = `${baseUrl}/${encodeURIComponent(index)}/_search`;
  return async (body) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = (await response.json().catch(() => null)) as {
      error?: { type?: string; reason?: string };
    } | null;
    if (response.status === 404 && answer?.error?.type === 'index_not_found_exception') return {};
    if (!response.ok) {
      const reason = answer?.error?.reason ?? answer?.error?.type ?? 'no reason given';
      throw new Error(`Elasticsearch answered HTTP ${response.status}: ${reason}`);
    }
    return answer;
  };
}
