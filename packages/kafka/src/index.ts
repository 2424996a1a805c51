export { createKafkaClient, DEFAULT_KAFKA_RETRY } from './kafka-client.js';
export { ConsumerCrashPolicy, isPermanentConsumerError, runConsumerKeptAlive } from './consumer-restarts.js';
export type { CrashDecision, CrashPolicyOptions, KeepRunningOptions } from './consumer-restarts.js';
export type { KafkaClientOptions } from './kafka-client.js';
export { loadKafkajs, kafkajsPatches } from './kafkajs/kafkajs-module.js';
export type { KafkajsModule } from './kafkajs/kafkajs-module.js';
export type { KafkajsPatches } from './kafkajs/patches.js';
export type { FetchDecodingInstall } from './kafkajs/fetch-decoding.js';
export {
  KafkaLogLevel,
  KAFKA_LOG_LEVELS,
  kafkaLogCreator,
  kafkaLogFields,
  loggerLogWriter,
  isResponseError,
} from './kafka-log.js';
export type {
  KafkaLogLevelName,
  KafkaLogTargetLevel,
  KafkaLogWriter,
  KafkaLogCreatorOptions,
  LevelLogger,
} from './kafka-log.js';
export { registerLz4Codec, KafkaCompressionType } from './codecs.js';
export { createLz4Codec } from './lz4/lz4-codec.js';
export type { KafkaCodec, Lz4Codec, Lz4CodecOptions, Lz4Implementation } from './lz4/lz4-codec.js';
export { createGzipCodec } from './kafkajs/gzip-codec.js';
export type { GzipCodec, GzipCodecOptions } from './kafkajs/gzip-codec.js';
export {
  DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
  MAX_DECOMPRESSED_BATCH_BYTES_ENV,
} from './kafkajs/decompression-cap.js';
export type { DecompressOptions } from './kafkajs/decompression-cap.js';
export { groupMessagesPerPartition } from './kafkajs/linear-grouping.js';
export {
  recordOffsetNumber,
  recordTimestampNumber,
  RECORD_OFFSET,
  RECORD_TIMESTAMP,
} from './kafkajs/record-numbers.js';
export {
  fetchStableCommittedOffsets,
  DEFAULT_STABLE_OFFSETS_OPTIONS,
} from './offsets/stable-committed-offsets.js';
export type {
  CommittedTopicOffsets,
  StableOffsetsOptions,
  StableOffsetsTopic,
} from './offsets/stable-committed-offsets.js';
export {
  murmur2,
  partitionForKey,
  explicitFirstPartitioner,
  ExplicitFirstPartitioner,
} from './partitioning.js';
export {
  KafkaError,
  KafkaErrorCodes,
  KAFKA_ERROR_CODES,
  BatchTooLargeError,
  isKafkaError,
} from './errors.js';
export type { KafkaErrorCode, BatchTooLargeDetails } from './errors.js';
/** kafkajs' types: import them from here, never from kafkajs (which only this package loads). */
export type {
  Admin,
  Consumer,
  ConsumerConfig,
  EachBatchPayload,
  IHeaders,
  ITopicConfig,
  ICustomPartitioner,
  Kafka,
  KafkaConfig,
  KafkaMessage,
  LogEntry,
  Message,
  PartitionAssigner,
  PartitionerArgs,
  Producer,
  ProducerConfig,
  RecordMetadata,
  RetryOptions,
  TopicMessages,
  TopicPartitionOffsetAndMetadata,
  Transaction,
  logCreator,
} from 'kafkajs';
export const VERSION = '0.1.0';
export {
  KAFKA_CLIENT_SECURITY_OPTION_SPECS,
  KAFKA_SASL_MECHANISMS,
  KAFKA_SECURITY_OPTION_SPECS,
  kafkaSecurity,
  kafkaSecurityEnv,
  kafkaSecurityFailure,
} from './kafka-security.js';
export type {
  KafkaSaslMechanism,
  KafkaSecurity,
  KafkaSecurityContext,
  KafkaSecurityOptions,
  OauthBearerProvider,
} from './kafka-security.js';
