export const VERSION = '0.1.0';

export { ProducerError, ProducerErrorCodes } from './errors.js';
export type { ProducerErrorCode } from './errors.js';
export { Prng } from './random/prng.js';
export { ZipfDistribution } from './workload/zipf.js';
export { ClickstreamGenerator } from './workload/generator.js';
export type { GeneratedRecord } from './workload/generator.js';
export { CLICKSTREAM_OPTIONS, WORKLOAD_OPTIONS } from './workload/workload-options.js';
export type { WorkloadOptions } from './workload/workload-options.js';
export { FaultKinds, FAULT_KINDS, MalformedKinds, MALFORMED_KINDS } from './workload/faults.js';
export type { FaultKind, MalformedKind } from './workload/faults.js';
export { EVENT_TIME_RULES } from './ground-truth/event-time-rules.js';
export type { EventTimeRules } from './ground-truth/event-time-rules.js';
export { computeGroundTruth, GroundTruthAccumulator, Verdicts } from './ground-truth/ground-truth.js';
export type {
  GroundTruthEntry,
  GroundTruthManifest,
  GroundTruthOptions,
  GroundTruthTotals,
  InjectedCounts,
  Verdict,
  WindowCount,
} from './ground-truth/ground-truth.js';
export { PacingSchedule, plannedRecords } from './pacing/pacing-schedule.js';
export { systemClock, ManualClock } from './clock.js';
export type { Clock } from './clock.js';
export { HISTOGRAM_DEFAULTS, LatencyHistogram } from './stats/latency-histogram.js';
export type { LatencyHistogramOptions, LatencySummary } from './stats/latency-histogram.js';
export { formatPerfSummary, formatProgress } from './report/perf-summary.js';
export type { ProgressFigures, ThroughputFigures } from './report/perf-summary.js';
export { channels, CHANNEL_NAMES } from './diagnostics.js';
export { Compressions, COMPRESSIONS } from './kafka/compression.js';
export type { Compression } from './kafka/compression.js';
export { RecordAccumulator } from './kafka/record-accumulator.js';
export type { AccumulatorLimits, PendingRecord } from './kafka/record-accumulator.js';
export { LOAD_OPTIONS } from './load-options.js';
export type { LoadOptions } from './load-options.js';
export type { KafkaConnectionOptions } from './kafka/connection-options.js';
export { ClickstreamLoadGenerator, runLoad } from './kafka/load-runner.js';
export type { LoadReport, LoadRunHooks } from './kafka/load-runner.js';
export { createIngestGateway } from './gateway/ingest-gateway.js';
export type { IngestGateway } from './gateway/ingest-gateway.js';
export { GATEWAY_OPTIONS } from './gateway/gateway-options.js';
/** The options of `tributary-produce run` and `serve` (the library's plus --json, --log-level, --config). */
export {
  RUN_OPTIONS as PRODUCE_RUN_OPTIONS,
  SERVE_OPTIONS as PRODUCE_SERVE_OPTIONS,
} from './cli/commands.js';
export type { IngestGatewayOptions } from './gateway/gateway-options.js';
export { GatewayMetrics } from './gateway/gateway-metrics.js';
export type { GatewayMetricsOptions } from './gateway/gateway-metrics.js';
export type { GatewayLogger } from './gateway/gateway-logger.js';
export type { EventResult } from './gateway/event-parsing.js';
export { joinDelimited, splitDelimited } from './gateway/request-body.js';
