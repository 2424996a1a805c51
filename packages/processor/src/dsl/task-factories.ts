import type { TaskContext, TaskFactory } from '../config/stream-job-options.js';
import { MergeTask } from '../engine/merge-task.js';
import { PartialAggregationTask } from '../engine/partial-aggregation-task.js';
import { SessionWindowTask } from '../engine/session-window-task.js';
import { WindowedAggregationTask } from '../engine/windowed-aggregation-task.js';
import { jsonResultEncoder } from '../engine/window-result.js';
import { PROCESSOR_ERROR_CODES, ProcessorError, invalidOption } from '../errors.js';
import { createWindowAssigner } from '../windows/window-spec.js';
import { optionalDurationMs } from './duration.js';
import type { KeySelector, LogicalPlan } from './logical-plan.js';
import { composeDecoder } from './pipeline.js';
import { DSL_OUTPUTS, type PhysicalPlan } from './planner.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the compiled tasks are typed by the builders */

/** The task factories of a planned job: stage 1, and the merge stage of a two-stage job. */
export interface CompiledTasks {
  readonly taskFactory: TaskFactory;
  readonly mergeTaskFactory: TaskFactory | undefined;
}

/** The logical output names the compiled tasks write (a stage of its own renames them: see `StreamPlan.alongside`). */
export interface TaskOutputNames {
  readonly results: string;
  readonly late: string;
  readonly deadLetter: string;
}

const OUTPUTS: TaskOutputNames = {
  results: DSL_OUTPUTS.results,
  late: DSL_OUTPUTS.late,
  deadLetter: DSL_OUTPUTS.deadLetter,
};

/** The engine tasks of `physical`, configured from `plan`: options left out keep the engine's defaults. */
export function compileTasks(
  plan: LogicalPlan,
  physical: PhysicalPlan,
  names: TaskOutputNames = OUTPUTS,
): CompiledTasks {
  const outputs = { ...names, repartition: DSL_OUTPUTS.repartition };
  const keyOf = keyFunction(plan.key.selector);
  const ws = plan.windowSettings;
  const windowTime = defined({
    outOfOrdernessMs: optionalDurationMs('window.outOfOrderness', ws.outOfOrderness),
    allowedLatenessMs: optionalDurationMs('window.allowedLateness', ws.allowedLateness),
    idleTimeoutMs: optionalDurationMs('window.idleness', ws.idleness),
    idleAdvanceMode: ws.idleAdvance,
    wallClockAdvance: ws.wallClockAdvance,
  });
  const eventTime = {
    ...windowTime,
    ...defined({
      dedupTtlMs: optionalDurationMs('dedupBy.ttl', plan.dedup?.ttl),
      maxDedupEntries: plan.dedup?.maxEntries,
    }),
  };
  const dedup = plan.dedup === undefined ? {} : { eventIdOf: decidedByDecoder('eventId') };
  const events = (context: Pick<TaskContext, 'tables'>) => ({
    decode: composeDecoder(plan.source.codec, plan.steps, keyOf, context),
    timestampOf: decidedByDecoder('timestamp'),
    keyOf,
    ...dedup,
    ...eventTime,
    outputs,
  });
  const emission = { onTimeResults: plan.emit.mode === 'updates' };
  const aggregator = plan.aggregator;
  const encodeResult = plan.sink.encode ?? jsonResultEncoder();
  const keepResult = plan.resultFilter === undefined ? {} : { keepResult: plan.resultFilter };
  const window = plan.window;
  if (physical.kind === 'single-stage') {
    if (window.kind === 'session') {
      const gapMs = window.gapMs;
      const limits = defined({ maxOpenSessions: ws.maxOpenSessions });
      return {
        taskFactory: (_topic, _partition, context) =>
          new SessionWindowTask<any, any, any>({
            ...events(context),
            ...limits,
            ...emission,
            gapMs,
            aggregator,
            encodeResult,
            ...keepResult,
          }),
        mergeTaskFactory: undefined,
      };
    }
    const single = defined({
      maxKeysPerWindow: ws.maxKeysPerWindow,
      earlyUpdateIntervalMs:
        plan.emit.every === undefined ? undefined : optionalDurationMs('emit.every', plan.emit.every),
    });
    return {
      taskFactory: (_topic, _partition, context) =>
        new WindowedAggregationTask<any, any, any>({
          ...events(context),
          ...single,
          ...emission,
          window: createWindowAssigner(window),
          aggregator,
          encodeResult,
          ...keepResult,
        }),
      mergeTaskFactory: undefined,
    };
  }
  const limits = defined({
    maxKeysPerWindow: ws.maxKeysPerWindow,
    watermarkHeartbeatMs: optionalDurationMs('window.watermarkHeartbeat', ws.watermarkHeartbeat),
  });
  const accepted = plan.accepted;
  const acceptedEvents =
    accepted === undefined ? {} : { acceptedEvents: { output: accepted.output, encode: accepted.encode } };
  const retention = defined({
    closedWindowRetentionMs: optionalDurationMs('window.closedWindowRetention', ws.closedWindowRetention),
  });
  return {
    taskFactory: (_topic, partition, context) =>
      new PartialAggregationTask<any, any, any>({
        ...events(context),
        ...limits,
        ...acceptedEvents,
        inputPartition: partition,
        window: createWindowAssigner(window),
        aggregator,
      }),
    mergeTaskFactory: (_topic, _partition, context) => {
      const upstreamPartitions = context.upstreamPartitionCount;
      if (upstreamPartitions === undefined)
        throw invalidOption('upstreamPartitionCount', 'is required by the merge stage (TaskContext)');
      return new MergeTask<any, any>({
        ...windowTime,
        ...retention,
        ...emission,
        upstreamPartitions,
        aggregator,
        encodeResult,
        ...keepResult,
        outputs,
        latePartialsOutput: DSL_OUTPUTS.latePartials,
      });
    },
  };
}

/** The key function of a selector: the field's value, or the function itself. */
export function keyFunction<E>(selector: KeySelector<E>): (event: E) => string {
  if (typeof selector === 'function') return selector;
  return (event) => (event as Record<string, string>)[selector]!;
}

/** The compiled decoder always decides this (the task's function is never reached). */
export function decidedByDecoder(what: string): (event: unknown) => never {
  return () => {
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.INVALID_STATE,
      `the stream decoder decides every event's ${what}; a task asked the event instead`,
    );
  };
}

/** `o` without its undefined properties (an option left out keeps the engine's default). */
export function defined<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
