/* eslint-disable @typescript-eslint/no-explicit-any -- the join plan holds the sides untyped; the builders type them */
import { intervalJoinStages, type IntervalJoinStages } from '../engine/interval-join-job.js';
import { JOIN_RIGHT_STAGE } from '../engine/interval-join-job.js';
import { invalidOption } from '../errors.js';
import type { Duration, SignedDuration } from './duration.js';
import { optionalDurationMs } from './duration.js';
import type { KeySelector, LogicalPlan, SinkOptions, StreamJobSettings } from './logical-plan.js';
import { composeDecoder } from './pipeline.js';
import { DSL_OUTPUTS, type PhysicalPlan } from './planner.js';
import { decidedByDecoder, defined, keyFunction } from './task-factories.js';

/** How two streams are joined: the key of each side and the interval of `right.ts − left.ts`. */
export interface JoinSpec<L, R> {
  /** The join key of a left element: a string field, or a function returning a string. */
  leftKey: KeySelector<L>;
  /** The join key of a right element. */
  rightKey: KeySelector<R>;
  /**
   * A left and a right element with the same key are joined when `right.ts − left.ts ∈ [lower, upper]`, bounds
   * included (Flink's `between(lower, upper)`): `{ lower: 0, upper: '30m' }` joins a right element up to 30 minutes
   * after the left one, `{ lower: '-5m', upper: '5m' }` within 5 minutes either way.
   */
  between: { lower: SignedDuration; upper: SignedDuration };
  /**
   * Bounded out-of-orderness B: a side's watermark = max event time − B. One duration for both sides, or
   * `{ left, right }` when the two topics are out of order by different amounts (Flink: a watermark strategy per
   * source). @defaultValue '5s'
   */
  outOfOrderness?: PerSide<Duration>;
  /** Allowed lateness L: an event is late once `ts + 1 + L ≤ watermark`; one for both sides or `{ left, right }`. @defaultValue 0 */
  allowedLateness?: PerSide<Duration>;
  /** Events both sides buffer per join partition; beyond it an event is dead-lettered. @defaultValue 200000 */
  maxBufferedRecords?: number;
}

/** One value for both sides of a join, or one per side (a side left out keeps the default). */
export type PerSide<T> = T | { readonly left?: T; readonly right?: T };

/** The event-time settings of one side, in ms (undefined: the engine's default). */
export interface JoinSideEventTime {
  readonly outOfOrdernessMs: number | undefined;
  readonly allowedLatenessMs: number | undefined;
}

/** `value` in ms for each side, failing naming `option` (or `option.left` / `option.right`). */
export function perSideDurationMs(
  option: string,
  value: PerSide<Duration> | undefined,
): { left: number | undefined; right: number | undefined } {
  if (typeof value !== 'object' || value === null) {
    const ms = optionalDurationMs(option, value);
    return { left: ms, right: ms };
  }
  for (const name of Object.keys(value))
    if (name !== 'left' && name !== 'right')
      throw invalidOption(`${option}.${name}`, 'is not a side: use { left, right }');
  return {
    left: optionalDurationMs(`${option}.left`, value.left),
    right: optionalDurationMs(`${option}.right`, value.right),
  };
}

/** Where a join's results and side outputs go (`null`: discarded). */
export interface JoinSinkOptions<O> extends Pick<
  SinkOptions,
  'late' | 'deadLetter' | 'repartition' | 'extraOutputs'
> {
  /**
   * The Kafka key of a result (its partition on the topic), e.g. the key a downstream aggregation groups by.
   * @defaultValue the join key
   */
  key?: KeySelector<O>;
}

/** One side of a join as written: its source and per-event steps. */
export type JoinSideDraft = Pick<LogicalPlan, 'source' | 'steps' | 'dedup'>;

/** An interval join as written, as data. */
export interface JoinLogicalPlan {
  readonly kind: 'join';
  readonly settings: StreamJobSettings;
  readonly left: JoinSideDraft;
  readonly right: JoinSideDraft;
  readonly leftKey: KeySelector<any>;
  readonly rightKey: KeySelector<any>;
  readonly lowerMs: number;
  readonly upperMs: number;
  readonly eventTime: { readonly left: JoinSideEventTime; readonly right: JoinSideEventTime };
  readonly maxBufferedRecords: number | undefined;
  readonly joiner: (left: any, right: any, key: string) => unknown;
  readonly sink: {
    readonly topic: string;
    readonly encode: ((joined: any) => Buffer | string) | undefined;
  } & JoinSinkOptions<any>;
}

