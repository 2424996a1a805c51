export const VERSION = '0.1.0';

// Kafka runtime
export { createStreamJob, JOB_STATES } from './runtime/stream-job.js';
export type { StreamJob, JobState } from './runtime/stream-job.js';
export { installShutdownHandlers } from './runtime/shutdown.js';
export type { ShutdownOptions } from './runtime/shutdown.js';
export { RUNTIME_CHANNELS } from './runtime/diagnostics.js';
export { STREAM_JOB_DEFAULTS, PROCESSING_GUARANTEES, LOG_LEVELS } from './config/stream-job-options.js';
export type {
  StreamJobOptions,
  MergeStageOptions,
  TaskFactory,
  TaskContext,
  ProcessingGuarantee,
  LogLevel,
} from './config/stream-job-options.js';
export { changelogTopic, transactionalId } from './kafka/topic-names.js';
export { METRIC_NAMES } from './metrics/metric-names.js';
export type { StreamJobStats } from './metrics/processor-metrics.js';
