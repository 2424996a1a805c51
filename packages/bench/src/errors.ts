/**
 * Errors of @tributary/bench. Match on `code`, never on `instanceof`: codes are stable across versions.
 */
export const BENCH_ERROR_CODES = {
  INVALID_OPTION: 'TRIB_BENCH_INVALID_OPTION',
  INVALID_RESULTS: 'TRIB_BENCH_INVALID_RESULTS',
  PROC_UNAVAILABLE: 'TRIB_BENCH_PROC_UNAVAILABLE',
  NOT_WIRED: 'TRIB_BENCH_NOT_WIRED',
  IO: 'TRIB_BENCH_IO',
  /** A tool a scenario needs (java, mvn for the JVM peers) is not installed or does not run. */
  TOOL_MISSING: 'TRIB_BENCH_TOOL_MISSING',
} as const;

export type BenchErrorCode = (typeof BENCH_ERROR_CODES)[keyof typeof BENCH_ERROR_CODES];

export interface BenchErrorOptions {
  readonly retriable?: boolean;
  readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Base error: a stable `code`, a `retriable` flag, `cause` chaining and details as fields. */
export class BenchError extends Error {
  readonly code: BenchErrorCode;
  readonly retriable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: BenchErrorCode, message: string, options: BenchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BenchError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = options.details ?? {};
  }
}

/** A bad option or CLI flag; `option` names it. Never retriable. */
export class InvalidOptionError extends BenchError {
  readonly option: string;

  constructor(option: string, constraint: string, value?: unknown) {
    super(BENCH_ERROR_CODES.INVALID_OPTION, `${option} ${constraint}${describeValue(value)}`, {
      details: { option, value },
    });
    this.name = 'InvalidOptionError';
    this.option = option;
  }
}

/** A results document that does not match the schema; `path` names the offending field. */
export class InvalidResultsError extends BenchError {
  readonly path: string;

  constructor(path: string, constraint: string) {
    super(BENCH_ERROR_CODES.INVALID_RESULTS, `results ${path} ${constraint}`, { details: { path } });
    this.name = 'InvalidResultsError';
    this.path = path;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return ` (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

/** True when `error` is a bench error with the given code. */
export function isBenchError(error: unknown, code?: BenchErrorCode): error is BenchError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as { code: string }).code.startsWith('TRIB_BENCH_') &&
    (code === undefined || (error as { code: string }).code === code)
  );
}
