export const VERSION = '0.1.0';

// Kafka runtime
export { createStreamJob, JOB_STATES } from './runtime/stream-job.js';
export type { StreamJob, JobState } from './runtime/stream-job.js';
export type { JobService, JobServiceContext, JobServiceSpec } from './runtime/job-services.js';
export { installShutdownHandlers } from './runtime/shutdown.js';
export type { ShutdownOptions } from './runtime/shutdown.js';
export { RUNTIME_CHANNELS } from './runtime/diagnostics.js';
export { STREAM_JOB_OPTIONS, PROCESSING_GUARANTEES, LOG_LEVELS } from './config/stream-job-options.js';
export type {
  StreamJobOptions,
  MergeStageOptions,
  ExtraStageOptions,
  TaskFactory,
  TaskContext,
  TableOptions,
  ProcessingGuarantee,
  LogLevel,
} from './config/stream-job-options.js';
export { changelogTopic, transactionalId } from './kafka/topic-names.js';
/** The processor's metric names live in the contract package (the dashboard reads them); exported here too. */
export { PROCESSOR_METRIC_NAMES as METRIC_NAMES, WINDOW_FIRE_KINDS } from '@tributary/schema';
export type { ProcessorMetricName as MetricName, WindowFireKind } from '@tributary/schema';
export { EVENT_TIME_LATENCY_BUCKETS } from './metrics/processor-metrics.js';
export type { StreamJobStats } from './metrics/processor-metrics.js';

// Engine (pure): windows, watermarks, aggregates, state, dedup, tasks, enrichment
export { PROCESSOR_ERROR_CODES, ProcessorError, isProcessorError } from './errors.js';
export type { ProcessorErrorCode } from './errors.js';
export type {
  InputRecord,
  OutputRecord,
  OutputDestination,
  ChangelogEntry,
  PartitionTask,
} from './task/partition-task.js';
export type { OutputSink } from './task/output-sink.js';
export { WINDOW_KINDS, windowId } from './windows/window.js';
export type { TimeWindow, WindowAssigner, WindowKind } from './windows/window.js';
export { TumblingWindows } from './windows/tumbling.js';
export type { TumblingWindowOptions } from './windows/tumbling.js';
export { HoppingWindows } from './windows/hopping.js';
export type { HoppingWindowOptions } from './windows/hopping.js';
export { SessionWindows, mergeSessionWindow } from './windows/session.js';
export type { SessionWindowOptions, SessionMerge } from './windows/session.js';
export { createWindowAssigner } from './windows/window-spec.js';
export type { WindowSpec } from './windows/window-spec.js';
export { PartitionWatermark, WatermarkCombiner, IDLE_ADVANCE_MODES } from './time/watermarks.js';
export type {
  PartitionWatermarkOptions,
  WatermarkCombinerOptions,
  IdleAdvanceMode,
} from './time/watermarks.js';
export type { Aggregator } from './aggregate/aggregator.js';
export {
  countAggregator,
  sumAggregator,
  minAggregator,
  maxAggregator,
  avgAggregator,
} from './aggregate/builtins.js';
export type { AvgAccumulator } from './aggregate/builtins.js';
export { percentilesAggregator } from './aggregate/percentiles.js';
export type { PercentilesOptions, PercentilesResult } from './aggregate/percentiles.js';
export { clickstreamAggregator } from './aggregate/clickstream.js';
export type { PageCounts, PageEvent } from './aggregate/clickstream.js';
export { sessionActivityAggregator } from './aggregate/session-activity.js';
export type { SessionActivity, SessionSummary } from './aggregate/session-activity.js';
export { jsonCodec } from './state/codec.js';
export type { Codec } from './state/codec.js';
export { KeyedStore } from './state/keyed-store.js';
export type { KeyedStoreOptions, StoreSize } from './state/keyed-store.js';
export { DedupStore, DEDUP_DEFAULTS, DEDUP_VERDICTS } from './dedup/dedup-store.js';
export type { DedupStoreOptions, DedupVerdict } from './dedup/dedup-store.js';
export { FILTERED } from './engine/decoder.js';
export type { Decoder, DecodeResult } from './engine/decoder.js';
export { ENGINE_CHANNELS } from './engine/diagnostics.js';
export { ENGINE_DEFAULTS } from './engine/options.js';
export { STATE_LIMIT_CODES } from './engine/state-limits.js';
export type { StateLimitCode, StateLimitHit } from './engine/state-limits.js';
export type { EventTimeOptions, OutputNames } from './engine/options.js';
export { SIDE_OUTPUT_HEADERS, LATE_REASONS } from './engine/side-outputs.js';
export type { LateReason } from './engine/side-outputs.js';
export { jsonResultEncoder } from './engine/window-result.js';
export type { WindowedResult, EncodedResult, ResultEncoder, ResultFilter } from './engine/window-result.js';
export type { GateCounters } from './engine/partition-gate.js';
export { WindowedAggregationTask } from './engine/windowed-aggregation-task.js';
export type { WindowedAggregationTaskOptions } from './engine/windowed-aggregation-task.js';
export { PartialAggregationTask, PARTIAL_TASK_DEFAULTS } from './engine/partial-aggregation-task.js';
export type { AcceptedEventOutput, EncodedEvent } from './engine/accepted-events.js';
export type { PartialAggregationTaskOptions } from './engine/partial-aggregation-task.js';
export { MergeTask } from './engine/merge-task.js';
export type { MergeTaskOptions, MergeAggregator } from './engine/merge-task.js';
export { SessionWindowTask } from './engine/session-window-task.js';
export type { SessionWindowTaskOptions } from './engine/session-window-task.js';
export {
  REPARTITION_FORMAT_VERSION,
  encodeRepartitionRecord,
  decodeRepartitionRecord,
} from './engine/repartition-format.js';
export type { RepartitionRecord, PartialRecord, WatermarkRecord } from './engine/repartition-format.js';
export { JoinSideTask } from './engine/join-side-task.js';
export type { JoinSideTaskOptions } from './engine/join-side-task.js';
export { IntervalJoinTask, INTERVAL_JOIN_DEFAULTS } from './engine/interval-join-task.js';
export type { IntervalJoinTaskOptions, IntervalJoinSide } from './engine/interval-join-task.js';
export { JOIN_SIDES, encodeJoinRecord, decodeJoinRecord } from './engine/join-record-format.js';
export { intervalJoinStages, JOIN_RIGHT_STAGE } from './engine/interval-join-job.js';
export type {
  IntervalJoinJobOptions,
  IntervalJoinSource,
  IntervalJoinStages,
} from './engine/interval-join-job.js';
export type {
  JoinSide,
  JoinRecord,
  JoinEventRecord,
  JoinWatermarkRecord,
  JoinSourceRecord,
} from './engine/join-record-format.js';
export {
  CLICKSTREAM_JOB_DEFAULTS,
  clickstreamDecoder,
  encodeClickstreamResult,
  clickstreamPartialTask,
  clickstreamMergeTask,
  clickstreamWindowedTask,
  clickstreamSessionTask,
} from './engine/clickstream-job.js';
export type { ClickstreamJobOptions, ClickstreamDecoderOptions } from './engine/clickstream-job.js';
export { EnrichmentTable } from './enrichment/enrichment-table.js';
export type {
  EnrichmentTableOptions,
  EnrichmentTableStats,
  TableRecord,
} from './enrichment/enrichment-table.js';
export { TableLoader, TABLE_LOADER_DEFAULTS } from './enrichment/table-loader.js';
export type {
  TableLoaderOptions,
  TableLoaderStats,
  TableSource,
  TableSourceBatch,
  TableSourceRecord,
  TableSink,
  PartitionRange,
} from './enrichment/table-loader.js';
export {
  enrichClickstreamEvent,
  clickstreamEnrichedEncoder,
  ENRICHED_EVENT_MAPPINGS,
} from './enrichment/clickstream-enrichment.js';
export type {
  PageInfo,
  UserInfo,
  EnrichedClickstreamEvent,
  ClickstreamEnrichmentTables,
} from './enrichment/clickstream-enrichment.js';

