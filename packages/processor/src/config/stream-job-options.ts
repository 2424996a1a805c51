import type { Registry } from 'prom-client';
import { KAFKA_CLIENT_SECURITY_OPTION_SPECS } from '@tributary/kafka';
import type { Logger } from '@tributary/observability';
import { option, z, type OptionInput, type OptionValues } from '@tributary/options';
import { invalidOption } from '../errors.js';
import type { EnrichmentTable } from '../enrichment/enrichment-table.js';
import type { OutputSink } from '../task/output-sink.js';
import type { PartitionTask } from '../task/partition-task.js';
import type { JobServiceSpec } from '../runtime/job-services.js';
import { EVENT_TIME_DEFAULTS } from '@tributary/schema';
import { brokerList, fn, name, processorOptions, topicName } from './option-schemas.js';

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

/** Creates the task that owns one input partition. Called on assignment, and again after a recovery. */
export type TaskFactory = (topic: string, partition: number, context: TaskContext) => PartitionTask;

const taskFactory = fn<TaskFactory>(' (topic, partition, context) => PartitionTask');
const input = z.object({ topic: topicName });

const mergeStage = z.object({ taskFactory });
/** The optional second stage: consumes the `repartition` output topic in its own group `${applicationId}-merge`. */
export type MergeStageOptions = z.input<typeof mergeStage>;

const extraStage = z.object({ name, input, taskFactory });
/** An independent stage in the same process: consumes `input.topic` in its own group `${applicationId}-${name}`. */
export type ExtraStageOptions = z.input<typeof extraStage>;

const table = z.object({
  topic: topicName,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any value type; the factory knows its own
  table: z.custom<EnrichmentTable<any>>(
    (t) =>
      typeof (t as EnrichmentTable<unknown> | undefined)?.apply === 'function' &&
      typeof (t as EnrichmentTable<unknown>).lookup === 'function',
    'must be an EnrichmentTable',
  ),
});
/** A reference-data table fed by a (compacted) topic: every instance reads all partitions (broadcast). */
export type TableOptions = z.input<typeof table>;

const isLogger = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  ['info', 'warn', 'error', 'child'].every(
    (m) => typeof (value as Record<string, unknown>)[m] === 'function',
  );

