/** Public types of the sink. */

/** Bulk actions the sink writes. */
export const BULK_ACTIONS = {
  index: 'index',
  create: 'create',
  update: 'update',
  delete: 'delete',
} as const;
export type BulkAction = (typeof BULK_ACTIONS)[keyof typeof BULK_ACTIONS];

/** Version types for external versioning (an older write can never overwrite a newer one). */
export const VERSION_TYPES = { external: 'external', externalGte: 'external_gte' } as const;
export type VersionType = (typeof VERSION_TYPES)[keyof typeof VERSION_TYPES];

/** Per-call overrides of `write()`; everything is optional and falls back to the sink's options. */
export interface WriteOptions<TContext = unknown> {
  /** Document `_id`; overrides `idKey`. */
  id?: string;
  /** Target index (or data stream); overrides the `index` option. */
  index?: string;
  action?: BulkAction;
  /** External version; overrides `versionKey`. */
  version?: number;
  routing?: string;
  /** Opaque value handed back in `onAck` / `onDeadLetter` (e.g. the Kafka partition and offset). */
  context?: TContext;
}

/** A document as the sink saw it, handed to `onAck` and `onDeadLetter`. */
export interface SinkItem<TDoc = unknown, TContext = unknown> {
  document: TDoc;
  id: string | undefined;
  index: string;
  action: BulkAction;
  version: number | undefined;
  context: TContext | undefined;
  /** Number of bulk requests this document was part of. */
  attempts: number;
}

/** How a document completed successfully. */
export const ACK_KINDS = {
  /** Written (created, updated, deleted, or delete of a missing document). */
  written: 'written',
  /** A stale or repeated write: 409 under external versioning or with `create`. Not an error. */
  duplicate: 'duplicate',
} as const;
export type AckKind = (typeof ACK_KINDS)[keyof typeof ACK_KINDS];

export interface Ack {
  kind: AckKind;
  /** HTTP status of the item. */
  status: number;
  /** ES `result` (`created`, `updated`, `deleted`, `noop`, `not_found`) when written. */
  result: string | undefined;
}

/** Why a document was given up. */
export interface DeadLetterReason {
  /**
   * ES error type (`document_parsing_exception`, …) or a sink reason (`retry_deadline_exceeded`, `invalid_document`,
   * `id_too_long`, `request_entity_too_large`).
   */
  errorType: string;
  /** Human-readable reason, e.g. `retry deadline exceeded`. */
  reason: string;
  /** HTTP status of the item or request, when there was one. */
  status: number | undefined;
}

/** Live counters. All document counts are in documents, not requests. */
export interface SinkStats {
  /** Documents accepted by `write()`. */
  total: number;
  /** Documents written (2xx, or delete of a missing document). */
  successful: number;
  /** Document retries (a document retried three times counts three). */
  retried: number;
  /** Documents dead-lettered. */
  failed: number;
  /** Stale or repeated writes (409 under external versioning / create). */
  duplicates: number;
  /** Uncompressed bytes sent, retries included. */
  bytes: number;
  /** Bulk requests sent, retries and splits included. */
  requests: number;
  /** Milliseconds since the sink was created. */
  time: number;
  /** Bulk requests in flight now. */
  inFlight: number;
  /** Documents accepted and not yet completed (buffered, queued, in flight or waiting to retry). */
  buffered: number;
  /** Bytes of those documents. */
  bufferedBytes: number;
  /**
   * Of `buffered`, the documents that failed at least once (connection error, timeout, 429, 5xx) and wait for their
   * retry, or are queued or in flight again. Without a retry deadline (the default) they stay until written.
   */
  retrying: number;
  /** Current in-flight limit (changes when adaptive concurrency is on). */
  concurrency: number;
}
