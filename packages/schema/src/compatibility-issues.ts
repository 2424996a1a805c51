/** The issues a compatibility check reports: stable codes, severities and the issue shape. */
export const CompatibilityIssueCodes = {
  /** A package of the old schema no longer exists (renamed or removed): fully-qualified type names change. */
  PACKAGE_CHANGED: 'TRIB_SCHEMA_COMPAT_PACKAGE_CHANGED',
  /** A message of the old schema no longer exists (renamed or removed). */
  MESSAGE_REMOVED: 'TRIB_SCHEMA_COMPAT_MESSAGE_REMOVED',
  /** An enum of the old schema no longer exists (renamed or removed). */
  ENUM_REMOVED: 'TRIB_SCHEMA_COMPAT_ENUM_REMOVED',
  /** A field was removed without reserving its number. */
  FIELD_REMOVED: 'TRIB_SCHEMA_COMPAT_FIELD_REMOVED',
  /** A field was removed and its number reserved, but not its name (warning). */
  FIELD_NAME_NOT_RESERVED: 'TRIB_SCHEMA_COMPAT_FIELD_NAME_NOT_RESERVED',
  /** A field number is reused with a wire-incompatible type. */
  FIELD_TYPE_CHANGED: 'TRIB_SCHEMA_COMPAT_FIELD_TYPE_CHANGED',
  /** A field changed to a wire-compatible type that may still change values, e.g. int64 → int32 (warning). */
  FIELD_TYPE_WIDENED_OR_NARROWED: 'TRIB_SCHEMA_COMPAT_FIELD_TYPE_WIDENED_OR_NARROWED',
  /** A field changed between singular, repeated and map. */
  FIELD_LABEL_CHANGED: 'TRIB_SCHEMA_COMPAT_FIELD_LABEL_CHANGED',
  /** A field kept its number but changed its name: the wire is unaffected, JSON documents are (warning). */
  FIELD_RENAMED: 'TRIB_SCHEMA_COMPAT_FIELD_RENAMED',
  /** A new field uses a number the old schema reserved. */
  RESERVED_NUMBER_REUSED: 'TRIB_SCHEMA_COMPAT_RESERVED_NUMBER_REUSED',
  /** A new field uses a name the old schema reserved. */
  RESERVED_NAME_REUSED: 'TRIB_SCHEMA_COMPAT_RESERVED_NAME_REUSED',
  /** A reservation of the old schema was dropped (warning: the number or name may be reused later). */
  RESERVATION_REMOVED: 'TRIB_SCHEMA_COMPAT_RESERVATION_REMOVED',
  /** An enum value was removed without reserving its number. */
  ENUM_VALUE_REMOVED: 'TRIB_SCHEMA_COMPAT_ENUM_VALUE_REMOVED',
} as const;

export type CompatibilityIssueCode = (typeof CompatibilityIssueCodes)[keyof typeof CompatibilityIssueCodes];

export const COMPATIBILITY_SEVERITIES = ['error', 'warning'] as const;
export type CompatibilitySeverity = (typeof COMPATIBILITY_SEVERITIES)[number];

export interface CompatibilityIssue {
  code: CompatibilityIssueCode;
  /** `error` breaks readers; `warning` is wire-compatible but worth a look. */
  severity: CompatibilitySeverity;
  /** Fully-qualified name of the package, message, enum or field the issue is about. */
  path: string;
  /** The field (or enum value) name, when the issue is about one. */
  field?: string;
  /** The field (or enum value) number, when the issue is about one. */
  number?: number;
  /** Human-readable description naming the field. */
  message: string;
}

/** True when no issue has severity `error`. */
export function isCompatible(issues: readonly CompatibilityIssue[]): boolean {
  return issues.every((i) => i.severity !== 'error');
}
