import { startMetricsServer } from '@tributary/observability';
import type { HealthState, MetricsServer } from '@tributary/observability';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { logRuntimeEvents } from '../observability/runtime-log.js';
import { STREAM_JOB_OPTIONS } from '../config/stream-job-options.js';
import type { ResolvedStreamJobOptions, StreamJobOptions } from '../config/stream-job-options.js';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import { TableLoader } from '../enrichment/table-loader.js';
import type { TableLoaderStats } from '../enrichment/table-loader.js';
import { CompactedTopicSource } from '../kafka/compacted-topic-source.js';
import { createKafkaClient, loggerLogWriter } from '@tributary/kafka';
import { TopicAdmin } from '../kafka/topic-admin.js';
import { ProcessorMetrics } from '../metrics/processor-metrics.js';
import type { StreamJobStats } from '../metrics/processor-metrics.js';
import type { Kafka } from '@tributary/kafka';
import { JobServices, type JobService } from './job-services.js';
import { planStages } from './stage-plan.js';
import { StageRunner } from './stage-runner.js';
import type { StageDefinition, StageDependencies } from './stage-runner.js';
import { StageSetup } from './stage-setup.js';

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
  /**
   * Resolves when the job stopped; rejects when it gave up: `TRIB_PROC_STAGE_FAILED`, or the error of a service
   * (`services`) that failed.
   */
  readonly done: Promise<void>;
  /** Input partitions each stage currently owns, by consumer group id. */
  ownedPartitions(): Record<string, number[]>;
  /** Reference-data tables by name: records of the initial load, load time, live updates. */
  tableStats(): Record<string, TableLoaderStats>;
  /** The registry holding the job's metrics (the given one, or the job's own with `metricsPort`). */
  readonly registry: Registry | undefined;
  /** Base URL of the `/metrics` + `/health` server once started with `metricsPort`. */
  readonly metricsUrl: string | undefined;
  /**
   * live = the job is starting or running (and no service failed); ready = every stage joined its group and restored
   * its tasks, and every service is ready. `details`: `state`, `stages` by id, and `services` by name when it has any.
   */
  health(): HealthState;
  /** The service created under `name` from the `services` option (e.g. `'elasticsearch'`), if any. */
  service(name: string): JobService | undefined;
}

/**
 * A Kafka stream job: stage 1 consumes `input.topic` in group `applicationId`; with `merge`, stage 2 consumes the
 * `repartition` output in group `${applicationId}-merge`. Under exactly-once each input partition has its own
 * transactional producer; outputs, changelog and the input offset commit in one transaction.
 */
export function createStreamJob(options: StreamJobOptions): StreamJob {
  return new KafkaStreamJob(STREAM_JOB_OPTIONS.resolve(options));
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
  readonly #services: JobServices;
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
    this.#services = new JobServices(options.services, { registry });
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
    const live = state === 'starting' || state === 'running';
    const ready = state === 'running' && this.#stages.every((s) => s.ready);
    if (this.#services.size === 0) return { live, ready, details: { state, stages } };
    const services = this.#services.health();
    return {
      live: live && services.live,
      ready: ready && services.ready,
      details: { state, stages, services: services.details },
    };
  }

  service(name: string): JobService | undefined {
    return this.#services.get(name);
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
    await this.#startObservability();
    const kafka = createKafkaClient({
      brokers: o.brokers,
      clientId: o.clientId,
      ssl: o.ssl,
      sasl: o.sasl,
      logLevel: o.logLevel,
      log: o.logger === undefined ? undefined : loggerLogWriter(o.logger),
    });
    const admin = new TopicAdmin(kafka);
    this.#admin = admin;
    try {
      await admin.connect();
      const setup = new StageSetup(admin, o);
      const definitions: StageDefinition[] = [];
      for (const spec of planStages(o)) definitions.push(await setup.prepare(spec));
      await this.#loadTables(kafka, admin);
      const deps: StageDependencies = {
        kafka,
        admin,
        options: o,
        metrics: this.#metrics,
        partitionCounts: setup.partitionCounts,
        maxMessageBytes: setup.maxMessageBytes,
        onFatal: (error: Error) => void this.#failed(error),
      };
      this.#stages = definitions.map((definition) => new StageRunner(definition, deps));
      for (const stage of this.#stages) await stage.start();
      // The stages created the topics the services read (e.g. the results topic an Elasticsearch connector indexes).
      await this.#services.start();
      this.#state = 'running';
      this.#services.watch((error) => void this.#serviceFailed(error));
      o.logger?.info({ stages: this.#stages.map((s) => s.id) }, 'job running');
    } catch (error) {
      await this.#failedToStart(error, admin);
      throw error;
    }
  }

  /** Subscribes runtime logging and starts the metrics server (with `metricsPort`); a server that fails fails the job. */
  async #startObservability(): Promise<void> {
    const o = this.#options;
    if (o.logger !== undefined) {
      const stageIds = (): ReadonlySet<string> => new Set(this.#stages.map((s) => s.id));
      this.#unsubscribeLogs = logRuntimeEvents(o.logger, stageIds);
      o.logger.info(
        { applicationId: o.applicationId, input: o.input.topic, guarantee: o.processingGuarantee },
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
  }

  /** Stops whatever the failed start had started and fails the job with the start's error. */
  async #failedToStart(error: unknown, admin: TopicAdmin): Promise<void> {
    this.#state = 'failed';
    this.#options.logger?.error({ err: errorSummary(error) }, 'job failed to start');
    await this.#releaseObservability();
    await Promise.allSettled(this.#stages.map((s) => s.stop()));
    await Promise.allSettled(this.#loaders.map((l) => l.stop()));
    await this.#stopServices();
    await admin.disconnect().catch(() => undefined);
    this.#rejectDone(error as Error);
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
            restartTimeoutMs: o.restartTimeoutMs,
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
    await this.#stopServices();
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
    await this.#stopServices();
    await this.#admin?.disconnect().catch(() => undefined);
    this.#state = 'failed';
    this.#options.logger?.error({ err: errorSummary(error) }, 'job failed');
    await this.#releaseObservability();
    this.#options.onError?.(error);
    this.#rejectDone(error);
  }

  /** A service failed while the job runs: the job fails with its error (a failure during a stop is the stop's). */
  async #serviceFailed(error: Error): Promise<void> {
    if (this.#state === 'running') await this.#failed(error);
  }

  /** Stops the services after the stages (they started after them). */
  async #stopServices(): Promise<void> {
    await this.#services.stop((service, error) =>
      this.#options.logger?.warn({ service, err: errorSummary(error) }, 'service failed to stop'),
    );
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
