/**
 * Errors of @tributary/schema. Match on `code`, never on the message text. Schema errors are data errors:
 * retrying the same bytes gives the same answer, so `retriable` is always false.
 */

export const SchemaErrorCodes = {
  /** The bytes are not a valid protobuf encoding of the message (truncated, bad wire type, bad UTF-8). */
  DECODE_FAILED: 'TRIB_SCHEMA_DECODE_FAILED',
  /** A required field is absent or empty. `field` names it. */
  MISSING_FIELD: 'TRIB_SCHEMA_MISSING_FIELD',
  /** `event_type` is not one of EVENT_TYPES. */
  INVALID_EVENT_TYPE: 'TRIB_SCHEMA_INVALID_EVENT_TYPE',
  /** A string field is larger (UTF-8 bytes) than its limit (`maxFieldBytes`). `field` names it. */
  FIELD_TOO_LARGE: 'TRIB_SCHEMA_FIELD_TOO_LARGE',
  /** `timestamp` is before the minimum (2000-01-01) or too far in the future. */
  TIMESTAMP_OUT_OF_RANGE: 'TRIB_SCHEMA_TIMESTAMP_OUT_OF_RANGE',
  /** A field has the wrong JavaScript type or an unrepresentable value (encode, JSON mapping). */
  INVALID_FIELD: 'TRIB_SCHEMA_INVALID_FIELD',
  /** A JSON document could not be mapped onto the message. */
  INVALID_JSON: 'TRIB_SCHEMA_INVALID_JSON',
  /** A schema-registry frame is malformed (magic byte, truncation, message indexes). */
  INVALID_FRAME: 'TRIB_SCHEMA_INVALID_FRAME',
  /** A .proto source could not be parsed. */
  PARSE_FAILED: 'TRIB_SCHEMA_PARSE_FAILED',
  /** An option is invalid; the message names the option and the constraint. */
  INVALID_OPTION: 'TRIB_SCHEMA_INVALID_OPTION',
} as const;

export type SchemaErrorCode = (typeof SchemaErrorCodes)[keyof typeof SchemaErrorCodes];

/** All codes, for validators and documentation. */
export const SCHEMA_ERROR_CODES: readonly SchemaErrorCode[] = Object.freeze(Object.values(SchemaErrorCodes));

export interface SchemaErrorOptions {
  /** The proto field (snake_case) the error is about, when there is one. */
  field?: string | undefined;
  cause?: unknown;
}

export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  /** Stable machine-readable code (`TRIB_SCHEMA_…`). */
  readonly code: SchemaErrorCode;
  /** Short human-readable reason, suitable for a dead-letter header. */
  readonly reason: string;
  /** The proto field (snake_case) the error is about, when there is one. */
  declare readonly field?: string;
  /** Schema errors never succeed on retry. */
  readonly retriable = false as const;

  constructor(code: SchemaErrorCode, reason: string, options: SchemaErrorOptions = {}) {
    super(`${code}: ${reason}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.reason = reason;
    if (options.field !== undefined) this.field = options.field;
  }
}

/**
 * A SchemaError that is a verdict on an event (the validator's and the decoder's rejections), built without a stack
 * trace: the stack points into the library, never at the bad data, and capturing it cost a rejected event ~50× a
 * valid one, which a flood of bad events would turn into a slowdown of the whole job.
 */
export function rejection(code: SchemaErrorCode, reason: string, options?: SchemaErrorOptions): SchemaError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new SchemaError(code, reason, options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** True when `value` is a SchemaError (by code shape, so it also works across package copies). */
export function isSchemaError(value: unknown): value is SchemaError {
  if (!(value instanceof Error)) return false;
  const code: unknown = (value as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('TRIB_SCHEMA_');
}
