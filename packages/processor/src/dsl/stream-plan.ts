import { createStreamJob, type StreamJob } from '../runtime/stream-job.js';
import {
  STREAM_JOB_OPTIONS,
  type StreamJobOptions,
  type TableOptions,
} from '../config/stream-job-options.js';
import { optionalDurationMs } from './duration.js';
import type { LogicalPlan } from './logical-plan.js';
import { planJob, type PhysicalPlan } from './planner.js';
import { compileTasks, type CompiledTasks } from './task-factories.js';

/**
 * A complete DSL job: planned at construction (a job the engine cannot run fails here, naming the step), compiled
 * to `createStreamJob`'s options on demand.
 */
export class StreamPlan {
  /** The planner's decision: shape, engine tasks, topics. */
  readonly physical: PhysicalPlan;
  readonly #logical: LogicalPlan;
  readonly #tasks: CompiledTasks;

  /** @internal Built by `.to(…)`. */
  constructor(logical: LogicalPlan) {
    this.#logical = logical;
    this.physical = planJob(logical);
    this.#tasks = compileTasks(logical, this.physical);
  }

  /** The planner's decision in one line, e.g. `two-stage (PartialAggregationTask → MergeTask): …`. */
  explain(): string {
    const p = this.physical;
    return `${p.kind} (${p.tasks.join(' → ')}): ${p.reason}`;
  }

  /** `createStreamJob`'s options for this job, validated (a bad setting throws `TRIB_PROC_INVALID_OPTION`). */
  toStreamJobOptions(): StreamJobOptions {
    const { settings, windowSettings, steps } = this.#logical;
    const tables: Record<string, TableOptions> = {};
    for (const step of steps)
      if (step.kind === 'enrich')
        tables[step.table.name] = { topic: step.table.topic, table: step.table.table };
    const idleness = optionalDurationMs('window.idleness', windowSettings.idleness);
    const options: StreamJobOptions = {
      ...(idleness === undefined ? {} : { idleTimeoutMs: idleness }),
      ...settings,
      input: { topic: this.physical.inputTopic },
      outputs: { ...this.physical.outputs },
      taskFactory: this.#tasks.taskFactory,
      ...(this.#tasks.mergeTaskFactory === undefined
        ? {}
        : { merge: { taskFactory: this.#tasks.mergeTaskFactory } }),
      ...(Object.keys(tables).length === 0 ? {} : { tables }),
    };
    STREAM_JOB_OPTIONS.resolve(options);
    return options;
  }

  /** Creates the job with `createStreamJob` (not started: `start()`, `stop()`, health and metrics as usual). */
  createJob(): StreamJob {
    return createStreamJob(this.toStreamJobOptions());
  }

  /** Creates and starts the job. */
  async start(): Promise<StreamJob> {
    const job = this.createJob();
    await job.start();
    return job;
  }
}
