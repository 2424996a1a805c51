export const VERSION = '0.1.0';

export {
  BENCH_ERROR_CODES,
  BenchError,
  InvalidOptionError,
  InvalidResultsError,
  isBenchError,
} from './errors.js';
export type { BenchErrorCode, BenchErrorOptions } from './errors.js';

export { HISTOGRAM_DEFAULTS, LatencyHistogram } from './histograms/latency-histogram.js';
export type { LatencyHistogramOptions } from './histograms/latency-histogram.js';
export { REPORTED_PERCENTILES, percentileCurve, summarize } from './histograms/percentiles.js';
export type { LatencySummary, PercentilePoint } from './histograms/percentiles.js';
export { OpenLoopRecorder } from './histograms/open-loop-recorder.js';
export type { EncodedOpenLoopHistograms } from './histograms/open-loop-recorder.js';

export { systemClock, systemSleep } from './pacing/clock.js';
export type { Clock, Sleep } from './pacing/clock.js';
export { ConstantRateSchedule, SCHEDULE_DEFAULTS } from './pacing/constant-rate-schedule.js';
export type { ConstantRateScheduleOptions, ScheduledOperation } from './pacing/constant-rate-schedule.js';
export { PACER_DEFAULTS, runOpenLoop } from './pacing/open-loop-pacer.js';
export type { OpenLoopRunOptions, OpenLoopRunStats } from './pacing/open-loop-pacer.js';

export { cpuPercent } from './resources/cpu-percent.js';
export {
  findProcesses,
  parseProcStat,
  parseProcStatus,
  procAvailable,
  readProcess,
} from './resources/proc-stat.js';
export type { ProcReaderOptions, ProcStat, ProcStatus, ProcessReading } from './resources/proc-stat.js';
export { RESOURCE_SAMPLER_DEFAULTS, ResourceSampler } from './resources/resource-sampler.js';
export type {
  ResourceSample,
  ResourceSamplerOptions,
  ResourceTarget,
  SelfProbe,
} from './resources/resource-sampler.js';
export { summarizeResources } from './resources/resource-summary.js';
export type { ResourceSummary } from './resources/resource-summary.js';