// Stream DSL: a typed, declarative job compiled onto the engine tasks and createStreamJob
export { streamJob } from './dsl/stream-job.js';
export type { StreamJobBuilder } from './dsl/stream-job.js';
export type { Stream, KeyedStream, WindowedStream, AggregatedStream } from './dsl/stream.js';
export type { JoinedStream } from './dsl/joined-stream.js';
export type { JoinSpec, JoinSinkOptions, PerSide } from './dsl/join-plan.js';
export type { StreamPlan } from './dsl/stream-plan.js';
export { ELASTICSEARCH_SERVICE } from './dsl/elasticsearch-sink.js';
export type { ElasticsearchSinkOptions } from './dsl/elasticsearch-sink.js';
export { WINDOWED_RESULT_DATE_FIELD, windowedResultMapper } from './dsl/windowed-result-documents.js';
export { PLAN_KINDS, DSL_OUTPUTS } from './dsl/planner.js';
export type { PhysicalPlan, PlanKind } from './dsl/planner.js';
export { EMIT_MODES } from './dsl/logical-plan.js';
export type {
  StreamJobSettings,
  EventCodec,
  SourceOptions,
  KeySelector,
  StringField,
  WindowSettings,
  DedupSettings,
  EmitMode,
  UpdateSettings,
  SinkOptions,
  AcceptedSettings,
} from './dsl/logical-plan.js';
export { tumbling, hopping, session } from './dsl/windows.js';
export { table } from './dsl/table.js';
export type { TableRef } from './dsl/table.js';
export type { Duration, DurationUnit, SignedDuration } from './dsl/duration.js';
export { clickstreamCodec } from './dsl/clickstream-codec.js';
export {
  countAggregator as count,
  sumAggregator as sum,
  minAggregator as min,
  maxAggregator as max,
  avgAggregator as avg,
} from './aggregate/builtins.js';

// Reference clickstream app and its configuration
export { createClickstreamApp } from './app/clickstream.js';
export { clickstreamJob, clickstreamTables, INDEX_DEAD_LETTER_OUTPUT } from './app/clickstream-job.js';
export type { ClickstreamJobRuntime, ClickstreamTables } from './app/clickstream-job.js';
export type { ClickstreamApp, ClickstreamAppDependencies } from './app/clickstream.js';
export { enrichedEventMapper } from './app/enriched-events-index.js';
export { PROCESSOR_OPTIONS, resolveProcessorConfig } from './config/processor-config.js';
/** The options of the `tributary-processor clickstream` CLI (the app's plus --config, --print-config). */
export { CLI_OPTIONS as PROCESSOR_CLI_OPTIONS } from './config/cli-options.js';
export type { ProcessorConfig, ProcessorConfigInput } from './config/processor-config.js';
export { parseCli } from './config/cli-options.js';
export type { ParsedCli } from './config/cli-options.js';
