import type { HealthState } from '@tributary/observability';
import type { Registry } from 'prom-client';
import { combineHealth } from '../observability/combined-health.js';

/**
 * A component run with a stream job in its process, e.g. the connector indexing its results into Elasticsearch (a
 * `KafkaEsConnector` of @tributary/es-sink is one as it is).
 */
export interface JobService {
  /** Resolves once the service runs; a rejection fails the job's start. */
  start(): Promise<void>;
  /** Stops it gracefully; also called on a service that was created but never started. */
  stop(): Promise<void>;
  /** Liveness and readiness now (cheap, never throws). */
  health(): HealthState;
  /** Resolves (never rejects) with the error that failed the service; stays pending while it runs well. */
  readonly failure: Promise<Error>;
}

/** What a service learns of its job when the job creates it. */
export interface JobServiceContext {
  /** The job's registry (the given one, or the job's own with `metricsPort`): the service's metrics go there. */
  readonly registry: Registry | undefined;
}

/** A service of `createStreamJob`'s `services` option: a name (its key in the job's health) and how to create it. */
export interface JobServiceSpec {
  readonly name: string;
  /** Called once, when the job is created. */
  create(context: JobServiceContext): JobService;
}

/**
 * The services of one job, created with it: started in order once the job's stages run (so the topics they read
 * exist), stopped in order after the stages, their health by name, their failures reported to the job.
 */
export class JobServices {
  readonly #services: ReadonlyMap<string, JobService>;

  constructor(specs: readonly JobServiceSpec[], context: JobServiceContext) {
    this.#services = new Map(specs.map((spec) => [spec.name, spec.create(context)]));
  }

  get size(): number {
    return this.#services.size;
  }

  /** The service created under `name`, if any. */
  get(name: string): JobService | undefined {
    return this.#services.get(name);
  }

  /** Starts each service after the previous one; the first that fails rejects (the job stops them all). */
  async start(): Promise<void> {
    for (const service of this.#services.values()) await service.start();
  }

  /** Calls `onFailure` with the error of the first service that fails (once started; at most once). */
  watch(onFailure: (error: Error) => void): void {
    let reported = false;
    for (const service of this.#services.values())
      void service.failure.then((error) => {
        if (reported) return;
        reported = true;
        onFailure(error);
      });
  }

  /** Stops every service, in order; one that fails to stop (reported to `onError`) does not keep the next from it. */
  async stop(onError: (name: string, error: unknown) => void = () => undefined): Promise<void> {
    for (const [name, service] of this.#services) await service.stop().catch((error) => onError(name, error));
  }

  /** Live while every service is live, ready while every one is ready; each one's state under its name. */
  health(): HealthState {
    return combineHealth(
      Object.fromEntries([...this.#services].map(([name, service]) => [name, service.health()])),
    );
  }
}
