export { SchemaError, SchemaErrorCodes, SCHEMA_ERROR_CODES, isSchemaError } from './errors.js';
export type { SchemaErrorCode, SchemaErrorOptions } from './errors.js';
export { EVENT_TYPES } from './types.js';
export type { ClickstreamEvent, ClickstreamProjection, EventType, WindowResult } from './types.js';
export {
  encodeClickstreamEvent,
  decodeClickstreamEvent,
  emptyClickstreamEvent,
} from './clickstream-event.js';
export { ClickstreamEventEncoder } from './clickstream-event-encoder.js';
export { EVENT_TIME_DEFAULTS, isLate, isWindowClosed, windowStartOf } from './event-time.js';
export type { WindowRules } from './event-time.js';
export { createProjectionDecoder, decodeClickstreamProjection } from './projection.js';
export {
  validateClickstreamEvent,
  decodeAndValidateClickstreamEvent,
  decodeAndValidateClickstreamProjection,
  createClickstreamValidator,
  resolveValidatorOptions,
  VALIDATION_DEFAULTS,
  FIELD_BYTE_LIMITS,
  RECORD_FUTURE_SKEW_MS,
} from './validation.js';
export type {
  ClickstreamStringField,
  ValidationResult,
  ValidatorOptions,
  ValidateOptions,
  ClickstreamValidator,
} from './validation.js';
export { clickstreamEventToJSON, clickstreamEventFromJSON } from './json.js';
export { encodeWindowResult, decodeWindowResult } from './window-result.js';
export {
  WINDOW_DOCUMENT_FIELDS,
  WINDOW_DOCUMENT_MAPPINGS,
  windowDocumentId,
  windowResultToJSON,
} from './window-document.js';
export type { WindowDocument } from './window-document.js';
export { encodeRegistryFrame, decodeRegistryFrame, REGISTRY_MAGIC_BYTE } from './registry-frame.js';
export type { RegistryFrame } from './registry-frame.js';
export { CLICKSTREAM_EVENT_TYPE_NAME, WINDOW_RESULT_TYPE_NAME } from './messages.js';
export { checkCompatibility } from './compatibility.js';
export type { CompatibilityOptions } from './compatibility.js';
export { isCompatible, CompatibilityIssueCodes, COMPATIBILITY_SEVERITIES } from './compatibility-issues.js';
export type {
  CompatibilityIssue,
  CompatibilityIssueCode,
  CompatibilitySeverity,
} from './compatibility-issues.js';
export { parseProto, loadProtoFile } from './proto-source.js';
export { clickstreamProtoPath, CLICKSTREAM_PROTO_FILE } from './bundled-schema.js';
export { DIAGNOSTICS_CHANNELS } from './diagnostics.js';
export { describeValue } from './describe-value.js';
export type { InvalidEventMessage } from './diagnostics.js';
export type { ResolvedValidatorOptions } from './validation.js';
export { PROCESSOR_METRIC_NAMES, WINDOW_FIRE_KINDS } from './processor-metric-names.js';
export type { ProcessorMetricName, WindowFireKind } from './processor-metric-names.js';
export const VERSION = '0.1.0';
