export type ClusterStatus = 'green' | 'yellow' | 'red';

/**
 * Cluster health status of the node at `url`, or undefined when it does not answer in time. (`GET /` answers 405 on
 * the integ-test distribution, so health goes through `/_cluster/health`.) Never throws.
 */
export async function elasticsearchStatus(url: string, timeoutMs = 3000): Promise<ClusterStatus | undefined> {
  try {
    const response = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    const product = response.headers.get('x-elastic-product');
    if (product !== null && product !== 'Elasticsearch') return undefined;
    const body = (await response.json()) as { status?: string };
    return body.status === 'green' || body.status === 'yellow' || body.status === 'red'
      ? body.status
      : undefined;
  } catch {
    return undefined;
  }
}

/** True when the cluster answers with status yellow or green. */
export async function isElasticsearchHealthy(url: string, timeoutMs = 3000): Promise<boolean> {
  const status = await elasticsearchStatus(url, timeoutMs);
  return status === 'green' || status === 'yellow';
}

/** Version of the node at `url` (from `/_nodes/_local`), or undefined. Never throws. */
export async function elasticsearchVersion(url: string, timeoutMs = 3000): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/_nodes/_local?filter_path=nodes.*.version`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { nodes?: Record<string, { version?: string }> };
    return Object.values(body.nodes ?? {})[0]?.version;
  } catch {
    return undefined;
  }
}
