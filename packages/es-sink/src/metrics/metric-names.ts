/**
 * Every Prometheus metric the sink and the connector register, in one place (prefix `tributary_es_sink_`).
 * Labels: `outcome` (documents_total), `status` (retries_total), `reason` (dead_letters_total).
 */
export const SINK_METRIC_NAMES = {
  bulkDuration: 'tributary_es_sink_bulk_duration_seconds',
  documents: 'tributary_es_sink_documents_total',
  retries: 'tributary_es_sink_retries_total',
  deadLetters: 'tributary_es_sink_dead_letters_total',
  rejections: 'tributary_es_sink_rejections_total',
  inFlightRequests: 'tributary_es_sink_in_flight_requests',
  bufferedBytes: 'tributary_es_sink_buffered_bytes',
  bufferedDocuments: 'tributary_es_sink_buffered_documents',
  retryingDocuments: 'tributary_es_sink_retrying_documents',
  pausedPartitions: 'tributary_es_sink_paused_partitions',
  oldestUnacknowledgedAge: 'tributary_es_sink_oldest_unacknowledged_age_seconds',
} as const;

export type SinkMetricName = (typeof SINK_METRIC_NAMES)[keyof typeof SINK_METRIC_NAMES];

/** Values of the `outcome` label of `documents_total`: what one bulk item answer did to a document. */
export const DOCUMENT_OUTCOMES = {
  /** Written: created, updated, deleted (or delete of a missing document). */
  indexed: 'indexed',
  /** 409 under external versioning or `create`: a stale or repeated write, acknowledged as a duplicate. */
  versionConflict: 'version_conflict',
  /** Given up: sent to the dead-letter path with a reason. */
  deadLettered: 'dead_lettered',
  /** Scheduled for another attempt (a document retried three times counts three). */
  retried: 'retried',
} as const;

export type DocumentOutcome = (typeof DOCUMENT_OUTCOMES)[keyof typeof DOCUMENT_OUTCOMES];
export const DOCUMENT_OUTCOME_VALUES: readonly DocumentOutcome[] = Object.values(DOCUMENT_OUTCOMES);

/** `status` label of `retries_total` when a request got no HTTP answer (connection error, timeout). */
export const NO_RESPONSE_STATUS = 'none';

/** Buckets of `bulk_duration_seconds`: 5 ms to 30 s (the default request timeout). */
export const BULK_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];
