import { option, z } from '@tributary/options';
import { fn, integer, positiveInt, processorOptions, topicName } from '../config/option-schemas.js';
import type { StreamJobOptions } from '../config/stream-job-options.js';
import {
  IntervalJoinTask,
  type IntervalJoinSide,
  type IntervalJoinTaskOptions,
} from './interval-join-task.js';
import { JoinSideTask, type JoinSideTaskOptions } from './join-side-task.js';
import type { JoinSide } from './join-record-format.js';
import { OUTPUT_NAMES, type OutputNames } from './options.js';

/** Name of the right side's stage (group `${applicationId}-join-right`). */
export const JOIN_RIGHT_STAGE = 'join-right';

/** One source of the join: its topic and how its events are read (the options of its JoinSideTasks). */
export type IntervalJoinSource<E> = Omit<
  JoinSideTaskOptions<E>,
  'side' | 'inputPartition' | 'partitionCount' | 'outputs'
> & {
  topic: string;
};

export interface IntervalJoinJobOptions<L, R, O> {
  /** The left source (e.g. clicks); its stage is stage 1, group `applicationId`. */
  left: IntervalJoinSource<L>;
  /** The right source (e.g. orders); its stage is group `${applicationId}-join-right`. */
  right: IntervalJoinSource<R>;
  /** `right.ts - left.ts` must be in `[lowerMs, upperMs]`. */
  lowerMs: number;
  upperMs: number;
  joiner: (left: L, right: R, key: string) => O;
  /** @defaultValue JSON of the result */
  encode?: (joined: O) => Buffer | string;
  /** The Kafka key of a result. @defaultValue the join key */
  resultKeyOf?: (joined: O, joinKey: string) => string;
  /** Results timestamped `max(left.ts, right.ts)` instead of the commit's time. @defaultValue false */
  eventTimeTimestamps?: boolean;
  /** @defaultValue INTERVAL_JOIN_DEFAULTS.maxBufferedRecords */
  maxBufferedRecords?: number;
  /** Logical output names of every task of the join. @defaultValue results, late, dead-letter, repartition */
  outputs?: OutputNames;
}

const source = z.looseObject({ topic: topicName });

const INTERVAL_JOIN_JOB_OPTIONS = processorOptions(
  'intervalJoinStages',
  {
    left: option(source, 'the left source'),
    right: option(source, 'the right source'),
    lowerMs: option(integer, 'lower bound of right.ts - left.ts'),
    upperMs: option(integer, 'upper bound of right.ts - left.ts'),
    joiner: option(fn(), 'joins a left and a right event'),
    encode: option(fn().optional(), 'encodes a joined result'),
    resultKeyOf: option(fn().optional(), 'the key of a result'),
    eventTimeTimestamps: option(z.boolean().optional(), 'results timestamped by event time'),
    maxBufferedRecords: option(positiveInt.optional(), 'events buffered by both sides'),
    outputs: OUTPUT_NAMES,
  },
  (o, fail) => {
    if (o.left.topic === o.right.topic) fail('right', `topic must differ from left.topic (${o.left.topic})`);
  },
);

/** The stages of an interval join, to spread into `createStreamJob`'s options (with `outputs` mapping the names). */
export type IntervalJoinStages = Required<
  Pick<StreamJobOptions, 'input' | 'taskFactory' | 'extraStages' | 'merge'>
>;

/**
 * An interval join as stages of the existing runtime, no new machinery: stage 1 reads the left topic and the
 * `join-right` stage the right topic, each with a JoinSideTask per partition (the event-time contract of its own
 * partition, accepted events re-keyed by the join key onto the 'repartition' output, watermarks broadcast); the merge
 * stage runs an IntervalJoinTask per repartition partition. Map `repartition`, `results`, `late` and `dead-letter`
 * in the job's `outputs`.
 */
export function intervalJoinStages<L, R, O>(options: IntervalJoinJobOptions<L, R, O>): IntervalJoinStages {
  const o = INTERVAL_JOIN_JOB_OPTIONS.resolve(options);
  const { left, right } = options;
  const sideFactory =
    <E>(side: JoinSide, src: IntervalJoinSource<E>): IntervalJoinStages['taskFactory'] =>
    (_topic, partition, context) => {
      const { topic: _sourceTopic, ...sideOptions } = src;
      return new JoinSideTask<E>({
        ...sideOptions,
        side,
        inputPartition: partition,
        partitionCount: context.partitionCount,
        outputs: o.outputs,
      });
    };
  const joinOptions: IntervalJoinTaskOptions<L, R, O> = {
    lowerMs: options.lowerMs,
    upperMs: options.upperMs,
    left: joinSideOf(left),
    right: joinSideOf(right),
    joiner: options.joiner,
    outputs: o.outputs,
    ...(options.encode === undefined ? {} : { encode: options.encode }),
    ...(options.resultKeyOf === undefined ? {} : { resultKeyOf: options.resultKeyOf }),
    ...(o.eventTimeTimestamps === undefined ? {} : { eventTimeTimestamps: o.eventTimeTimestamps }),
    ...(o.maxBufferedRecords === undefined ? {} : { maxBufferedRecords: o.maxBufferedRecords }),
  };
  // Fails at start-up, naming the option, rather than at the first assignment.
  new IntervalJoinTask(joinOptions);
  return {
    input: { topic: left.topic },
    taskFactory: sideFactory('left', left),
    extraStages: [
      { name: JOIN_RIGHT_STAGE, input: { topic: right.topic }, taskFactory: sideFactory('right', right) },
    ],
    merge: { taskFactory: () => new IntervalJoinTask(joinOptions) },
  };
}

/** What the join task needs of a source: its decoder and allowed lateness (the side tasks' own). */
function joinSideOf<E>(src: IntervalJoinSource<E>): IntervalJoinSide<E> {
  return src.allowedLatenessMs === undefined
    ? { decode: src.decode }
    : { decode: src.decode, allowedLatenessMs: src.allowedLatenessMs };
}
