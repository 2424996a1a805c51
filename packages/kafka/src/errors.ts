/**
 * Errors of @tributary/kafka. Match on `code`, never on the message text.
 */

export const KafkaErrorCodes = {
  /** An option is invalid; the message names the option and the constraint. */
  INVALID_OPTION: 'TRIB_KAFKA_INVALID_OPTION',
  /**
   * A fetched record batch decompresses to more than the cap (`maxDecompressedBytes`,
   * `TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES`); the codecs stop decompressing there. A `BatchTooLargeError`.
   */
  BATCH_TOO_LARGE: 'TRIB_KAFKA_BATCH_TOO_LARGE',
  /**
   * The kafkajs fixes cannot be installed: kafkajs is not version 2.2.4, or the modules they replace were loaded
   * before (kafkajs imported without going through @tributary/kafka). The message names the module.
   */
  KAFKAJS_NOT_FIXABLE: 'TRIB_KAFKA_KAFKAJS_NOT_FIXABLE',
  /**
   * A stable read of committed offsets (`fetchStableCommittedOffsets`) still found a transactional offset commit
   * pending (or the group coordinator unavailable) when its `timeoutMs` ran out. Retriable: the transaction
   * completes or times out on the broker.
   */
  OFFSETS_NOT_STABLE: 'TRIB_KAFKA_OFFSETS_NOT_STABLE',
  /**
   * Reading committed offsets failed for good: the broker answered an error no retry fixes (authorization, an
   * unknown topic, …; the kafkajs error is the `cause`), or a malformed response.
   */
  OFFSET_FETCH_FAILED: 'TRIB_KAFKA_OFFSET_FETCH_FAILED',
} as const;

export type KafkaErrorCode = (typeof KafkaErrorCodes)[keyof typeof KafkaErrorCodes];

/** All codes, for validators and documentation. */
export const KAFKA_ERROR_CODES: readonly KafkaErrorCode[] = Object.freeze(Object.values(KafkaErrorCodes));

export class KafkaError extends Error {
  override readonly name: string = 'KafkaError';
  /** Stable machine-readable code (`TRIB_KAFKA_…`). */
  readonly code: KafkaErrorCode;
  /** Short human-readable reason. */
  readonly reason: string;
  /** True when the same call may succeed later (`TRIB_KAFKA_OFFSETS_NOT_STABLE`); false for every other code. */
  readonly retriable: boolean;

  constructor(code: KafkaErrorCode, reason: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(`${code}: ${reason}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.reason = reason;
    this.retriable = options.retriable ?? false;
  }
}

/** The details of a `TRIB_KAFKA_BATCH_TOO_LARGE` error. */
export interface BatchTooLargeDetails {
  /** The batch's compression codec: `'gzip'`, `'lz4'`, … */
  codec: string;
  /** The size of the compressed data. */
  compressedBytes: number;
  /** The cap it would exceed. */
  maxDecompressedBytes: number;
  /** The batch's first and last offset, when the record-batch decoder knows them (a codec alone does not). */
  firstOffset?: string | undefined;
  lastOffset?: string | undefined;
}

/**
 * A record batch that decompresses to more than the cap: `TRIB_KAFKA_BATCH_TOO_LARGE`, with the details as fields.
 * It has no `cause`: kafkajs' retrier wraps a non-retriable error as `KafkaJSNonRetriableError` with
 * `cause: error.cause || error`, so this error itself, code and offsets, becomes the cause of the consumer's crash.
 */
export class BatchTooLargeError extends KafkaError {
  override readonly name: string = 'BatchTooLargeError';
  readonly codec: string;
  readonly compressedBytes: number;
  readonly maxDecompressedBytes: number;
  declare readonly firstOffset?: string;
  declare readonly lastOffset?: string;

  constructor(reason: string, details: BatchTooLargeDetails) {
    super(KafkaErrorCodes.BATCH_TOO_LARGE, reason);
    this.codec = details.codec;
    this.compressedBytes = details.compressedBytes;
    this.maxDecompressedBytes = details.maxDecompressedBytes;
    if (details.firstOffset !== undefined) this.firstOffset = details.firstOffset;
    if (details.lastOffset !== undefined) this.lastOffset = details.lastOffset;
  }
}

/** True when `value` is a KafkaError (by code shape, so it also works across package copies). */
export function isKafkaError(value: unknown): value is KafkaError {
  if (!(value instanceof Error)) return false;
  const code: unknown = (value as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('TRIB_KAFKA_');
}
