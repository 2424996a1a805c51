/** Every Prometheus metric the processor runtime registers, in one place. Labels: `stage`, `topic`, `partition`, `output`. */
export const METRIC_NAMES = {
  recordsIn: 'tributary_processor_records_in_total',
  recordsOut: 'tributary_processor_records_out_total',
  changelogRecords: 'tributary_processor_changelog_records_total',
  commitDuration: 'tributary_processor_commit_duration_seconds',
  commitFailures: 'tributary_processor_commit_failures_total',
  restoreDuration: 'tributary_processor_restore_duration_seconds',
  restoredRecords: 'tributary_processor_restored_records_total',
  consumerLag: 'tributary_processor_consumer_lag',
  watermark: 'tributary_processor_watermark_ms',
  stageRestarts: 'tributary_processor_stage_restarts_total',
  activeTasks: 'tributary_processor_active_tasks',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];
