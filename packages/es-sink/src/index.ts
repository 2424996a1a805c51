export { BulkSink } from './bulk-sink.js';
export { MAX_ID_BYTES } from './document-id.js';
export { SINK_DEFAULTS, redactOptions, type BulkSinkOptions, type SinkAuth } from './options.js';
export {
  ELASTICSEARCH_CONNECTION_OPTION_SPECS,
  ELASTICSEARCH_CONNECTION_OPTIONS,
  describeNodes,
  elasticsearchClientOptions,
  elasticsearchConnectionEnv,
  elasticsearchConnectionValues,
  redactUrl,
  redactUrls,
  type ElasticsearchConnection,
  type ElasticsearchConnectionInput,
  type ElasticsearchConnectionValues,
} from './elasticsearch-connection.js';
export {
  SINK_ERROR_CODES,
  SinkError,
  isSinkError,
  type SinkErrorCode,
  type SinkErrorRecord,
} from './errors.js';
export {
  CHANNEL_NAMES,
  type BulkEndMessage,
  type BulkStartMessage,
  type DeadLetterMessage,
  type RetryMessage,
} from './diagnostics.js';
export {
  ACK_KINDS,
  BULK_ACTIONS,
  VERSION_TYPES,
  type Ack,
  type AckKind,
  type BulkAction,
  type DeadLetterReason,
  type SinkItem,
  type SinkStats,
  type VersionType,
  type WriteOptions,
} from './types.js';
export {
  BatchBuffer,
  FLUSH_REASONS,
  type Batch,
  type BatchLimits,
  type FlushReason,
} from './batching/batch-buffer.js';
export {
  RetryPolicy,
  NO_RETRY_DEADLINE,
  RETRY_DEADLINE_EXCEEDED,
  type RetryDecision,
  type RetryPolicyOptions,
} from './retry/retry-policy.js';
export { ConcurrencyLimit, type ConcurrencyOptions } from './retry/adaptive-concurrency.js';
export {
  classifyItem,
  classifyRequestError,
  splitInHalves,
  ITEM_OUTCOMES,
  RETRIABLE_ERROR_TYPES,
  type BulkResponseItem,
  type ItemOutcome,
  type RequestOutcome,
} from './outcome.js';
export { compileIndexPattern, formatUtcDate, patternWildcard } from './index-management/index-name.js';
export {
  installIndexTemplate,
  templateBody,
  type IndexTemplateSpec,
} from './index-management/index-template.js';

export const VERSION = '0.1.0';
export {
  createKafkaEsConnector,
  type ConnectorHealth,
  type ConnectorStats,
  type KafkaEsConnector,
} from './connector/kafka-es-connector.js';
export {
  CONNECTOR_DEFAULTS,
  CONNECTOR_SETTING_SPECS,
  checkKafkaEsConnectorOptions,
  defaultDeadLetterTopic,
  type ConnectorLogger,
  type KafkaEsConnectorOptions,
  type RecordContext,
} from './connector/connector-options.js';
export {
  ConnectorThread,
  type ConnectorFactoryRef,
  type EmbeddedConnector,
} from './connector/connector-thread.js';
export { OffsetTracker, type OffsetToken } from './connector/offset-tracker.js';
export {
  RECORD_FORMATS,
  VERSION_SOURCES,
  RecordMappingError,
  jsonMapper,
  jsonObjectValue,
  windowResultMapper,
  windowResultTemplate,
  type MappedRecord,
  type RecordFormat,
  type RecordMapper,
  type SourceRecord,
  type VersionSource,
} from './connector/record-mapper.js';
export { DEAD_LETTER_HEADERS, deadLetterMessage } from './connector/dead-letter-record.js';
export { connectorLoggerFor } from './connector/connector-logger.js';
/** The options of the `tributary-es-sink` CLI (flags, variables), e.g. for documentation. */
export { CLI_OPTIONS as ES_SINK_CLI_OPTIONS } from './cli/args.js';
export {
  DOCUMENT_OUTCOMES,
  NO_RESPONSE_STATUS,
  SINK_METRIC_NAMES,
  type DocumentOutcome,
  type SinkMetricName,
} from './metrics/metric-names.js';