/** The options of `createStreamJob`, declared once: types, defaults and the messages naming a bad one. */
export const STREAM_JOB_OPTION_SPECS = {
  /** Names the consumer groups, transactional ids and changelog topics. Letters, digits, `.`, `_`, `-`. */
  applicationId: option(name.max(200), 'consumer group, transactional id and changelog prefix'),
  brokers: option(brokerList, 'Kafka bootstrap servers, comma-separated host:port'),
  /** kafkajs' `ssl` and `sasl` (what `kafkaSecurity` of @tributary/kafka makes of the `--kafka-*` options). */
  ...KAFKA_CLIENT_SECURITY_OPTION_SPECS,
  input: option(input, 'the input topic of stage 1'),
  taskFactory: option(taskFactory, 'creates the task of one input partition'),
  /**
   * Logical output name → topic; `null` discards that output's records (counted, never written). A task writing
   * to an unmapped output fails the commit.
   */
  outputs: option(
    z.record(z.string(), topicName.nullable()).transform((o) => new Map(Object.entries(o))),
    'logical output name → topic (null: discarded)',
  ),
  /**
   * Logical output name → a sink the stage writes that output's records to itself, before each commit's offsets
   * (at-least-once only). The output may also map to a topic in `outputs` (both get the records) or to none.
   */
  outputSinks: option(
    z
      .record(
        z.string(),
        z.custom<OutputSink>(
          (s) => typeof (s as OutputSink | undefined)?.write === 'function',
          'must be an OutputSink (write(records) => Promise)',
        ),
      )
      .default({})
      .transform((o) => new Map(Object.entries(o))),
    'outputs written outside Kafka before each commit’s offsets (at-least-once)',
  ),
  merge: option(mergeStage.optional(), 'stage 2 over outputs.repartition'),
  extraStages: option(z.array(extraStage).readonly().default([]), 'independent stages in the same process'),
  /**
   * Reference-data tables by name: each is loaded from its topic (read_committed, every partition, to the end
   * offsets) before any stage starts, then kept current while the job runs. Task factories see them in
   * `TaskContext.tables`. A missing topic is created compacted with one partition (unless `createTopics` is off).
   */
  tables: option(
    z
      .record(z.string(), table)
      .default({})
      .transform((t) => new Map(Object.entries(t))),
    'reference-data tables by name',
  ),
  /**
   * Components run with the job in its process (e.g. the Elasticsearch connector of `StreamPlan.toElasticsearch`):
   * created with the job, started in order once its stages run (its topics exist), stopped after them; a failure
   * fails the job, and each one's health is part of the job's (`details.services.<name>`).
   */
  services: option(
    z
      .array(
        z.object({
          name,
          create: fn<JobServiceSpec['create']>(' (context) => JobService'),
        }),
      )
      .readonly()
      .default([]),
    'components started after the stages and stopped after them',
  ),
  /** @defaultValue 200 — how often each task's outputs, changelog and offset are committed. */
  commitIntervalMs: option(z.int().min(10).max(600_000).default(200), 'transaction commit interval per task'),
  /**
   * @defaultValue 50 000 — a task that was fed this many records since its last commit commits before taking more.
   * Above what one partition takes in a commit interval at a few hundred thousand records/s, so backpressure commits
   * (each flushes every changed partial and runs a transaction) do not outnumber interval commits.
   */
  maxUncommittedRecords: option(
    z.int().min(1).max(10_000_000).default(50_000),
    'records a task takes before it commits',
  ),
  processingGuarantee: option(
    z.enum(PROCESSING_GUARANTEES).default('exactly-once'),
    'how results, changelog and input offsets are committed',
  ),
  /** @defaultValue 60 000 — must exceed commit interval + restart time. */
  transactionTimeoutMs: option(z.int().min(1_000).max(900_000).default(60_000), 'Kafka transaction timeout'),
  /** @defaultValue true — create output, repartition and changelog topics when missing. */
  createTopics: option(z.boolean().default(true), 'create missing topics'),
  /** @defaultValue 0 — partitions of created output topics; 0 = as many as the input topic. */
  topicPartitions: option(
    z.int().min(0).max(10_000).default(0),
    'partitions of created output topics (0 = as the input)',
  ),
  /** @defaultValue 0 — partitions of the repartition topic (= merge parallelism); 0 = as many as the input. */
  repartitionPartitions: option(
    z.int().min(0).max(10_000).default(0),
    'partitions of the repartition topic = merge parallelism (0 = as the input)',
  ),
  replicationFactor: option(z.int().min(1).max(32).default(1), 'replication factor of created topics'),
  /** @defaultValue true — where a group without committed offsets starts. */
  fromBeginning: option(
    z.boolean().default(true),
    'a group without committed offsets starts at the beginning',
  ),
  partitionsConsumedConcurrently: option(
    z.int().min(1).max(1_000).default(4),
    'kafkajs eachBatch concurrency',
  ),
  maxWaitTimeInMs: option(z.int().min(0).max(30_000).default(100), 'fetch wait'),
  sessionTimeoutMs: option(
    z.int().min(6_000).max(300_000).default(30_000),
    'consumer group session timeout: how soon the partitions of a crashed instance are taken over',
  ),
  /**
   * How old a consumer's topic metadata may get before it is fetched again: partitions added to an input topic while
   * the job runs are picked up (a rebalance) within this time.
   */
  metadataMaxAgeMs: option(
    z.int().min(100).max(3_600_000).default(30_000),
    'partitions added to the input topic are picked up within this time',
  ),
  /** @defaultValue 5 — consecutive stage restarts (after failed commits) before the job fails. */
  maxRestarts: option(
    z.int().min(0).max(1_000).default(5),
    'consecutive stage restarts before the job fails',
  ),
  /**
   * A stage whose restarts keep failing fails the job only once they lasted this long too (and numbered
   * `maxRestarts`): an outage shorter than it is ridden out.
   */
  restartTimeoutMs: option(z.int().min(0).max(86_400_000).default(300_000), 'outage a stage rides out'),
  clientId: option(z.string().min(1).default('tributary-processor'), 'kafkajs client id'),
  /** @defaultValue 'error' — kafkajs log level. */
  logLevel: option(z.enum(LOG_LEVELS).default('error'), 'kafkajs log level'),
  /** prom-client registry to register the runtime's metrics in; none → metrics are only kept in `job.metrics`. */
  registry: option(
    z
      .custom<Registry>(
        (r) => typeof (r as Registry | undefined)?.registerMetric === 'function',
        'must be a prom-client Registry',
      )
      .optional(),
    'registry of the runtime metrics',
  ),
  /**
   * Serve `/metrics` and `/health` on this port (0 = a free one, see `job.metricsUrl`). Without `registry` the job
   * creates its own, with the default process metrics. None (the default) → no server.
   */
  metricsPort: option(z.int().min(0).max(65_535).optional(), 'port of the /metrics + /health server'),
  metricsHost: option(z.string().min(1).default('127.0.0.1'), 'interface of the metrics server'),
  /** Processing time without records after which a partition counts as idle (the idle-partitions gauge). */
  idleTimeoutMs: option(
    z.int().min(0).max(86_400_000).default(EVENT_TIME_DEFAULTS.idleTimeoutMs),
    'processing time without data before a partition is idle',
  ),
  /** pino logger for runtime events (assignments, restores, failed commits, restarts); none → no logs. */
  logger: option(
    z.custom<Logger>(isLogger, 'must be a pino logger (info, warn, error, child)').optional(),
    'logger of runtime events',
  ),
  /** Wall clock for `tick` and durations; injectable for tests. */
  now: option(
    fn<() => number>().default(() => Date.now),
    'wall clock',
  ),
  /** Called once when the job gives up (a stage used up its restart budget). */
  onError: option(fn<(error: Error) => void>().optional(), 'called once when the job gives up'),
};

