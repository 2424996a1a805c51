export {
  SchemaError,
  SchemaErrorCodes,
  SCHEMA_ERROR_CODES,
  isSchemaError,
  BatchTooLargeError,
} from './errors.js';
export type { SchemaErrorCode, SchemaErrorOptions, BatchTooLargeDetails } from './errors.js';
export { EVENT_TYPES } from './types.js';
export type { ClickstreamEvent, ClickstreamProjection, EventType, WindowResult } from './types.js';
export {
  encodeClickstreamEvent,
  decodeClickstreamEvent,
  emptyClickstreamEvent,
} from './clickstream-event.js';
export { ClickstreamEventEncoder } from './clickstream-event-encoder.js';
export { EVENT_TIME_DEFAULTS } from './event-time.js';
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
export { encodeWindowResult, decodeWindowResult, windowResultToJSON } from './window-result.js';
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
export type { InvalidEventMessage } from './diagnostics.js';
export type { ResolvedValidatorOptions } from './validation.js';
export { createLz4Codec } from './kafka-lz4/lz4-codec.js';
export type { KafkaCodec, Lz4Codec, Lz4CodecOptions, Lz4Implementation } from './kafka-lz4/lz4-codec.js';
export { createGzipCodec } from './kafkajs/gzip-codec.js';
export type { GzipCodec, GzipCodecOptions } from './kafkajs/gzip-codec.js';
export {
  DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
  MAX_DECOMPRESSED_BATCH_BYTES_ENV,
} from './kafkajs/decompression-cap.js';
export type { DecompressOptions } from './kafkajs/decompression-cap.js';
export { installKafkajsPatches } from './kafkajs/patches.js';
export type { KafkajsPatches } from './kafkajs/patches.js';
export { installLinearGrouping, groupMessagesPerPartition } from './kafkajs/linear-grouping.js';
export { installFetchDecoding, createBatchClass } from './kafkajs/fetch-decoding.js';
export type { FetchDecodingInstall } from './kafkajs/fetch-decoding.js';
export { createRecordBatchDecoder } from './kafkajs/record-batch-decoding.js';
export { createRecordEncoder, installRecordEncoding } from './kafkajs/record-encoding.js';
export { murmur2, partitionForKey, explicitFirstPartitioner } from './kafkajs/partitioning.js';
export {
  createProduceRequest,
  installProduceRequest,
  produceRequestInternals,
} from './kafkajs/produce-request.js';
export type { ProduceRequestInternals } from './kafkajs/produce-request.js';
export type { KafkajsEncodingInternals, KafkajsEncoder, RecordArgs } from './kafkajs/record-encoding.js';
export type {
  KafkajsDecodingInternals,
  KafkajsCodec,
  KafkajsDecoder,
  DecodedRecord,
} from './kafkajs/record-batch-decoding.js';
export const VERSION = '0.1.0';
