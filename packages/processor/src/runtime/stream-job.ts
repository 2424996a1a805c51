import { startMetricsServer } from '@tributary/observability';
import type { HealthState, MetricsServer } from '@tributary/observability';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { logRuntimeEvents } from '../observability/runtime-log.js';
import { resolveStreamJobOptions } from '../config/stream-job-options.js';
import type { ResolvedStreamJobOptions, StreamJobOptions } from '../config/stream-job-options.js';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import type { EnrichmentTable } from '../enrichment/enrichment-table.js';
import { TableLoader } from '../enrichment/table-loader.js';
import type { TableLoaderStats } from '../enrichment/table-loader.js';
import { CompactedTopicSource } from '../kafka/compacted-topic-source.js';
import { createKafkaClient, loggerLogWriter } from '@tributary/kafka';
import { TopicAdmin } from '../kafka/topic-admin.js';
import type { TopicSpec } from '../kafka/topic-admin.js';
import { changelogTopic } from '../kafka/topic-names.js';
import { ProcessorMetrics } from '../metrics/processor-metrics.js';
import type { StreamJobStats } from '../metrics/processor-metrics.js';
import type { Kafka } from '@tributary/kafka';
import { StageRunner } from './stage-runner.js';

export const JOB_STATES = ['created', 'starting', 'running', 'stopping', 'stopped', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface StreamJob {
  /** Creates missing topics, joins the group(s); resolves once consuming. */
  start(): Promise<void>;
  /** Commits every task (finishing the transaction in flight), disconnects producers and leaves the group(s). */
  stop(): Promise<void>;
  /** Live counters (records in/out, commits, restore time …). */
  readonly metrics: StreamJobStats;
  readonly state: JobState;
  /** Resolves when the job stopped; rejects with `TRIB_PROC_STAGE_FAILED` when it gave up. */
  readonly done: Promise<void>;
  /** Input partitions each stage currently owns, by consumer group id. */
  ownedPartitions(): Record<string, number[]>;
  /** Reference-data tables by name: records of the initial load, load time, live updates. */
  tableStats(): Record<string, TableLoaderStats>;
  /** The registry holding the job's metrics (the given one, or the job's own with `metricsPort`). */
  readonly registry: Registry | undefined;
  /** Base URL of the `/metrics` + `/health` server once started with `metricsPort`. */
  readonly metricsUrl: string | undefined;
  /** live = the job is starting or running; ready = every stage joined its group and restored its tasks. */
  health(): HealthState;
}

/**
 * A Kafka stream job: stage 1 consumes `input.topic` in group `applicationId`; with `merge`, stage 2 consumes the
 * `repartition` output in group `${applicationId}-merge`. Under exactly-once each input partition has its own
 * transactional producer; outputs, changelog and the input offset commit in one transaction.
 */
export function createStreamJob(options: StreamJobOptions): StreamJob {
  const resolved = resolveStreamJobOptions(options);
  return new KafkaStreamJob(resolved);
}

class KafkaStreamJob implements StreamJob {
  readonly #options: ResolvedStreamJobOptions;
  readonly #metrics: ProcessorMetrics;
  #state: JobState = 'created';
  #admin: TopicAdmin | undefined;
  #stages: StageRunner[] = [];
  #loaders: TableLoader[] = [];
  #starting: Promise<void> | undefined;
  readonly #registry: Registry | undefined;
  #server: MetricsServer | undefined;
  #unsubscribeLogs: (() => void) | undefined;
  #resolveDone!: () => void;
  #rejectDone!: (error: Error) => void;
  readonly done: Promise<void>;

  constructor(options: ResolvedStreamJobOptions) {
    this.#options = options;
    let registry = options.registry;
    if (registry === undefined && options.metricsPort !== undefined) {
      registry = new Registry();
      collectDefaultMetrics({ register: registry });
    }
    this.#registry = registry;
    this.#metrics = new ProcessorMetrics(registry);
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    this.done.catch(() => undefined);
  }

  get metrics(): StreamJobStats {
    return this.#metrics.stats;
  }

  get registry(): Registry | undefined {
    return this.#registry;
  }

  get metricsUrl(): string | undefined {
    return this.#server?.url;
  }

  health(): HealthState {
    const state = this.#state;
    const stages = Object.fromEntries(this.#stages.map((s) => [s.id, s.health]));
    const ready = state === 'running' && this.#stages.every((s) => s.ready);
    return { live: state === 'starting' || state === 'running', ready, details: { state, stages } };
  }

  get state(): JobState {
    return this.#state;
  }

  ownedPartitions(): Record<string, number[]> {
    return Object.fromEntries(this.#stages.map((s) => [s.id, s.ownedPartitions]));
  }

  start(): Promise<void> {
    if (this.#state !== 'created') {
      return Promise.reject(
        new ProcessorError(
          PROCESSOR_ERROR_CODES.INVALID_STATE,
          `start() called on a job that is ${this.#state}`,
        ),
      );
    }
    this.#state = 'starting';
    this.#starting = this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const o = this.#options;
    if (o.logger !== undefined) {
      const stageIds = (): ReadonlySet<string> => new Set(this.#stages.map((s) => s.id));
      this.#unsubscribeLogs = logRuntimeEvents(o.logger, stageIds);
      o.logger.info(
        { applicationId: o.applicationId, input: o.inputTopic, guarantee: o.processingGuarantee },
        'job starting',
      );
    }
    if (o.metricsPort !== undefined && this.#registry !== undefined) {
      try {
        this.#server = await startMetricsServer({
          registry: this.#registry,
          port: o.metricsPort,
          host: o.metricsHost,
          health: () => this.health(),
        });
      } catch (error) {
        this.#state = 'failed';
        this.#releaseObservability();
        this.#rejectDone(error as Error);
        throw error;
      }
      o.logger?.info({ url: this.#server.url }, 'metrics server listening');
    }
    const kafka = createKafkaClient({
      brokers: o.brokers,
      clientId: o.clientId,
      logLevel: o.logLevel,
      log: o.logger === undefined ? undefined : loggerLogWriter(o.logger),
    });
    const admin = new TopicAdmin(kafka);
    this.#admin = admin;
    try {
      await admin.connect();
      const inputPartitions = await admin.partitionCount(o.inputTopic);
      if (inputPartitions === undefined) {
        throw new ProcessorError(
          PROCESSOR_ERROR_CODES.INPUT_TOPIC_MISSING,
          `input topic ${o.inputTopic} does not exist`,
        );
      }
      const repartitionTopic = o.outputs.get('repartition') ?? undefined;
      const specs: TopicSpec[] = [];
      for (const [name, topic] of o.outputs) {
        if (topic === null) continue;
        const numPartitions =
          name === 'repartition'
            ? o.repartitionPartitions || inputPartitions
            : o.topicPartitions || inputPartitions;
        specs.push({ topic, numPartitions, replicationFactor: o.replicationFactor });
      }
      const tables: Record<string, EnrichmentTable<unknown>> = {};
      for (const [name, spec] of o.tables) tables[name] = spec.table as EnrichmentTable<unknown>;
      const stage1Context = {
        stageId: o.applicationId,
        partitionCount: inputPartitions,
        upstreamPartitionCount: undefined,
        tables,
      };
      const stage1Stores = o.taskFactory(o.inputTopic, 0, stage1Context).stores;
      for (const store of stage1Stores) {
        specs.push({
          topic: changelogTopic(o.applicationId, store),
          numPartitions: inputPartitions,
          replicationFactor: o.replicationFactor,
          compacted: true,
        });
      }
      if (o.createTopics) await admin.ensureTopics(specs);
      const partitionCounts = new Map<string, number>();
      for (const topic of new Set(o.outputs.values())) {
        if (topic === null) continue;
        const count = await admin.partitionCount(topic);
        if (count === undefined) {
          throw new ProcessorError(
            PROCESSOR_ERROR_CODES.TOPIC_ADMIN_FAILED,
            `output topic ${topic} does not exist (createTopics is off)`,
          );
        }
        partitionCounts.set(topic, count);
      }
      const maxMessageBytes = await admin.maxMessageBytes([...partitionCounts.keys()]);
      const mergeId = `${o.applicationId}-merge`;
      const mergeContext = {
        stageId: mergeId,
        partitionCount: repartitionTopic === undefined ? 0 : partitionCounts.get(repartitionTopic)!,
        upstreamPartitionCount: inputPartitions,
        tables,
      };
      if (o.merge !== undefined && repartitionTopic !== undefined) {
        const mergePartitions = mergeContext.partitionCount;
        const stores = o.merge.taskFactory(repartitionTopic, 0, mergeContext).stores;
        const mergeSpecs = stores.map((store) => ({
          topic: changelogTopic(mergeId, store),
          numPartitions: mergePartitions,
          replicationFactor: o.replicationFactor,
          compacted: true,
        }));
        if (o.createTopics) await admin.ensureTopics(mergeSpecs);
        await checkMergeState(admin, repartitionTopic, mergePartitions, mergeSpecs);
      }
      const extraContexts = [];
      for (const stage of o.extraStages) {
        const partitionCount = await admin.partitionCount(stage.input.topic);
        if (partitionCount === undefined) {
          throw new ProcessorError(
            PROCESSOR_ERROR_CODES.INPUT_TOPIC_MISSING,
            `input topic ${stage.input.topic} of stage ${stage.name} does not exist`,
          );
        }
        const context = {
          stageId: `${o.applicationId}-${stage.name}`,
          partitionCount,
          upstreamPartitionCount: undefined,
          tables,
        };
        const stores = stage.taskFactory(stage.input.topic, 0, context).stores;
        const changelogSpecs = stores.map((store) => ({
          topic: changelogTopic(context.stageId, store),
          numPartitions: partitionCount,
          replicationFactor: o.replicationFactor,
          compacted: true,
        }));
        if (o.createTopics) await admin.ensureTopics(changelogSpecs);
        extraContexts.push({ stage, context });
      }
      await this.#loadTables(kafka, admin);
      const deps = {
        kafka,
        admin,
        options: o,
        metrics: this.#metrics,
        partitionCounts,
        maxMessageBytes,
        onFatal: (error: Error) => void this.#failed(error),
      };
      this.#stages = [
        new StageRunner(
          {
            id: o.applicationId,
            inputTopic: o.inputTopic,
            taskFactory: o.taskFactory,
            context: stage1Context,
            onPartitionGrowth: 'grow',
          },
          deps,
        ),
      ];
      if (o.merge !== undefined && repartitionTopic !== undefined) {
        this.#stages.push(
          new StageRunner(
            {
              id: mergeId,
              inputTopic: repartitionTopic,
              taskFactory: o.merge.taskFactory,
              context: mergeContext,
              onPartitionGrowth: 'refuse',
            },
            deps,
          ),
        );
      }
      for (const { stage, context } of extraContexts) {
        this.#stages.push(
          new StageRunner(
            {
              id: context.stageId,
              inputTopic: stage.input.topic,
              taskFactory: stage.taskFactory,
              context,
              onPartitionGrowth: 'grow',
            },
            deps,
          ),
        );
      }
      for (const stage of this.#stages) await stage.start();
      this.#state = 'running';
      o.logger?.info({ stages: this.#stages.map((s) => s.id) }, 'job running');
    } catch (error) {
      this.#state = 'failed';
      o.logger?.error({ err: errorSummary(error) }, 'job failed to start');
      await this.#releaseObservability();
      await Promise.allSettled(this.#stages.map((s) => s.stop()));
      await Promise.allSettled(this.#loaders.map((l) => l.stop()));
      await admin.disconnect().catch(() => undefined);
      this.#rejectDone(error as Error);
      throw error;
    }
  }

  /** Creates missing table topics, then loads every table to its end offsets (in parallel) and keeps following. */
  async #loadTables(kafka: Kafka, admin: TopicAdmin): Promise<void> {
    const o = this.#options;
    for (const [name, spec] of o.tables) {
      if ((await admin.partitionCount(spec.topic)) !== undefined) continue;
      if (!o.createTopics) {
        throw new ProcessorError(
          PROCESSOR_ERROR_CODES.INPUT_TOPIC_MISSING,
          `topic ${spec.topic} of table ${name} does not exist`,
        );
      }
      await admin.ensureTopics([
        { topic: spec.topic, numPartitions: 1, replicationFactor: o.replicationFactor, compacted: true },
      ]);
    }
    this.#loaders = [...o.tables].map(
      ([name, spec]) =>
        new TableLoader({
          name,
          table: spec.table,
          source: new CompactedTopicSource(kafka, admin, {
            topic: spec.topic,
            groupIdPrefix: o.applicationId,
            maxWaitTimeInMs: o.maxWaitTimeInMs,
          }),
          now: o.now,
          onError: (error) => void this.#failed(error),
        }),
    );
    await Promise.all(this.#loaders.map((l) => l.start()));
  }

  /** Live counters of the reference-data tables by name (initial load and updates). */
  tableStats(): Record<string, TableLoaderStats> {
    const names = [...this.#options.tables.keys()];
    return Object.fromEntries(this.#loaders.map((l, i) => [names[i], { ...l.stats }]));
  }

  async stop(): Promise<void> {
    // A stop during start waits for the start to finish (or fail) so no stage is left running.
    await this.#starting?.catch(() => undefined);
    if (this.#state === 'stopped' || this.#state === 'failed' || this.#state === 'stopping')
      return this.done.catch(() => undefined);
    this.#state = 'stopping';
    await Promise.allSettled(this.#stages.map((s) => s.stop()));
    await Promise.allSettled(this.#loaders.map((l) => l.stop()));
    await this.#admin?.disconnect().catch(() => undefined);
    this.#state = 'stopped';
    this.#options.logger?.info('job stopped');
    await this.#releaseObservability();
    this.#resolveDone();
  }

  async #failed(error: Error): Promise<void> {
    if (this.#state === 'failed' || this.#state === 'stopped') return;
    this.#state = 'stopping';
    await Promise.allSettled(this.#stages.map((s) => s.stop()));
    await Promise.allSettled(this.#loaders.map((l) => l.stop()));
    await this.#admin?.disconnect().catch(() => undefined);
    this.#state = 'failed';
    this.#options.logger?.error({ err: errorSummary(error) }, 'job failed');
    await this.#releaseObservability();
    this.#options.onError?.(error);
    this.#rejectDone(error);
  }

  /** Closes the metrics server, stops engine-event counting and runtime logging. */
  async #releaseObservability(): Promise<void> {
    this.#unsubscribeLogs?.();
    this.#unsubscribeLogs = undefined;
    this.#metrics.close();
    const server = this.#server;
    this.#server = undefined;
    await server?.close().catch(() => undefined);
  }
}

function errorSummary(error: unknown): { message: string; code?: string } {
  const e = error as { message?: unknown; code?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return typeof e?.code === 'string' ? { message, code: e.code } : { message };
}

/**
 * The merge stage's state is keyed by the aggregation key over the repartition topic's partitions: its changelog
 * topics were created with that count. A repartition topic with more partitions now (grown by an operator) would send
 * a key's partials to another merge task than its earlier ones: refused, naming the topic and the way out.
 */
async function checkMergeState(
  admin: TopicAdmin,
  repartitionTopic: string,
  repartitionPartitions: number,
  changelogs: readonly TopicSpec[],
): Promise<void> {
  for (const { topic } of changelogs) {
    const count = await admin.partitionCount(topic);
    if (count === undefined || count === repartitionPartitions) continue;
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.TOPIC_MISMATCH,
      `repartition topic ${repartitionTopic} has ${repartitionPartitions} partitions but the merge state ` +
        `(changelog ${topic}) was built for ${count}: each key's partials would go to another merge task than ` +
        `its earlier ones. Give ${repartitionTopic} its ${count} partitions back (delete and recreate it), or ` +
        `reset the application (stop it, delete its consumer groups, changelog and repartition topics).`,
    );
  }
}
