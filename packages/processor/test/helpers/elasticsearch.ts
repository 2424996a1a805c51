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
