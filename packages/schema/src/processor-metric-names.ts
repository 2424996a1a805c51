/**
 * Every Prometheus metric the processor runtime registers, in one place: the contract between the processor, which
 * registers them, and what reads them (the dashboard, the alert rules, the bench).
 * Labels: `stage`, `topic`, `partition`, `output`, `kind`, `code`, `store`.
 */
export const PROCESSOR_METRIC_NAMES = {
  recordsIn: 'tributary_processor_records_in_total',
  recordsOut: 'tributary_processor_records_out_total',
  changelogRecords: 'tributary_processor_changelog_records_total',
  commitDuration: 'tributary_processor_commit_duration_seconds',
  commitFailures: 'tributary_processor_commit_failures_total',
  consecutiveCommitFailures: 'tributary_processor_consecutive_commit_failures',
  restoreDuration: 'tributary_processor_restore_duration_seconds',
  restoredRecords: 'tributary_processor_restored_records_total',
  consumerLag: 'tributary_processor_consumer_lag',
  watermark: 'tributary_processor_watermark_ms',
  watermarkLag: 'tributary_processor_watermark_lag_seconds',
  idlePartitions: 'tributary_processor_idle_partitions',
  windowsOpen: 'tributary_processor_windows_open',
  windowsFired: 'tributary_processor_windows_fired_total',
  lateEvents: 'tributary_processor_late_events_total',
  deadLetters: 'tributary_processor_dead_letters_total',
  dedupEvictions: 'tributary_processor_dedup_evictions_total',
  oversizedRecords: 'tributary_processor_oversized_records_total',
  stateEntries: 'tributary_processor_state_entries',
  eventTimeLatency: 'tributary_processor_event_time_latency_seconds',
  stageRestarts: 'tributary_processor_stage_restarts_total',
  activeTasks: 'tributary_processor_active_tasks',
} as const;

export type ProcessorMetricName = (typeof PROCESSOR_METRIC_NAMES)[keyof typeof PROCESSOR_METRIC_NAMES];

/** Values of the `kind` label of `windows_fired_total`. */
export const WINDOW_FIRE_KINDS = ['final', 'update'] as const;
export type WindowFireKind = (typeof WINDOW_FIRE_KINDS)[number];
