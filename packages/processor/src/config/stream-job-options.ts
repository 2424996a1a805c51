import type { Registry } from 'prom-client';
import type { Logger } from '@tributary/observability';
import { invalidOption } from '../errors.js';
import type { EnrichmentTable } from '../enrichment/enrichment-table.js';
import type { PartitionTask } from '../task/partition-task.js';
import { EVENT_TIME_DEFAULTS } from '@tributary/schema';

/** How results, changelog and input offsets are committed. */
export const PROCESSING_GUARANTEES = ['exactly-once', 'at-least-once'] as const;
export type ProcessingGuarantee = (typeof PROCESSING_GUARANTEES)[number];

export const LOG_LEVELS = ['nothing', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a task factory learns about the stage it serves. */
export interface TaskContext {
  /** The stage's consumer group id (`applicationId`, or `${applicationId}-merge`). */
  readonly stageId: string;
  /** Partitions of the topic this stage consumes. */
  readonly partitionCount: number;
  /** Merge stage only: partitions of the stage-1 input topic (the upstream partitions that report watermarks). */
  readonly upstreamPartitionCount: number | undefined;
  /** The job's reference-data tables by name (`tables` option): loaded before the first record, kept current. */
  readonly tables: Readonly<Record<string, EnrichmentTable<unknown>>>;
}

/** A reference-data table fed by a (compacted) topic: every instance reads all partitions (broadcast). */
export interface TableOptions {
  readonly topic: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any value type; the factory knows its own
  readonly table: EnrichmentTable<any>;
}

/** Creates the task that owns one input partition. Called on assignment, and again after a recovery. */
export type TaskFactory = (topic: string, partition: number, context: TaskContext) => PartitionTask;

/** The optional second stage: consumes the `repartition` output topic in its own group `${applicationId}-merge`. */
export interface MergeStageOptions {
  readonly taskFactory: TaskFactory;
}

/** An independent stage in the same process: consumes `input.topic` in its own group `${applicationId}-${name}`. */
export interface ExtraStageOptions {
  readonly name: string;
  readonly input: { readonly topic: string };
  readonly taskFactory: TaskFactory;
}

export interface StreamJobOptions {
  /** Names the consumer groups, transactional ids and changelog topics. Letters, digits, `.`, `_`, `-`. */
  readonly applicationId: string;
  readonly brokers: readonly string[];
  readonly input: { readonly topic: string };
  readonly taskFactory: TaskFactory;
  /**
   * Logical output name → topic; `null` discards that output's records (counted, never written). A task writing
   * to an unmapped output fails the commit.
   */
  readonly outputs: Readonly<Record<string, string | null>>;
  readonly merge?: MergeStageOptions;
  readonly extraStages?: readonly ExtraStageOptions[];
  /**
   * Reference-data tables by name: each is loaded from its topic (read_committed, every partition, to the end
   * offsets) before any stage starts, then kept current while the job runs. Task factories see them in
   * `TaskContext.tables`. A missing topic is created compacted with one partition (unless `createTopics` is off).
   */
  readonly tables?: Readonly<Record<string, TableOptions>>;
  readonly commitIntervalMs?: number;
  readonly maxUncommittedRecords?: number;
  readonly processingGuarantee?: ProcessingGuarantee;
  readonly transactionTimeoutMs?: number;
  readonly createTopics?: boolean;
  readonly topicPartitions?: number;
  readonly repartitionPartitions?: number;
  readonly replicationFactor?: number;
  readonly fromBeginning?: boolean;
  readonly partitionsConsumedConcurrently?: number;
  readonly maxWaitTimeInMs?: number;
  readonly sessionTimeoutMs?: number;
  /**
   * How old a consumer's topic metadata may get before it is fetched again: partitions added to an input topic while
   * the job runs are picked up (a rebalance) within this time.
   */
  readonly metadataMaxAgeMs?: number;
  readonly maxRestarts?: number;
  /**
   * A stage whose restarts keep failing fails the job only once they lasted this long too (and numbered
   * `maxRestarts`): an outage shorter than it is ridden out.
   */
  readonly restartTimeoutMs?: number;
  readonly clientId?: string;
  readonly logLevel?: LogLevel;
  /** prom-client registry to register the runtime's metrics in; none → metrics are only kept in `job.metrics`. */
  readonly registry?: Registry;
  /**
   * Serve `/metrics` and `/health` on this port (0 = a free one, see `job.metricsUrl`). Without `registry` the job
   * creates its own, with the default process metrics. None (the default) → no server.
   */
  readonly metricsPort?: number;
  /** @defaultValue '127.0.0.1' — interface of the metrics server. */
  readonly metricsHost?: string;
  /** Processing time without records after which a partition counts as idle (the idle-partitions gauge). */
  readonly idleTimeoutMs?: number;
  /** pino logger for runtime events (assignments, restores, failed commits, restarts); none → no logs. */
  readonly logger?: Logger;
  /** Wall clock for `tick` and durations; injectable for tests. */
  readonly now?: () => number;
  /** Called once when the job gives up (a stage used up its restart budget). */
  readonly onError?: (error: Error) => void;
}

/** Defaults of every optional `createStreamJob` option. */
export const STREAM_JOB_DEFAULTS = {
  /** @defaultValue 200 — how often each task's outputs, changelog and offset are committed. */
  commitIntervalMs: 200,
  /**
   * @defaultValue 50 000 — a task that was fed this many records since its last commit commits before taking more.
   * Above what one partition takes in a commit interval at a few hundred thousand records/s, so backpressure commits
   * (each flushes every changed partial and runs a transaction) do not outnumber interval commits.
   */
  maxUncommittedRecords: 50_000,
  /** @defaultValue 'exactly-once' */
  processingGuarantee: 'exactly-once' as ProcessingGuarantee,
  /** @defaultValue 60 000 — must exceed commit interval + restart time. */
  transactionTimeoutMs: 60_000,
  /** @defaultValue true — create output, repartition and changelog topics when missing. */
  createTopics: true,
  /** @defaultValue 0 — partitions of created output topics; 0 = as many as the input topic. */
  topicPartitions: 0,
  /** @defaultValue 0 — partitions of the repartition topic (= merge parallelism); 0 = as many as the input. */
  repartitionPartitions: 0,
  /** @defaultValue 1 */
  replicationFactor: 1,
  /** @defaultValue true — where a group without committed offsets starts. */
  fromBeginning: true,
  /** @defaultValue 4 */
  partitionsConsumedConcurrently: 4,
  /** @defaultValue 100 */
  maxWaitTimeInMs: 100,
  /** @defaultValue 30 000 */
  sessionTimeoutMs: 30_000,
  /** @defaultValue 30 000 — partitions added to an input topic are picked up within this time. */
  metadataMaxAgeMs: 30_000,
  /** @defaultValue 5 — consecutive stage restarts (after failed commits) before the job fails. */
  maxRestarts: 5,
  /** @defaultValue 300 000 — a stage fails the job after failing this long (and maxRestarts times) in a row. */
  restartTimeoutMs: 300_000,
  /** @defaultValue 'tributary-processor' */
  clientId: 'tributary-processor',
  /** @defaultValue 'error' — kafkajs log level. */
  logLevel: 'error' as LogLevel,
  /** @defaultValue '127.0.0.1' */
  metricsHost: '127.0.0.1',
  /** @defaultValue 30 000 — as the engine's idle timeout. */
  idleTimeoutMs: EVENT_TIME_DEFAULTS.idleTimeoutMs,
} as const;

export interface ResolvedStreamJobOptions {
  readonly applicationId: string;
  readonly brokers: readonly string[];
  readonly inputTopic: string;
  readonly taskFactory: TaskFactory;
  readonly outputs: ReadonlyMap<string, string | null>;
  readonly merge: MergeStageOptions | undefined;
  readonly extraStages: readonly ExtraStageOptions[];
  readonly tables: ReadonlyMap<string, TableOptions>;
  readonly commitIntervalMs: number;
  readonly maxUncommittedRecords: number;
  readonly processingGuarantee: ProcessingGuarantee;
  readonly transactionTimeoutMs: number;
  readonly createTopics: boolean;
  readonly topicPartitions: number;
  readonly repartitionPartitions: number;
  readonly replicationFactor: number;
  readonly fromBeginning: boolean;
  readonly partitionsConsumedConcurrently: number;
  readonly maxWaitTimeInMs: number;
  readonly sessionTimeoutMs: number;
  readonly metadataMaxAgeMs: number;
  readonly maxRestarts: number;
  readonly restartTimeoutMs: number;
  readonly clientId: string;
  readonly logLevel: LogLevel;
  readonly registry: Registry | undefined;
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
  readonly idleTimeoutMs: number;
  readonly logger: Logger | undefined;
  readonly now: () => number;
  readonly onError: ((error: Error) => void) | undefined;
}

const NAME = /^[A-Za-z0-9._-]+$/;

/** Validates once and fills defaults. Throws `TRIB_PROC_INVALID_OPTION` naming the option. */
export function resolveStreamJobOptions(options: StreamJobOptions): ResolvedStreamJobOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'must be an object');
  const o = options;
  if (typeof o.applicationId !== 'string' || !NAME.test(o.applicationId) || o.applicationId.length > 200) {
    throw invalidOption('applicationId', 'must be 1–200 characters of letters, digits, ".", "_" or "-"');
  }
  if (!Array.isArray(o.brokers) || o.brokers.length === 0 || !o.brokers.every(isHostPort)) {
    throw invalidOption('brokers', 'must be a non-empty array of "host:port" strings');
  }
  if (typeof o.input !== 'object' || o.input === null || !isTopicName(o.input.topic)) {
    throw invalidOption('input.topic', 'must be a valid Kafka topic name');
  }
  if (typeof o.taskFactory !== 'function')
    throw invalidOption('taskFactory', 'must be a function (topic, partition) => PartitionTask');
  if (typeof o.outputs !== 'object' || o.outputs === null)
    throw invalidOption('outputs', 'must be an object of output name → topic');
  const outputs = new Map<string, string | null>();
  for (const [name, topic] of Object.entries(o.outputs)) {
    if (topic === null && name !== 'repartition') {
      outputs.set(name, null);
      continue;
    }
    if (!isTopicName(topic)) throw invalidOption(`outputs.${name}`, 'must be a valid Kafka topic name');
    if (topic === o.input.topic) throw invalidOption(`outputs.${name}`, 'must differ from input.topic');
    outputs.set(name, topic);
  }
  if (o.merge !== undefined) {
    if (typeof o.merge !== 'object' || o.merge === null || typeof o.merge.taskFactory !== 'function') {
      throw invalidOption('merge.taskFactory', 'must be a function (topic, partition) => PartitionTask');
    }
    if (!outputs.has('repartition'))
      throw invalidOption('outputs.repartition', 'is required when merge is set');
  }
  const extraStages = o.extraStages ?? [];
  if (!Array.isArray(extraStages)) throw invalidOption('extraStages', 'must be an array');
  const names = new Set<string>(['merge']);
  extraStages.forEach((stage: ExtraStageOptions, i: number) => {
    if (
      typeof stage !== 'object' ||
      stage === null ||
      typeof stage.name !== 'string' ||
      !NAME.test(stage.name) ||
      names.has(stage.name)
    ) {
      throw invalidOption(
        `extraStages[${i}].name`,
        'must be a unique name of letters, digits, ".", "_" or "-" (not "merge")',
      );
    }
    names.add(stage.name);
    if (typeof stage.input !== 'object' || stage.input === null || !isTopicName(stage.input.topic)) {
      throw invalidOption(`extraStages[${i}].input.topic`, 'must be a valid Kafka topic name');
    }
    if (typeof stage.taskFactory !== 'function') {
      throw invalidOption(
        `extraStages[${i}].taskFactory`,
        'must be a function (topic, partition, context) => PartitionTask',
      );
    }
  });
  if (o.tables !== undefined && (typeof o.tables !== 'object' || o.tables === null)) {
    throw invalidOption('tables', 'must be an object of table name → { topic, table }');
  }
  const tables = new Map<string, TableOptions>();
  for (const [name, spec] of Object.entries(o.tables ?? {})) {
    if (!NAME.test(name)) throw invalidOption(`tables.${name}`, 'name must match [A-Za-z0-9._-]+');
    if (typeof spec !== 'object' || spec === null || !isTopicName(spec.topic)) {
      throw invalidOption(`tables.${name}.topic`, 'must be a valid Kafka topic name');
    }
    if (typeof spec.table?.apply !== 'function' || typeof spec.table.lookup !== 'function') {
      throw invalidOption(`tables.${name}.table`, 'must be an EnrichmentTable');
    }
    tables.set(name, spec);
  }
  const d = STREAM_JOB_DEFAULTS;
  const commitIntervalMs = int('commitIntervalMs', o.commitIntervalMs, d.commitIntervalMs, 10, 600_000);
  const processingGuarantee = oneOf(
    'processingGuarantee',
    o.processingGuarantee,
    d.processingGuarantee,
    PROCESSING_GUARANTEES,
  );
  const transactionTimeoutMs = int(
    'transactionTimeoutMs',
    o.transactionTimeoutMs,
    d.transactionTimeoutMs,
    1_000,
    900_000,
  );
  if (transactionTimeoutMs <= commitIntervalMs) {
    throw invalidOption(
      'transactionTimeoutMs',
      `must exceed commitIntervalMs (${commitIntervalMs}) plus restart time`,
    );
  }
  const sessionTimeoutMs = int('sessionTimeoutMs', o.sessionTimeoutMs, d.sessionTimeoutMs, 6_000, 300_000);
  return {
    applicationId: o.applicationId,
    brokers: [...o.brokers],
    inputTopic: o.input.topic,
    taskFactory: o.taskFactory,
    outputs,
    merge: o.merge,
    extraStages: [...extraStages],
    tables,
    commitIntervalMs,
    maxUncommittedRecords: int(
      'maxUncommittedRecords',
      o.maxUncommittedRecords,
      d.maxUncommittedRecords,
      1,
      10_000_000,
    ),
    processingGuarantee,
    transactionTimeoutMs,
    createTopics: bool('createTopics', o.createTopics, d.createTopics),
    topicPartitions: int('topicPartitions', o.topicPartitions, d.topicPartitions, 0, 10_000),
    repartitionPartitions: int(
      'repartitionPartitions',
      o.repartitionPartitions,
      d.repartitionPartitions,
      0,
      10_000,
    ),
    replicationFactor: int('replicationFactor', o.replicationFactor, d.replicationFactor, 1, 32),
    fromBeginning: bool('fromBeginning', o.fromBeginning, d.fromBeginning),
    partitionsConsumedConcurrently: int(
      'partitionsConsumedConcurrently',
      o.partitionsConsumedConcurrently,
      d.partitionsConsumedConcurrently,
      1,
      1_000,
    ),
    maxWaitTimeInMs: int('maxWaitTimeInMs', o.maxWaitTimeInMs, d.maxWaitTimeInMs, 0, 30_000),
    sessionTimeoutMs,
    metadataMaxAgeMs: int('metadataMaxAgeMs', o.metadataMaxAgeMs, d.metadataMaxAgeMs, 100, 3_600_000),
    maxRestarts: int('maxRestarts', o.maxRestarts, d.maxRestarts, 0, 1_000),
    restartTimeoutMs: int('restartTimeoutMs', o.restartTimeoutMs, d.restartTimeoutMs, 0, 86_400_000),
    clientId: str('clientId', o.clientId, d.clientId),
    logLevel: oneOf('logLevel', o.logLevel, d.logLevel, LOG_LEVELS),
    registry: o.registry,
    metricsPort: o.metricsPort === undefined ? undefined : int('metricsPort', o.metricsPort, 0, 0, 65_535),
    metricsHost: str('metricsHost', o.metricsHost, d.metricsHost),
    idleTimeoutMs: int('idleTimeoutMs', o.idleTimeoutMs, d.idleTimeoutMs, 0, 86_400_000),
    logger: loggerOption(o.logger),
    now: fn('now', o.now) ?? Date.now,
    onError: fn('onError', o.onError),
  };
}

