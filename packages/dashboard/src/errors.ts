/** Stable error codes of @tributary/dashboard. Match on `code`, never on `instanceof` or message text. */
export const DASHBOARD_ERROR_CODES = {
  /** A bad option or flag, thrown once at construction; `option` names it. */
  INVALID_OPTION: 'TRIB_DASH_INVALID_OPTION',
  /** A scraped /metrics answer is not valid Prometheus text exposition format. */
  METRICS_TEXT_INVALID: 'TRIB_DASH_METRICS_TEXT_INVALID',
} as const;

export type DashboardErrorCode = (typeof DASHBOARD_ERROR_CODES)[keyof typeof DASHBOARD_ERROR_CODES];

export interface DashboardErrorDetails {
  /** Whether repeating the same operation later can succeed. */
  retriable?: boolean;
  cause?: unknown;
  /** The option at fault, for `TRIB_DASH_INVALID_OPTION`. */
  option?: string;
}

/** Base error of the package: a stable `code`, a `retriable` flag and the original error as `cause`. */
export class DashboardError extends Error {
  readonly code: DashboardErrorCode;
  readonly retriable: boolean;
  readonly option: string | undefined;

  constructor(code: DashboardErrorCode, message: string, details: DashboardErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DashboardError';
    this.code = code;
    this.retriable = details.retriable ?? false;
    this.option = details.option;
  }
}

/** A bad option: thrown once, at construction, naming the option (or flag) and the constraint. */
export function invalidOption(option: string, constraint: string): DashboardError {
  return new DashboardError(DASHBOARD_ERROR_CODES.INVALID_OPTION, `${option} ${constraint}`, { option });
}

/** True when `error` carries a `TRIB_DASH_…` code (optionally a given one); works across package copies. */
export function isDashboardError(error: unknown, code?: DashboardErrorCode): error is DashboardError {
  if (typeof error !== 'object' || error === null) return false;
  const c = (error as { code?: unknown }).code;
  return typeof c === 'string' && c.startsWith('TRIB_DASH_') && (code === undefined || c === code);
}
