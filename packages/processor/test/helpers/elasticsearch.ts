/** A JSON client for the test Elasticsearch: `es(path, init)` returns the parsed response body. */
export function elasticsearchClient(esUrl: string): (path: string, init?: RequestInit) => Promise<unknown> {
  return async (path, init = {}) => {
    const response = await fetch(`${esUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json' },
    });
    return response.json();
  };
}

/** Deletes the indices `<prefix>-*` and the index template `<prefix>`, ignoring failures. */
export async function deleteIndices(
  es: (path: string, init?: RequestInit) => Promise<unknown>,
  prefix: string,
): Promise<void> {
  await es(`/${prefix}-*`, { method: 'DELETE' }).catch(() => undefined);
  await es(`/_index_template/${prefix}`, { method: 'DELETE' }).catch(() => undefined);
}

/**
 * The hits of `<alias>` (with `_version`), searched after a refresh every 300 ms until at least `expected` are there
 * or 60 s passed; whatever was found then.
 */
export async function searchUntil<H>(
  es: (path: string, init?: RequestInit) => Promise<unknown>,
  alias: string,
  expected: number,
): Promise<H[]> {
  const deadline = Date.now() + 60_000;
  let hits: H[] = [];
  while (Date.now() < deadline) {
    hits = await searchAll<H>(es, alias);
    if (hits.length >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return hits;
}

/** Every hit of `<alias>` (up to 10 000, with `_version`), after a refresh. */
export async function searchAll<H>(
  es: (path: string, init?: RequestInit) => Promise<unknown>,
  alias: string,
): Promise<H[]> {
  await es(`/${alias}/_refresh`, { method: 'POST' });
  const body = (await es(`/${alias}/_search?size=10000&version=true`)) as { hits?: { hits: H[] } };
  return body.hits?.hits ?? [];
}
