import { createStreamJob, type StreamJob } from '../runtime/stream-job.js';
import {
  STREAM_JOB_OPTIONS,
  type ExtraStageOptions,
  type StreamJobOptions,
  type TableOptions,
} from '../config/stream-job-options.js';
import { checkOption, name } from '../config/option-schemas.js';
import { invalidOption } from '../errors.js';
import { optionalDurationMs } from './duration.js';
import type { LogicalPlan } from './logical-plan.js';
import { compileJoin, planJoin, type JoinLogicalPlan } from './join-plan.js';
import { JOIN_RIGHT_STAGE, type IntervalJoinStages } from '../engine/interval-join-job.js';
import { ElasticsearchSink, type ElasticsearchSinkOptions } from './elasticsearch-sink.js';
import { DSL_OUTPUTS, planJob, planTables, type PhysicalPlan } from './planner.js';
import type { TableRef } from './table.js';
import { compileTasks, type CompiledTasks, type TaskOutputNames } from './task-factories.js';

/** @internal A pipeline run as a stage of its own beside the main one (see `StreamPlan.alongside`). */
export interface ExtraPipeline {
  readonly name: string;
  readonly logical: LogicalPlan;
  readonly physical: PhysicalPlan;
}

/**
 * A complete DSL job: planned at construction (a job the engine cannot run fails here, naming the step), compiled
 * to `createStreamJob`'s options on demand.
 */
export class StreamPlan {
  /** The planner's decision for the main pipeline: shape, engine tasks, topics. */
  readonly physical: PhysicalPlan;
  readonly #main: MainPipeline;
  readonly #extras: readonly ExtraPipeline[];
  readonly #elasticsearch: ElasticsearchSink | undefined;

