import { get } from 'node:https';

export type ClusterStatus = 'green' | 'yellow' | 'red';

/** How to reach a node with security on: https trusting `ca`, basic auth as `username`. */
export interface ElasticsearchAccess {
  readonly ca: string;
  readonly username: string;
  readonly password: string;
}

/** Base URL of the node on `port`: https when it has security on. */
export const esUrl = (port: number, secure = false): string =>
  `${secure ? 'https' : 'http'}://127.0.0.1:${port}`;

interface Answer {
  readonly ok: boolean;
  readonly product: string | null;
  readonly json: () => Promise<unknown>;
}

/** `GET url+path`: plain `fetch`, or https with the CA and basic auth of `access`. */
function request(
  url: string,
  path: string,
  timeoutMs: number,
  access?: ElasticsearchAccess,
): Promise<Answer> {
  if (access === undefined) {
    return fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutMs) }).then((response) => ({
      ok: response.ok,
      product: response.headers.get('x-elastic-product'),
      json: () => response.json(),
    }));
  }
  return new Promise((resolve, reject) => {
    const req = get(
      `${url}${path}`,
      { ca: access.ca, auth: `${access.username}:${access.password}`, agent: false, timeout: timeoutMs },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const product = response.headers['x-elastic-product'];
          resolve({
            ok: status >= 200 && status < 300,
            product: typeof product === 'string' ? product : null,
            json: async () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/**
 * Cluster health status of the node at `url`, or undefined when it does not answer in time. (`GET /` answers 405 on
 * the integ-test distribution, so health goes through `/_cluster/health`.) Never throws.
 */
export async function elasticsearchStatus(
  url: string,
  timeoutMs = 3000,
  access?: ElasticsearchAccess,
): Promise<ClusterStatus | undefined> {
  try {
    const response = await request(url, '/_cluster/health', timeoutMs, access);
    if (!response.ok) return undefined;
    if (response.product !== null && response.product !== 'Elasticsearch') return undefined;
    const body = (await response.json()) as { status?: string };
    return body.status === 'green' || body.status === 'yellow' || body.status === 'red'
      ? body.status
      : undefined;
  } catch {
    return undefined;
  }
}

/** True when the cluster answers with status yellow or green. */
export async function isElasticsearchHealthy(
  url: string,
  timeoutMs = 3000,
  access?: ElasticsearchAccess,
): Promise<boolean> {
  const status = await elasticsearchStatus(url, timeoutMs, access);
  return status === 'green' || status === 'yellow';
}

/** Version of the node at `url` (from `/_nodes/_local`), or undefined. Never throws. */
export async function elasticsearchVersion(
  url: string,
  timeoutMs = 3000,
  access?: ElasticsearchAccess,
): Promise<string | undefined> {
  try {
    const response = await request(url, '/_nodes/_local?filter_path=nodes.*.version', timeoutMs, access);
    if (!response.ok) return undefined;
    const body = (await response.json()) as { nodes?: Record<string, { version?: string }> };
    return Object.values(body.nodes ?? {})[0]?.version;
  } catch {
    return undefined;
  }
}
