import { quoted } from '@tributary/options';

/**
 * Errors of @tributary/producer. Match on `code`, never on `instanceof`: codes are stable across releases.
 * `retriable` says whether repeating the same operation later can succeed (a broker that is down, a full buffer).
 */
export const ProducerErrorCodes = {
  INVALID_OPTION: 'TRIB_PRODUCER_INVALID_OPTION',
  CONFIG_FILE: 'TRIB_PRODUCER_CONFIG_FILE',
  UNSUPPORTED_COMPRESSION: 'TRIB_PRODUCER_UNSUPPORTED_COMPRESSION',
  TOPIC_SETUP_FAILED: 'TRIB_PRODUCER_TOPIC_SETUP_FAILED',
  TOPIC_MISMATCH: 'TRIB_PRODUCER_TOPIC_MISMATCH',
  CONNECT_FAILED: 'TRIB_PRODUCER_CONNECT_FAILED',
  SEND_FAILED: 'TRIB_PRODUCER_SEND_FAILED',
  BACKPRESSURE: 'TRIB_PRODUCER_BACKPRESSURE',
  KAFKA_UNAVAILABLE: 'TRIB_PRODUCER_KAFKA_UNAVAILABLE',
  UNAUTHORIZED: 'TRIB_PRODUCER_UNAUTHORIZED',
  EVENT_TOO_LARGE: 'TRIB_PRODUCER_EVENT_TOO_LARGE',
  RECORD_TOO_LARGE: 'TRIB_PRODUCER_RECORD_TOO_LARGE',
  INVALID_UTF8: 'TRIB_PRODUCER_INVALID_UTF8',
  OUTPUT_FAILED: 'TRIB_PRODUCER_OUTPUT_FAILED',
  HISTOGRAM_MISMATCH: 'TRIB_PRODUCER_HISTOGRAM_MISMATCH',
  HISTOGRAM_DESTROYED: 'TRIB_PRODUCER_HISTOGRAM_DESTROYED',
  HISTOGRAM_DECODE: 'TRIB_PRODUCER_HISTOGRAM_DECODE',
} as const;

export type ProducerErrorCode = (typeof ProducerErrorCodes)[keyof typeof ProducerErrorCodes];

export interface ProducerErrorDetails {
  retriable?: boolean;
  cause?: unknown;
  /** The option that was rejected (INVALID_OPTION). */
  option?: string;
}

export class ProducerError extends Error {
  readonly code: ProducerErrorCode;
  readonly retriable: boolean;
  readonly option: string | undefined;

  constructor(code: ProducerErrorCode, message: string, details: ProducerErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ProducerError';
    this.code = code;
    this.retriable = details.retriable ?? false;
    this.option = details.option;
  }
}

/** A bad option: the message names the option, the constraint it broke and, when given, the value. */
export function invalidOption(option: string, constraint: string, ...value: [unknown] | []): ProducerError {
  const got = value.length === 0 ? '' : ` (got ${quoted(value[0])})`;
  return new ProducerError(ProducerErrorCodes.INVALID_OPTION, `${option} ${constraint}${got}`, { option });
}

/** The error of every option set (`invalid` of @tributary/options): an unreadable config file keeps its own code. */
export function optionError(option: string, message: string): ProducerError {
  return option === '--config'
    ? new ProducerError(ProducerErrorCodes.CONFIG_FILE, message, { option })
    : invalidOption(option, message);
}

/** Kafka errors that kafkajs marks retriable, or connection-level failures, are retriable for our callers too. */
export function wrapKafkaError(code: ProducerErrorCode, message: string, cause: unknown): ProducerError {
  if (cause instanceof ProducerError) return cause;
  const err = cause as { retriable?: unknown; name?: unknown; message?: unknown } | undefined;
  const name = typeof err?.name === 'string' ? err.name : '';
  const retriable =
    err?.retriable === true ||
    /Connection|NumberOfRetriesExceeded|RequestTimeout|BrokerNotFound|LeaderNotAvailable/.test(name);
  const detail = typeof err?.message === 'string' ? `: ${err.message}` : '';
  return new ProducerError(code, `${message}${detail}`, { retriable, cause });
}
