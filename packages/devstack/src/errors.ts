/** Stable error codes of @tributary/devstack. Match on `code`, never on `instanceof` or message text. */
export const DEVSTACK_ERROR_CODES = {
  INVALID_OPTION: 'TRIB_DEVSTACK_INVALID_OPTION',
  JAVA_MISSING: 'TRIB_DEVSTACK_JAVA_MISSING',
  JAVA_VERSION: 'TRIB_DEVSTACK_JAVA_VERSION',
  MAVEN_MISSING: 'TRIB_DEVSTACK_MAVEN_MISSING',
  PORT_IN_USE: 'TRIB_DEVSTACK_PORT_IN_USE',
  RESOLVE_FAILED: 'TRIB_DEVSTACK_RESOLVE_FAILED',
  DISK_FULL: 'TRIB_DEVSTACK_DISK_FULL',
  START_FAILED: 'TRIB_DEVSTACK_START_FAILED',
  START_TIMEOUT: 'TRIB_DEVSTACK_START_TIMEOUT',
  STOP_FAILED: 'TRIB_DEVSTACK_STOP_FAILED',
  NOT_RUNNING: 'TRIB_DEVSTACK_NOT_RUNNING',
  NOT_MANAGED: 'TRIB_DEVSTACK_NOT_MANAGED',
  SMOKE_FAILED: 'TRIB_DEVSTACK_SMOKE_FAILED',
  UNSAFE_PATH: 'TRIB_DEVSTACK_UNSAFE_PATH',
} as const;

export type DevstackErrorCode = (typeof DEVSTACK_ERROR_CODES)[keyof typeof DEVSTACK_ERROR_CODES];

export interface DevstackErrorDetails {
  /** Whether repeating the same operation later can succeed. */
  retriable?: boolean;
  cause?: unknown;
  /** The option at fault, for `TRIB_DEVSTACK_INVALID_OPTION`. */
  option?: string;
  /** The port at fault, for `TRIB_DEVSTACK_PORT_IN_USE`. */
  port?: number;
  /** The service concerned: `kafka` or `elasticsearch`. */
  service?: string;
  /** Last lines of the server's logs, for `TRIB_DEVSTACK_START_FAILED` / `TRIB_DEVSTACK_START_TIMEOUT`. */
  logTail?: string[];
  /** The file or directory at fault, for `TRIB_DEVSTACK_UNSAFE_PATH`. */
  path?: string;
}

/** Base error of the package: a stable `code`, a `retriable` flag and the original error as `cause`. */
export class DevstackError extends Error {
  readonly code: DevstackErrorCode;
  readonly retriable: boolean;
  readonly option: string | undefined;
  readonly port: number | undefined;
  readonly service: string | undefined;
  readonly logTail: string[];
  readonly path: string | undefined;

  constructor(code: DevstackErrorCode, message: string, details: DevstackErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DevstackError';
    this.code = code;
    this.retriable = details.retriable ?? false;
    this.option = details.option;
    this.port = details.port;
    this.service = details.service;
    this.logTail = details.logTail ?? [];
    this.path = details.path;
  }
}

/** A bad option: thrown once, at construction, naming the option and the constraint. */
export function invalidOption(option: string, constraint: string): DevstackError {
  return new DevstackError(DEVSTACK_ERROR_CODES.INVALID_OPTION, `${option} ${constraint}`, { option });
}

/** True when `error` is a DevstackError with the given code (compares codes, works across package copies). */
export function isDevstackError(error: unknown, code?: DevstackErrorCode): error is DevstackError {
  if (typeof error !== 'object' || error === null) return false;
  const c = (error as { code?: unknown }).code;
  return typeof c === 'string' && c.startsWith('TRIB_DEVSTACK_') && (code === undefined || c === code);
}