/** An interval join always runs as the engine's join stages. */
export function planJoin(plan: JoinLogicalPlan): PhysicalPlan {
  const appId = plan.settings.applicationId;
  const sink = plan.sink;
  const left = plan.left.source.topic;
  const right = plan.right.source.topic;
  const repartition = sink.repartition ?? `${appId}-repartition`;
  for (const topic of [left, right, repartition])
    if (sink.topic === topic)
      throw invalidOption('to.topic', `must not be a topic the join reads (${topic})`);
  if (repartition === left || repartition === right)
    throw invalidOption('repartition', `must not be an input topic of the join (${repartition})`);
  const outputs: Record<string, string | null> = {
    [DSL_OUTPUTS.repartition]: repartition,
    [DSL_OUTPUTS.results]: sink.topic,
    [DSL_OUTPUTS.late]: sink.late === undefined ? `${appId}-late` : sink.late,
    [DSL_OUTPUTS.deadLetter]: sink.deadLetter === undefined ? `${appId}-dlq` : sink.deadLetter,
  };
  for (const [name, topic] of Object.entries(sink.extraOutputs ?? {})) {
    if (name in outputs)
      throw invalidOption(
        `extraOutputs.${name}`,
        'is an output the planner already uses: choose another name',
      );
    outputs[name] = topic;
  }
  return {
    kind: 'interval-join',
    tasks: ['JoinSideTask', 'IntervalJoinTask'],
    reason:
      `${left} ⋈ ${right} on right.ts − left.ts ∈ [${plan.lowerMs}, ${plan.upperMs}] ms: a JoinSideTask per ` +
      `partition of ${left} (stage ${appId}) and of ${right} (stage ${appId}-${JOIN_RIGHT_STAGE}) sends ` +
      `the accepted events by join key to ${repartition}, an IntervalJoinTask per partition of it (stage ` +
      `${appId}-merge) joins them`,
    outputs,
    inputTopic: left,
    rightInputTopic: right,
    tables: {},
  };
}

/** No side of a join enriches (the join task decodes buffered events again, without the job's tables). */
const NO_TABLES = { tables: {} };

/** The engine's join stages for `plan`; options left out keep the engine's defaults. */
export function compileJoin(plan: JoinLogicalPlan): IntervalJoinStages {
  const side = (name: 'left' | 'right', draft: JoinSideDraft, selector: KeySelector<any>) => {
    const keyOf = keyFunction(selector);
    const dedup =
      draft.dedup === undefined
        ? {}
        : {
            eventIdOf: decidedByDecoder('eventId'),
            ...defined({
              dedupTtlMs: optionalDurationMs(`join.${name}.dedupBy.ttl`, draft.dedup.ttl),
              maxDedupEntries: draft.dedup.maxEntries,
            }),
          };
    return {
      topic: draft.source.topic,
      decode: composeDecoder(draft.source.codec, draft.steps, keyOf, NO_TABLES, `join.${name}Key`),
      timestampOf: decidedByDecoder('timestamp'),
      keyOf,
      ...dedup,
      ...defined({ ...plan.eventTime[name] }),
    };
  };
  const resultKey = plan.sink.key;
  const keyOfResult = resultKey === undefined ? undefined : keyFunction(resultKey);
  return intervalJoinStages({
    left: side('left', plan.left, plan.leftKey),
    right: side('right', plan.right, plan.rightKey),
    lowerMs: plan.lowerMs,
    upperMs: plan.upperMs,
    joiner: plan.joiner,
    eventTimeTimestamps: true,
    ...(plan.sink.encode === undefined ? {} : { encode: plan.sink.encode }),
    ...(keyOfResult === undefined ? {} : { resultKeyOf: (joined: unknown) => keyOfResult(joined) }),
    ...defined({ maxBufferedRecords: plan.maxBufferedRecords }),
  });
}