/** The options without a default, which `createStreamJob` requires. */
type RequiredOption = 'applicationId' | 'brokers' | 'input' | 'taskFactory' | 'outputs';

/** What `createStreamJob` takes (see {@link STREAM_JOB_OPTION_SPECS}). */
export type StreamJobOptions = OptionInput<typeof STREAM_JOB_OPTION_SPECS> & {
  readonly [K in RequiredOption]: z.input<(typeof STREAM_JOB_OPTION_SPECS)[K]['schema']>;
};

/** The options with every default applied (outputs and tables as maps). */
export type ResolvedStreamJobOptions = OptionValues<typeof STREAM_JOB_OPTION_SPECS>;

/** Validates `createStreamJob`'s options once and fills defaults; a bad one throws `TRIB_PROC_INVALID_OPTION`. */
export const STREAM_JOB_OPTIONS = processorOptions('createStreamJob', STREAM_JOB_OPTION_SPECS, (o, fail) => {
  for (const [output, topic] of o.outputs) {
    if (topic === o.input.topic) throw invalidOption(`outputs.${output}`, 'must differ from input.topic');
  }
  if (o.outputs.has('repartition') && o.outputs.get('repartition') === null)
    throw invalidOption('outputs.repartition', 'must be a topic (it cannot be discarded)');
  if (o.merge !== undefined && !o.outputs.has('repartition'))
    throw invalidOption('outputs.repartition', 'is required when merge is set');
  if (o.outputSinks.size > 0 && o.processingGuarantee === 'exactly-once')
    fail(
      'outputSinks',
      'needs processingGuarantee at-least-once: a write outside Kafka cannot join the Kafka transaction',
    );
  const names = new Set(['merge']);
  o.extraStages.forEach((stage, i) => {
    if (names.has(stage.name))
      throw invalidOption(`extraStages.${i}.name`, `must be unique and not "merge" (got "${stage.name}")`);
    names.add(stage.name);
  });
  const services = new Set<string>();
  o.services.forEach((service, i) => {
    if (services.has(service.name))
      throw invalidOption(`services.${i}.name`, `must be unique (got "${service.name}" twice)`);
    services.add(service.name);
  });
  for (const tableName of o.tables.keys()) {
    if (!name.safeParse(tableName).success)
      throw invalidOption(`tables.${tableName}`, 'name must match [A-Za-z0-9._-]+');
  }
  if (o.transactionTimeoutMs <= o.commitIntervalMs)
    fail('transactionTimeoutMs', `must exceed commitIntervalMs (${o.commitIntervalMs}) plus restart time`);
});