function loggerOption(value: Logger | undefined): Logger | undefined {
  if (value === undefined) return undefined;
  const v = value as Partial<Record<'info' | 'warn' | 'error' | 'child', unknown>>;
  if (
    typeof value !== 'object' ||
    value === null ||
    ['info', 'warn', 'error', 'child'].some((m) => typeof v[m as 'info'] !== 'function')
  )
    throw invalidOption('logger', 'must be a pino logger (info, warn, error, child)');
  return value;
}

function isHostPort(value: unknown): boolean {
  return typeof value === 'string' && /^[^\s:]+:\d{1,5}$/.test(value);
}

function isTopicName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= 249 &&
    NAME.test(value) &&
    value !== '.' &&
    value !== '..'
  );
}

function int(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(name, `must be an integer from ${min} to ${max} (got ${String(value)})`);
  }
  return value;
}

function bool(name: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(name, `must be a boolean (got ${String(value)})`);
  return value;
}

function str(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0)
    throw invalidOption(name, 'must be a non-empty string');
  return value;
}

function oneOf<T extends string>(name: string, value: T | undefined, fallback: T, allowed: readonly T[]): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value))
    throw invalidOption(name, `must be one of ${allowed.join(', ')} (got ${String(value)})`);
  return value;
}

function fn<F>(name: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalidOption(name, 'must be a function');
  return value;
}
