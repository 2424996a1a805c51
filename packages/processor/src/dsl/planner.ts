/* eslint-disable @typescript-eslint/no-explicit-any -- selectors of any element type */
import { invalidOption } from '../errors.js';
import type { KeySelector, LogicalPlan } from './logical-plan.js';
import { changesElement } from './pipeline.js';

/** The physical shapes a DSL job compiles to. */
export const PLAN_KINDS = ['single-stage', 'two-stage'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/** The logical output names of the compiled tasks (keys of the job's `outputs`). */
export const DSL_OUTPUTS = {
  results: 'results',
  late: 'late',
  deadLetter: 'dead-letter',
  repartition: 'repartition',
  latePartials: 'late-partials',
} as const;

/** What the planner decided: the job's shape, why, and every topic it reads or writes. */
export interface PhysicalPlan {
  readonly kind: PlanKind;
  /** The engine tasks: `WindowedAggregationTask`, `SessionWindowTask` or `PartialAggregationTask` + `MergeTask`. */
  readonly tasks: readonly string[];
  /** Why this shape (for logs and `explain`). */
  readonly reason: string;
  /** Logical output → topic (`null`: discarded), as `createStreamJob`'s `outputs`. */
  readonly outputs: Readonly<Record<string, string | null>>;
  readonly inputTopic: string;
  /** Table name → compacted topic. */
  readonly tables: Readonly<Record<string, string>>;
}

/**
 * Decides the physical job. One stage when the aggregation key is the input's partitioning key — `keyBy(…, {
 * inputPartitioned: true })`, or a `keyBy` of the same field name or the same function object as the source's
 * `partitionedBy` with no `map`/`enrich` in between — since each key then lives in one input partition. Otherwise
 * partial → repartition → merge: stage 1 pre-aggregates per input partition and sends the partials by key to
 * `${applicationId}-repartition`, stage 2 merges them. Session windows need one stage (sessions are per partition).
 */
export function planJob(plan: LogicalPlan): PhysicalPlan {
  const appId = plan.settings.applicationId;
  const partitioned = keyMatchesPartitioning(plan);
  const session = plan.window.kind === 'session';
  if (!partitioned.matches && session)
    throw invalidOption(
      'keyBy',
      `session windows need the input partitioned by the session key (${partitioned.why}): declare ` +
        `source(…, { partitionedBy }) with the same key, or keyBy(…, { inputPartitioned: true })`,
    );
  if (!partitioned.matches && plan.emit.every !== undefined)
    throw invalidOption(
      'emit.every',
      `(early updates) needs a single-stage job, and this one re-keys (${partitioned.why})`,
    );
  const side = {
    [DSL_OUTPUTS.late]: plan.sink.late === undefined ? `${appId}-late` : plan.sink.late,
    [DSL_OUTPUTS.deadLetter]: plan.sink.deadLetter === undefined ? `${appId}-dlq` : plan.sink.deadLetter,
  };
  const tables: Record<string, string> = {};
  for (const step of plan.steps) {
    if (step.kind !== 'enrich') continue;
    const known = tables[step.table.name];
    if (known !== undefined && known !== step.table.topic)
      throw invalidOption(`tables.${step.table.name}`, `names two topics (${known}, ${step.table.topic})`);
    tables[step.table.name] = step.table.topic;
  }
  const base = { inputTopic: plan.source.topic, tables };
  if (partitioned.matches)
    return {
      ...base,
      kind: 'single-stage',
      tasks: [session ? 'SessionWindowTask' : 'WindowedAggregationTask'],
      reason: `the aggregation key is the input's partitioning key (${partitioned.why})`,
      outputs: { [DSL_OUTPUTS.results]: plan.sink.topic, ...side },
    };
  return {
    ...base,
    kind: 'two-stage',
    tasks: ['PartialAggregationTask', 'MergeTask'],
    reason: `the aggregation key is not the input's partitioning key (${partitioned.why})`,
    outputs: {
      [DSL_OUTPUTS.repartition]: `${appId}-repartition`,
      [DSL_OUTPUTS.results]: plan.sink.topic,
      ...side,
      [DSL_OUTPUTS.latePartials]:
        plan.sink.latePartials === undefined ? `${appId}-late-partials` : plan.sink.latePartials,
    },
  };
}

function keyMatchesPartitioning(plan: LogicalPlan): { matches: boolean; why: string } {
  if (plan.key.inputPartitioned) return { matches: true, why: 'keyBy is marked inputPartitioned' };
  const declared = plan.source.partitionedBy;
  if (declared === undefined) return { matches: false, why: 'the source declares no partitionedBy' };
  if (plan.steps.some(changesElement))
    return { matches: false, why: 'a map or enrich between the source and keyBy may change the key' };
  if (!sameSelector(declared, plan.key.selector))
    return {
      matches: false,
      why: `keyBy ${describe(plan.key.selector)} ≠ partitionedBy ${describe(declared)}`,
    };
  return { matches: true, why: `keyBy ${describe(plan.key.selector)} = source partitionedBy` };
}

function sameSelector(a: KeySelector<any>, b: KeySelector<any>): boolean {
  return a === b;
}

function describe(selector: KeySelector<any>): string {
  return typeof selector === 'string' ? `'${selector}'` : 'a function';
}
