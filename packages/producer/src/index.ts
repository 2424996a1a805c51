export const VERSION = '0.1.0';

export { ProducerError, ProducerErrorCodes } from './errors.js';
export type { ProducerErrorCode } from './errors.js';
export { Prng } from './random/prng.js';
export { ZipfDistribution } from './workload/zipf.js';
export { murmur2, partitionForKey } from './partitioner.js';
export { ClickstreamGenerator } from './workload/generator.js';
export type { GeneratedRecord } from './workload/generator.js';
export { WORKLOAD_DEFAULTS, resolveWorkloadOptions } from './workload/workload-options.js';
export type { WorkloadOptions } from './workload/workload-options.js';
export { FaultKinds, FAULT_KINDS, MalformedKinds, MALFORMED_KINDS } from './workload/faults.js';
export type { FaultKind, MalformedKind } from './workload/faults.js';
export { EVENT_TIME_DEFAULTS, windowStartOf, isLate } from './ground-truth/event-time-rules.js';
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
