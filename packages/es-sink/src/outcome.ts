/** Per-document and per-request outcome classification. Pure: no client classes, only the shapes ES returns. */

/** What happened to one document in a bulk response. */
export const ITEM_OUTCOMES = {
  success: 'success',
  duplicate: 'duplicate',
  retry: 'retry',
  deadLetter: 'dead-letter',
} as const;
export type ItemOutcomeKind = (typeof ITEM_OUTCOMES)[keyof typeof ITEM_OUTCOMES];

export type ItemOutcome =
  | { kind: 'success'; status: number; result: string | undefined }
  | { kind: 'duplicate'; status: number; errorType: string; reason: string }
  | { kind: 'retry'; status: number; errorType: string; reason: string }
  | { kind: 'dead-letter'; status: number; errorType: string; reason: string };

/** One entry of a bulk response's `items`, after unwrapping the action key. */
export interface BulkResponseItem {
  status: number;
  result?: string;
  error?: { type?: string; reason?: string | null; caused_by?: { type?: string; reason?: string | null } };
}

/**
 * Error types retried even when their status would not say so: load shedding, and conditions an operator clears
 * (a write block on the index, missing privileges) — not bad documents, so they must not be dead-lettered.
 */
export const RETRIABLE_ERROR_TYPES: readonly string[] = [
  'circuit_breaking_exception',
  'cluster_block_exception',
  'security_exception',
  'es_rejected_execution_exception',
  'cluster_block_exception_retryable',
  'unavailable_shards_exception',
  'no_shard_available_action_exception',
  'node_not_connected_exception',
  'process_cluster_event_timeout_exception',
];

export interface ItemContext {
  action: 'index' | 'create' | 'update' | 'delete';
  /** True when the document was written with `version_type: external` (or external_gte). */
  externalVersion: boolean;
}

function describe(error: BulkResponseItem['error']): { errorType: string; reason: string } {
  const errorType = error?.type ?? 'unknown_error';
  let reason = error?.reason ?? errorType;
  if (error?.caused_by?.reason)
    reason = `${reason} (caused by ${error.caused_by.type ?? 'error'}: ${error.caused_by.reason})`;
  return { errorType, reason };
}

/**
 * Classifies one bulk item:
 * - 2xx, and 404 on delete without an error (already gone) → success;
 * - 409 `version_conflict_engine_exception` under external versioning or with `create` → duplicate (a stale or
 *   repeated write, not an error);
 * - 429, 5xx, load-shedding and operator-cleared error types (`circuit_breaking_exception`,
 *   `es_rejected_execution_exception`, `cluster_block_exception` of a write-blocked index, `security_exception`) →
 *   retry;
 * - anything else (400/404 mapping and parse errors, missing index, 409 under internal versioning) → dead letter.
 */
export function classifyItem(item: BulkResponseItem, context: ItemContext): ItemOutcome {
  const { status } = item;
  if (status >= 200 && status < 300) return { kind: 'success', status, result: item.result };
  if (status === 404 && context.action === 'delete' && item.error === undefined) {
    return { kind: 'success', status, result: item.result ?? 'not_found' };
  }
  const { errorType, reason } = describe(item.error);
  if (status === 409 && errorType === 'version_conflict_engine_exception') {
    if (context.externalVersion || context.action === 'create')
      return { kind: 'duplicate', status, errorType, reason };
  }
  if (status === 429 || status >= 500 || RETRIABLE_ERROR_TYPES.includes(errorType)) {
    return { kind: 'retry', status, errorType, reason };
  }
  return { kind: 'dead-letter', status, errorType, reason };
}

/** What to do with a whole bulk request that failed. */
export type RequestOutcome =
  | { kind: 'retry'; reason: string; status: number | undefined }
  | { kind: 'split'; reason: string; status: 413 }
  | { kind: 'fail'; reason: string; status: number | undefined; errorType: string }
  | { kind: 'aborted' };

/** The parts of an ES client error that matter here (`name`, `meta.statusCode`, `body.error`). */
export interface RequestErrorShape {
  name?: string;
  message?: string;
  meta?: { statusCode?: number | null; body?: unknown } | undefined;
}

/**
 * Request statuses retried: overload and gateway errors, and 401/403 — credentials rotated or revoked while running
 * are an outage an operator fixes, like Logstash's elasticsearch output retries them (the connector's start-up
 * check already refuses bad credentials before consuming anything).
 */
const RETRIABLE_REQUEST_STATUSES: readonly number[] = [401, 403, 408, 429, 500, 502, 503, 504];
const CONNECTION_ERRORS: readonly string[] = [
  'ConnectionError',
  'TimeoutError',
  'NoLivingConnectionsError',
  'SerializationError',
  'DeserializationError',
];

/**
 * Classifies a failed bulk request: 429/502/503/504 (and 408/500), 401/403, connection errors and timeouts are
 * retried with backoff; 413 is split in halves; aborts stop; anything else (400 malformed request) fails the
 * documents with the reason.
 */
export function classifyRequestError(error: unknown): RequestOutcome {
  const e = (typeof error === 'object' && error !== null ? error : {}) as RequestErrorShape;
  const name = e.name ?? 'Error';
  if (name === 'RequestAbortedError' || name === 'AbortError') return { kind: 'aborted' };
  const status = e.meta?.statusCode ?? undefined;
  if (status === 413) return { kind: 'split', reason: 'request entity too large (413)', status: 413 };
  if (status !== undefined && status !== null && status > 0) {
    const body = e.meta?.body as { error?: { type?: string; reason?: string } | string } | undefined;
    const errorType = typeof body?.error === 'object' ? (body.error.type ?? 'http_error') : 'http_error';
    const reason =
      typeof body?.error === 'object'
        ? (body.error.reason ?? errorType)
        : `HTTP ${status}${e.message ? `: ${e.message}` : ''}`;
    if (RETRIABLE_REQUEST_STATUSES.includes(status) || RETRIABLE_ERROR_TYPES.includes(errorType)) {
      return { kind: 'retry', reason: `${status} ${errorType}: ${reason}`, status };
    }
    return {
      kind: 'fail',
      reason: `request failed with ${status} ${errorType}: ${reason}`,
      status,
      errorType,
    };
  }
  if (CONNECTION_ERRORS.includes(name)) {
    return { kind: 'retry', reason: `${name}: ${e.message ?? 'no response'}`, status: undefined };
  }
  return {
    kind: 'fail',
    reason: `${name}: ${e.message ?? 'unknown error'}`,
    status: undefined,
    errorType: name,
  };
}

/** Splits a batch in two halves for a 413 retry; a single document cannot be split (returns undefined). */
export function splitInHalves<T>(items: readonly T[]): [T[], T[]] | undefined {
  if (items.length < 2) return undefined;
  const mid = Math.ceil(items.length / 2);
  return [items.slice(0, mid), items.slice(mid)];
}
