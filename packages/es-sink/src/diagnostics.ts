import * as diagnosticsChannel from 'node:diagnostics_channel';

/**
 * Every diagnostics channel of the package, declared in one place. Publishing is free when nobody subscribes:
 * each call site checks `hasSubscribers` first.
 */
export const CHANNEL_NAMES = {
  bulkStart: 'tributary:es-sink:bulk-start',
  bulkEnd: 'tributary:es-sink:bulk-end',
  retry: 'tributary:es-sink:retry',
  deadLetter: 'tributary:es-sink:dead-letter',
} as const;

/** Message of `tributary:es-sink:bulk-start`. */
export interface BulkStartMessage {
  requestId: number;
  docs: number;
  bytes: number;
  inFlight: number;
}

/** Message of `tributary:es-sink:bulk-end`. */
export interface BulkEndMessage {
  requestId: number;
  docs: number;
  bytes: number;
  durationMs: number;
  /**
   * Elasticsearch's own time for the request (the response's `took`), undefined without a response: `durationMs`
   * minus this is the time on the wire, in queues and in this process.
   */
  tookMs: number | undefined;
  /** HTTP status of the request, or undefined when it failed before a response (connection error, timeout). */
  status: number | undefined;
  succeeded: number;
  duplicates: number;
  retried: number;
  deadLettered: number;
  error: string | undefined;
}

/** Message of `tributary:es-sink:retry`: a request or some of its documents are retried after `delayMs`. */
export interface RetryMessage {
  scope: 'request' | 'items';
  docs: number;
  attempt: number;
  delayMs: number;
  reason: string;
}

/** Message of `tributary:es-sink:dead-letter`. */
export interface DeadLetterMessage {
  id: string | undefined;
  index: string;
  status: number | undefined;
  errorType: string;
  reason: string;
}

export const channels = {
  bulkStart: diagnosticsChannel.channel(CHANNEL_NAMES.bulkStart),
  bulkEnd: diagnosticsChannel.channel(CHANNEL_NAMES.bulkEnd),
  retry: diagnosticsChannel.channel(CHANNEL_NAMES.retry),
  deadLetter: diagnosticsChannel.channel(CHANNEL_NAMES.deadLetter),
} as const;