  /** @internal Built by `.to(…)`. */
  constructor(
    logical: LogicalPlan | JoinLogicalPlan,
    extras: readonly ExtraPipeline[] = [],
    elasticsearch?: ElasticsearchSink,
  ) {
    if (isJoin(logical)) {
      this.physical = planJoin(logical);
      this.#main = { kind: 'join', logical, stages: compileJoin(logical) };
    } else {
      this.physical = planJob(logical);
      this.#main = { kind: 'aggregation', logical, tasks: compileTasks(logical, this.physical) };
    }
    this.#extras = extras;
    this.#elasticsearch = elasticsearch;
    elasticsearch?.checkAgainst(this.#topology());
  }

  /**
   * This job with its results indexed into Elasticsearch by a @tributary/es-sink connector run in the same process:
   * created by `createJob()` with the job, started once the job's stages run (its topics exist), stopped after them;
   * it consumes the results topic `read_committed` in group `groupId` (default `${applicationId}-elasticsearch`), so
   * it indexes only committed results, and commits its offsets once Elasticsearch took them. Documents Elasticsearch
   * refuses for good go to `deadLetterTopic` (default `${applicationId}-index-dlq`). A failure of the connector fails
   * the job (`onError`, `done`); its health is the job's service `elasticsearch`, its metrics are on the job's
   * registry. Window results of the default encoder are indexed with deterministic ids and external versions (a
   * replay or an update never adds a document); other results name their `idField` (and `versionField`), or
   * `format: 'window-result'`. Options are validated here (`TRIB_PROC_INVALID_OPTION` naming
   * `toElasticsearch.<option>`); credentials are never printed.
   */
  toElasticsearch(options: ElasticsearchSinkOptions): StreamPlan {
    if (this.#elasticsearch !== undefined) throw invalidOption('toElasticsearch', 'may appear once per job');
    const main = this.#main;
    const sink = new ElasticsearchSink(options, {
      settings: main.logical.settings,
      resultsTopic: main.logical.sink.topic,
      results:
        main.kind === 'join' ? 'join' : main.logical.sink.encode === undefined ? 'windowed' : 'encoded',
    });
    return new StreamPlan(main.logical, this.#extras, sink);
  }

  /** The consumer groups of the job's stages and every topic it reads (what its sink must not take). */
  #topology(): { groups: string[]; readTopics: string[] } {
    const settings = this.#main.logical.settings;
    const appId = settings.applicationId;
    const stageNames = [
      'merge',
      JOIN_RIGHT_STAGE,
      ...this.#extras.map((e) => e.name),
      ...(settings.extraStages ?? []).map((e) => e.name),
    ];
    const physicals = [this.physical, ...this.#extras.map((e) => e.physical)];
    const readTopics = physicals.flatMap((p) => [
      p.inputTopic,
      ...(p.rightInputTopic === undefined ? [] : [p.rightInputTopic]),
      ...Object.values(p.tables),
    ]);
    const repartition = this.physical.outputs[DSL_OUTPUTS.repartition];
    if (repartition !== undefined && repartition !== null) readTopics.push(repartition);
    readTopics.push(...(settings.extraStages ?? []).map((e) => e.input.topic));
    return { groups: [appId, ...stageNames.map((n) => `${appId}-${n}`)], readTopics };
  }

  /**
   * This job with `plan` — another pipeline of the same `streamJob(…)`, e.g. a second aggregation of the same
   * source — run beside it as a stage of its own: consumer group, transactional ids and changelog topics
   * `${applicationId}-${name}`, its own committed offsets. Its results, late events and dead letters are the job's
   * outputs `${name}`, `${name}-late` and `${name}-dead-letter`. It must plan to one stage (`plan.physical.kind`).
   */
  alongside(stageName: string, plan: StreamPlan): StreamPlan {
    checkOption('alongside.name', name, stageName);
    const reserved = this.#main.kind === 'join' ? ['merge', JOIN_RIGHT_STAGE] : ['merge'];
    if (reserved.includes(stageName) || this.#extras.some((e) => e.name === stageName))
      throw invalidOption(
        'alongside.name',
        `must be unique and not ${reserved.map((r) => `"${r}"`).join(' or ')} (got "${stageName}")`,
      );
    if (plan.#main.logical.settings !== this.#main.logical.settings)
      throw invalidOption(`alongside.${stageName}`, 'must be a pipeline of the same streamJob(…)');
    if (plan.#elasticsearch !== undefined)
      throw invalidOption(
        `alongside.${stageName}`,
        'is sent to Elasticsearch: only the main pipeline may be (call toElasticsearch on this job)',
      );
    if (plan.#extras.length > 0)
      throw invalidOption(`alongside.${stageName}`, 'has stages alongside it: add them to this job instead');
    if (plan.#main.kind !== 'aggregation' || plan.physical.kind !== 'single-stage')
      throw invalidOption(
        `alongside.${stageName}`,
        `must plan to one stage (it plans to ${plan.physical.kind}: ${plan.physical.reason})`,
      );
    const extra = { name: stageName, logical: plan.#main.logical, physical: plan.physical };
    return new StreamPlan(this.#main.logical, [...this.#extras, extra], this.#elasticsearch);
  }

  /** The planner's decision in one line, e.g. `two-stage (PartialAggregationTask → MergeTask): …`. */
  explain(): string {
    const line = (p: PhysicalPlan) => `${p.kind} (${p.tasks.join(' → ')}): ${p.reason}`;
    return [
      line(this.physical),
      ...this.#extras.map((e) => `stage ${e.name}: ${line(e.physical)}`),
      ...(this.#elasticsearch === undefined ? [] : [`results to ${this.#elasticsearch.describe()}`]),
    ].join('; ');
  }

  /** `createStreamJob`'s options for this job, validated (a bad setting throws `TRIB_PROC_INVALID_OPTION`). */
  toStreamJobOptions(): StreamJobOptions {
    const main = this.#main;
    const settings = main.logical.settings;
    const outputs: Record<string, string | null> = { ...this.physical.outputs };
    const tables = new Map<string, TableRef<unknown>>();
    if (main.kind === 'aggregation') addTables(tables, planTables(main.logical), 'tables');
    const extraStages: ExtraStageOptions[] = [];
    for (const extra of this.#extras) {
      const names = extraOutputNames(extra.name);
      for (const [output, topic] of Object.entries(extra.physical.outputs)) {
        const renamed = renamedOutput(names, output);
        if (renamed in outputs)
          throw invalidOption(
            `alongside.${extra.name}`,
            `writes output ${renamed}, which the job already has: choose another stage name`,
          );
        outputs[renamed] = topic;
      }
      addTables(tables, planTables(extra.logical), `alongside.${extra.name}.tables`);
      extraStages.push({
        name: extra.name,
        input: { topic: extra.physical.inputTopic },
        taskFactory: compileTasks(extra.logical, extra.physical, names).taskFactory,
      });
    }
    const tableOptions: Record<string, TableOptions> = {};
    for (const [tableName, ref] of tables) tableOptions[tableName] = { topic: ref.topic, table: ref.table };
    const stages = mainStages(main);
    const allExtraStages = [...(settings.extraStages ?? []), ...stages.extraStages, ...extraStages];
    const services = [
      ...(settings.services ?? []),
      ...(this.#elasticsearch === undefined ? [] : [this.#elasticsearch.service()]),
    ];
    const options: StreamJobOptions = {
      ...stages.defaults,
      ...settings,
      input: { topic: this.physical.inputTopic },
      outputs,
      taskFactory: stages.taskFactory,
      ...(stages.merge === undefined ? {} : { merge: stages.merge }),
      ...(allExtraStages.length === 0 ? {} : { extraStages: allExtraStages }),
      ...(tables.size === 0 ? {} : { tables: tableOptions }),
      ...(services.length === 0 ? {} : { services }),
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

/** The main pipeline of a job: an aggregation (one or two stages) or an interval join. */
type MainPipeline =
  | { readonly kind: 'aggregation'; readonly logical: LogicalPlan; readonly tasks: CompiledTasks }
  | { readonly kind: 'join'; readonly logical: JoinLogicalPlan; readonly stages: IntervalJoinStages };

function isJoin(plan: LogicalPlan | JoinLogicalPlan): plan is JoinLogicalPlan {
  return (plan as Partial<JoinLogicalPlan>).kind === 'join';
}

/** The stages of the main pipeline, and the runtime defaults it sets (settings override them). */
function mainStages(main: MainPipeline): Pick<StreamJobOptions, 'taskFactory' | 'merge'> & {
  extraStages: readonly ExtraStageOptions[];
  defaults: Partial<StreamJobOptions>;
} {
  if (main.kind === 'join') {
    const { taskFactory, merge, extraStages } = main.stages;
    return { taskFactory, merge, extraStages: extraStages ?? [], defaults: {} };
  }
  const { taskFactory, mergeTaskFactory } = main.tasks;
  const idleness = optionalDurationMs('window.idleness', main.logical.windowSettings.idleness);
  return {
    taskFactory,
    ...(mergeTaskFactory === undefined ? {} : { merge: { taskFactory: mergeTaskFactory } }),
    extraStages: [],
    defaults: idleness === undefined ? {} : { idleTimeoutMs: idleness },
  };
}

/** The output names of a stage beside the main one: `${name}`, `${name}-late`, `${name}-dead-letter`. */
function extraOutputNames(stageName: string): TaskOutputNames {
  return { results: stageName, late: `${stageName}-late`, deadLetter: `${stageName}-dead-letter` };
}

/** A single-stage pipeline's output under its stage's names (extra outputs keep theirs). */
function renamedOutput(names: TaskOutputNames, output: string): string {
  if (output === DSL_OUTPUTS.results) return names.results;
  if (output === DSL_OUTPUTS.late) return names.late;
  if (output === DSL_OUTPUTS.deadLetter) return names.deadLetter;
  return output;
}

/** Adds `more` to `tables`; a name already bound to another topic or table fails. */
function addTables(
  tables: Map<string, TableRef<unknown>>,
  more: ReadonlyMap<string, TableRef<unknown>>,
  option: string,
): void {
  for (const [tableName, ref] of more) {
    const known = tables.get(tableName);
    if (known !== undefined && (known.topic !== ref.topic || known.table !== ref.table))
      throw invalidOption(`${option}.${tableName}`, 'names another topic or table than the main pipeline');
    tables.set(tableName, ref);
  }
}
