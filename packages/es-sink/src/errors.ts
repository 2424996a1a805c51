/** Stable error codes of @tributary/es-sink. Match on `code`, never on `instanceof` or message text. */
export const SINK_ERROR_CODES = {
  INVALID_OPTION: 'TRIB_SINK_INVALID_OPTION',
  INVALID_DOCUMENT: 'TRIB_SINK_INVALID_DOCUMENT',
  CLOSED: 'TRIB_SINK_CLOSED',
  ABORTED: 'TRIB_SINK_ABORTED',
  REQUEST_FAILED: 'TRIB_SINK_REQUEST_FAILED',
  CONNECTION_FAILED: 'TRIB_SINK_CONNECTION_FAILED',
  AUTH_FAILED: 'TRIB_SINK_AUTH_FAILED',
  TEMPLATE_FAILED: 'TRIB_SINK_TEMPLATE_FAILED',
  TOPIC_NOT_FOUND: 'TRIB_SINK_TOPIC_NOT_FOUND',
  MAPPING_FAILED: 'TRIB_SINK_MAPPING_FAILED',
  DEAD_LETTER_FAILED: 'TRIB_SINK_DEAD_LETTER_FAILED',
  RECORD_FAILED: 'TRIB_SINK_RECORD_FAILED',
  KAFKA_FAILED: 'TRIB_SINK_KAFKA_FAILED',
} as const;

export type SinkErrorCode = (typeof SINK_ERROR_CODES)[keyof typeof SINK_ERROR_CODES];

export interface SinkErrorDetails {
  /** Whether repeating the same operation later can succeed. */
  retriable?: boolean;
  cause?: unknown;
  /** The option at fault, for `TRIB_SINK_INVALID_OPTION`. */
  option?: string;
  /** HTTP status of the failed Elasticsearch request, when there was one. */
  status?: number;
  /** The Kafka record at fault, for `TRIB_SINK_RECORD_FAILED` and `TRIB_SINK_DEAD_LETTER_FAILED`. */
  record?: SinkErrorRecord;
  /** Why that record could not be indexed: the Elasticsearch error type or the sink's (`id_too_long`, …). */
  errorType?: string;
}

/** Where a record that failed comes from. */
export interface SinkErrorRecord {
  topic: string;
  partition: number;
  offset: number;
}

/** Base error of the package: a stable `code`, a `retriable` flag and the original error as `cause`. */
export class SinkError extends Error {
  readonly code: SinkErrorCode;
  readonly retriable: boolean;
  readonly option: string | undefined;
  readonly status: number | undefined;
  readonly record: SinkErrorRecord | undefined;
  readonly errorType: string | undefined;

  constructor(code: SinkErrorCode, message: string, details: SinkErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SinkError';
    this.code = code;
    this.retriable = details.retriable ?? false;
    this.option = details.option;
    this.status = details.status;
    this.record = details.record;
    this.errorType = details.errorType;
  }
}

/** A bad option: thrown once, at construction, naming the option and the constraint. */
export function invalidOption(option: string, constraint: string): SinkError {
  return new SinkError(SINK_ERROR_CODES.INVALID_OPTION, `${option} ${constraint}`, { option });
}

/** True when `error` is a SinkError with the given code (works across package copies: compares codes). */
export function isSinkError(error: unknown, code?: SinkErrorCode): error is SinkError {
  if (typeof error !== 'object' || error === null) return false;
  const c = (error as { code?: unknown }).code;
  return typeof c === 'string' && c.startsWith('TRIB_SINK_') && (code === undefined || c === code);
}
