/* eslint-disable @typescript-eslint/no-explicit-any -- selectors of any element type */
import { invalidOption } from '../errors.js';
import type { KeySelector, LogicalPlan } from './logical-plan.js';
import { changesElement } from './pipeline.js';
import type { TableRef } from './table.js';

/** The physical shapes a DSL job compiles to. */
export const PLAN_KINDS = ['single-stage', 'two-stage', 'interval-join'] as const;
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
  /**
   * The engine tasks: `WindowedAggregationTask`, `SessionWindowTask`, `PartialAggregationTask` + `MergeTask`, or
   * `JoinSideTask` + `IntervalJoinTask`.
   */
  readonly tasks: readonly string[];
  /** Why this shape (for logs and `explain`). */
  readonly reason: string;
  /** Logical output → topic (`null`: discarded), as `createStreamJob`'s `outputs`. */
  readonly outputs: Readonly<Record<string, string | null>>;
  readonly inputTopic: string;
  /** Interval joins: the right side's topic (`inputTopic` is the left side's). */
  readonly rightInputTopic?: string;
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
  if (partitioned.matches && plan.accepted !== undefined)
    throw invalidOption(
      'acceptedTo',
      `needs a two-stage job (stage 1 writes the accepted events), and this one runs in one stage (${partitioned.why})`,
    );
  if (plan.accepted !== undefined && Object.values<string>(DSL_OUTPUTS).includes(plan.accepted.output))
    throw invalidOption(
      'acceptedTo.output',
      `must not be one of the planner's outputs (${plan.accepted.output})`,
    );
  const tables = Object.fromEntries([...planTables(plan)].map(([name, ref]) => [name, ref.topic]));
  const base = { inputTopic: plan.source.topic, tables };
  if (partitioned.matches)
    return {
      ...base,
      kind: 'single-stage',
      tasks: [session ? 'SessionWindowTask' : 'WindowedAggregationTask'],
      reason: `the aggregation key is the input's partitioning key (${partitioned.why})`,
      outputs: withExtraOutputs(plan, { [DSL_OUTPUTS.results]: plan.sink.topic, ...side }),
    };
  return {
    ...base,
    kind: 'two-stage',
    tasks: ['PartialAggregationTask', 'MergeTask'],
    reason: `the aggregation key is not the input's partitioning key (${partitioned.why})`,
    outputs: withExtraOutputs(plan, {
      [DSL_OUTPUTS.repartition]: plan.sink.repartition ?? `${appId}-repartition`,
      [DSL_OUTPUTS.results]: plan.sink.topic,
      ...side,
      [DSL_OUTPUTS.latePartials]:
        plan.sink.latePartials === undefined ? `${appId}-late-partials` : plan.sink.latePartials,
      ...(plan.accepted === undefined ? {} : { [plan.accepted.output]: plan.accepted.topic }),
    }),
  };
}

/**
 * The tables the job loads, by name: those of `enrich` steps, then those an `acceptedTo` encoder reads. One name
 * naming two topics, or two tables, fails.
 */
export function planTables(plan: Pick<LogicalPlan, 'steps' | 'accepted'>): Map<string, TableRef<unknown>> {
  const refs = [
    ...plan.steps.flatMap((s) => (s.kind === 'enrich' ? [s.table] : [])),
    ...(plan.accepted?.tables ?? []),
  ];
  const tables = new Map<string, TableRef<unknown>>();
  for (const ref of refs) {
    const known = tables.get(ref.name);
    if (known !== undefined && known.topic !== ref.topic)
      throw invalidOption(`tables.${ref.name}`, `names two topics (${known.topic}, ${ref.topic})`);
    if (known !== undefined && known.table !== ref.table)
      throw invalidOption(`tables.${ref.name}`, 'names two tables: use one table(…) reference per name');
    tables.set(ref.name, ref);
  }
  return tables;
}

/** `outputs` with the sink's `extraOutputs` added; an extra output of a name the planner uses fails. */
function withExtraOutputs(
  plan: LogicalPlan,
  outputs: Record<string, string | null>,
): Record<string, string | null> {
  for (const [name, topic] of Object.entries(plan.sink.extraOutputs ?? {})) {
    if (name in outputs)
      throw invalidOption(
        `extraOutputs.${name}`,
        'is an output the planner already uses: choose another name',
      );
    outputs[name] = topic;
  }
  return outputs;
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
