/** Stable error codes of @tributary/observability. Match on `code`, never on `instanceof` or message text. */
export const OBSERVABILITY_ERROR_CODES = {
  /** A bad option, thrown once at construction; `option` names it. */
  INVALID_OPTION: 'TRIB_OBS_INVALID_OPTION',
} as const;

export type ObservabilityErrorCode =
  (typeof OBSERVABILITY_ERROR_CODES)[keyof typeof OBSERVABILITY_ERROR_CODES];

export interface ObservabilityErrorDetails {
  /** Whether repeating the same operation later can succeed. */
  retriable?: boolean;
  cause?: unknown;
  /** The option at fault, for `TRIB_OBS_INVALID_OPTION`. */
  option?: string;
}

/** Base error of the package: a stable `code`, a `retriable` flag and the original error as `cause`. */
export class ObservabilityError extends Error {
  readonly code: ObservabilityErrorCode;
  readonly retriable: boolean;
  readonly option: string | undefined;

  constructor(code: ObservabilityErrorCode, message: string, details: ObservabilityErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ObservabilityError';
    this.code = code;
    this.retriable = details.retriable ?? false;
    this.option = details.option;
  }
}

/** A bad option: thrown once, at construction, naming the option and the constraint. */
export function invalidOption(option: string, constraint: string): ObservabilityError {
  return new ObservabilityError(OBSERVABILITY_ERROR_CODES.INVALID_OPTION, `${option} ${constraint}`, {
    option,
  });
}

/** True when `error` is an ObservabilityError with the given code (works across package copies: compares codes). */
export function isObservabilityError(
  error: unknown,
  code?: ObservabilityErrorCode,
): error is ObservabilityError {
  if (typeof error !== 'object' || error === null) return false;
  const c = (error as { code?: unknown }).code;
  return typeof c === 'string' && c.startsWith('TRIB_OBS_') && (code === undefined || c === code);
}
