import type { ResolvedStreamJobOptions, TaskFactory } from '../config/stream-job-options.js';
import type { PartitionGrowthPolicy } from './stage-runner.js';

/** A topic a stage writes to, created with the stage before its changelog topics. */
export interface StageOutput {
  readonly topic: string;
  /** Partitions when the topic is created; 0 = as many as the stage's input topic. */
  readonly partitions: number;
}

/**
 * Where a stage learns how many partitions its input topic has: `broker` looks the topic up (missing: fails with
 * `TRIB_PROC_INPUT_TOPIC_MISSING` and the message `missing`); `outputs` takes the count read when an earlier stage
 * created the topic as one of its outputs.
 */
export type InputPartitions =
  { readonly from: 'broker'; readonly missing: string } | { readonly from: 'outputs' };

/** One stage of a job as plain data: what it consumes, in which group, and what it creates before it starts. */
export interface StageSpec {
  /** Consumer group id; also prefixes transactional ids and changelog topics. */
  readonly id: string;
  readonly inputTopic: string;
  readonly inputPartitions: InputPartitions;
  readonly taskFactory: TaskFactory;
  /** Topics the stage creates before its changelogs (options order, `null` outputs left out). */
  readonly outputs: readonly StageOutput[];
  /** Id of the stage whose input partition count the tasks learn as `upstreamPartitionCount`. */
  readonly upstream: string | undefined;
  /**
   * `refuse` also means the stage's state is keyed over its input's partitions: it does not start when its
   * changelog topics were built for another partition count.
   */
  readonly onPartitionGrowth: PartitionGrowthPolicy;
}

export type StagePlanOptions = Pick<
  ResolvedStreamJobOptions,
  | 'applicationId'
  | 'input'
  | 'taskFactory'
  | 'outputs'
  | 'merge'
  | 'extraStages'
  | 'topicPartitions'
  | 'repartitionPartitions'
>;

/**
 * The job's stages in start order: stage 1 on the input topic (group `applicationId`, creating the outputs), the
 * merge stage on the repartition topic (group `${applicationId}-merge`) when there is one, then each extra stage
 * (group `${applicationId}-${name}`).
 */
export function planStages(o: StagePlanOptions): StageSpec[] {
  const outputs: StageOutput[] = [];
  for (const [name, topic] of o.outputs) {
    if (topic === null) continue;
    outputs.push({ topic, partitions: name === 'repartition' ? o.repartitionPartitions : o.topicPartitions });
  }
  const stages: StageSpec[] = [
    {
      id: o.applicationId,
      inputTopic: o.input.topic,
      inputPartitions: { from: 'broker', missing: `input topic ${o.input.topic} does not exist` },
      taskFactory: o.taskFactory,
      outputs,
      upstream: undefined,
      onPartitionGrowth: 'grow',
    },
  ];
  const repartitionTopic = o.outputs.get('repartition') ?? undefined;
  if (o.merge !== undefined && repartitionTopic !== undefined) {
    stages.push({
      id: `${o.applicationId}-merge`,
      inputTopic: repartitionTopic,
      inputPartitions: { from: 'outputs' },
      taskFactory: o.merge.taskFactory,
      outputs: [],
      upstream: o.applicationId,
      onPartitionGrowth: 'refuse',
    });
  }
  for (const stage of o.extraStages) {
    stages.push({
      id: `${o.applicationId}-${stage.name}`,
      inputTopic: stage.input.topic,
      inputPartitions: {
        from: 'broker',
        missing: `input topic ${stage.input.topic} of stage ${stage.name} does not exist`,
      },
      taskFactory: stage.taskFactory,
      outputs: [],
      upstream: undefined,
      onPartitionGrowth: 'grow',
    });
  }
  return stages;
}
