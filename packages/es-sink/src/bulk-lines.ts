import type { BulkAction, VersionType } from './types.js';

export interface ActionMeta {
  action: BulkAction;
  index: string;
  id: string | undefined;
  version: number | undefined;
  versionType: VersionType;
  routing: string | undefined;
}

/**
 * Serializes one bulk operation to NDJSON (action line + source line, each ending in `\n`):
 * `index`/`create` send the document, `update` sends `{ doc, doc_as_upsert: true }`, `delete` sends no source.
 * Throws on documents JSON cannot represent (BigInt, cycles); the sink dead-letters those.
 */
export function serializeOperation(meta: ActionMeta, document: unknown): string {
  const head: Record<string, unknown> = { _index: meta.index };
  if (meta.id !== undefined) head['_id'] = meta.id;
  if (meta.routing !== undefined) head['routing'] = meta.routing;
  if (meta.version !== undefined) {
    head['version'] = meta.version;
    head['version_type'] = meta.versionType;
  }
  const actionLine = JSON.stringify({ [meta.action]: head });
  if (meta.action === 'delete') return `${actionLine}\n`;
  const source = meta.action === 'update' ? { doc: document, doc_as_upsert: true } : document;
  const sourceLine = JSON.stringify(source);
  if (typeof sourceLine !== 'string') throw new TypeError('document is not JSON-serializable');
  return `${actionLine}\n${sourceLine}\n`;
}
