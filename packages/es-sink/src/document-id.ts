/** Elasticsearch's limit on a document `_id`, in UTF-8 bytes (longer ids fail with `illegal_argument_exception`). */
export const MAX_ID_BYTES = 512;

/** `errorType` of a document given up before sending because its `_id` is longer than {@link MAX_ID_BYTES}. */
export const ID_TOO_LONG = 'id_too_long';

/**
 * Why Elasticsearch would reject `id` as a document `_id` (undefined when it is acceptable): longer than 512 UTF-8
 * bytes. Checked before sending, so the document is dead-lettered with this reason instead of costing a request.
 */
export function documentIdProblem(id: string | undefined): string | undefined {
  if (id === undefined || id.length * 3 <= MAX_ID_BYTES) return undefined;
  const bytes = Buffer.byteLength(id, 'utf8');
  if (bytes <= MAX_ID_BYTES) return undefined;
  return `document _id is ${bytes} bytes (UTF-8), longer than Elasticsearch's limit of ${MAX_ID_BYTES} bytes: ${JSON.stringify(id.slice(0, 64))}…`;
}
