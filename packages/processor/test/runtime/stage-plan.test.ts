import { describe, expect, it } from 'vitest';
import type { TaskFactory } from '../../src/config/stream-job-options.js';
import { planStages } from '../../src/runtime/stage-plan.js';
import type { StagePlanOptions } from '../../src/runtime/stage-plan.js';

const factory = (): TaskFactory => () => {
  throw new Error('not called by the planner');
};
const stage1 = factory();
const merge = factory();
const enrich = factory();

const base: StagePlanOptions = {
  applicationId: 'app',
  input: { topic: 'in' },
  taskFactory: stage1,
  outputs: new Map([['results', 'out']]),
  merge: undefined,
  extraStages: [],
  topicPartitions: 0,
  repartitionPartitions: 0,
};

describe('planStages', () => {
  it('plans a one-stage job: the input topic in group applicationId, creating the outputs', () => {
    const outputs = new Map<string, string | null>([
      ['results', 'out'],
      ['dropped', null],
      ['copy', 'out'],
    ]);
    expect(planStages({ ...base, outputs, topicPartitions: 6 })).toEqual([
      {
        id: 'app',
        inputTopic: 'in',
        inputPartitions: { from: 'broker', missing: 'input topic in does not exist' },
        taskFactory: stage1,
        outputs: [
          { topic: 'out', partitions: 6 },
          { topic: 'out', partitions: 6 },
        ],
        upstream: undefined,
        onPartitionGrowth: 'grow',
      },
    ]);
  });

  it('plans a two-stage job: the merge consumes the repartition output in group applicationId-merge', () => {
    const outputs = new Map([
      ['repartition', 'app-repartition'],
      ['results', 'out'],
    ]);
    const stages = planStages({ ...base, outputs, merge: { taskFactory: merge }, repartitionPartitions: 3 });
    expect(stages.map((s) => s.id)).toEqual(['app', 'app-merge']);
    expect(stages[0]!.outputs).toEqual([
      { topic: 'app-repartition', partitions: 3 },
      { topic: 'out', partitions: 0 },
    ]);
    expect(stages[1]).toEqual({
      id: 'app-merge',
      inputTopic: 'app-repartition',
      inputPartitions: { from: 'outputs' },
      taskFactory: merge,
      outputs: [],
      upstream: 'app',
      onPartitionGrowth: 'refuse',
    });
  });

  it('plans no merge stage when the repartition output is discarded', () => {
    const outputs = new Map<string, string | null>([['repartition', null]]);
    const stages = planStages({ ...base, outputs, merge: { taskFactory: merge } });
    expect(stages.map((s) => s.id)).toEqual(['app']);
    expect(stages[0]!.outputs).toEqual([]);
  });

  it('plans extra stages after the merge, each in group applicationId-name on its own input', () => {
    const outputs = new Map([['repartition', 'app-repartition']]);
    const stages = planStages({
      ...base,
      outputs,
      merge: { taskFactory: merge },
      extraStages: [{ name: 'enrich', input: { topic: 'clicks' }, taskFactory: enrich }],
    });
    expect(stages.map((s) => s.id)).toEqual(['app', 'app-merge', 'app-enrich']);
    expect(stages[2]).toEqual({
      id: 'app-enrich',
      inputTopic: 'clicks',
      inputPartitions: { from: 'broker', missing: 'input topic clicks of stage enrich does not exist' },
      taskFactory: enrich,
      outputs: [],
      upstream: undefined,
      onPartitionGrowth: 'grow',
    });
  });
});
