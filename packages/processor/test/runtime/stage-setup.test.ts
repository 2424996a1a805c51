import { describe, expect, it } from 'vitest';
import type { TaskContext, TaskFactory } from '../../src/config/stream-job-options.js';
import type { TopicAdmin, TopicSpec } from '../../src/kafka/topic-admin.js';
import { planStages } from '../../src/runtime/stage-plan.js';
import type { StagePlanOptions } from '../../src/runtime/stage-plan.js';
import { StageSetup } from '../../src/runtime/stage-setup.js';
import type { PartitionTask } from '../../src/task/partition-task.js';

/**
 * An admin over `topics` (name → partitions) recording the calls that reach the broker (like `TopicAdmin`, an empty
 * list makes no request); `ensureTopics` creates what is missing.
 */
function fakeAdmin(topics: Record<string, number>) {
  const calls: unknown[] = [];
  const admin = {
    async partitionCount(topic: string) {
      calls.push(['partitionCount', topic]);
      return topics[topic];
    },
    async ensureTopics(specs: readonly TopicSpec[]) {
      if (specs.length === 0) return;
      calls.push(['ensureTopics', specs]);
      for (const s of specs) topics[s.topic] ??= s.numPartitions;
    },
    async maxMessageBytes(names: readonly string[]) {
      if (names.length > 0) calls.push(['maxMessageBytes', names]);
      return new Map(names.map((n) => [n, 1000]));
    },
  };
  return { admin: admin as unknown as TopicAdmin, calls };
}

function storesFactory(stores: string[], contexts: TaskContext[]): TaskFactory {
  return (_topic, _partition, context) => {
    contexts.push(context);
    return { stores } as unknown as PartitionTask;
  };
}

const setupOptions = { createTopics: true, replicationFactor: 1, tables: new Map() };

describe('StageSetup', () => {
  it('creates and reads each stage topics in the order of the plan, giving the merge its upstream count', async () => {
    const contexts: TaskContext[] = [];
    const plan: StagePlanOptions = {
      applicationId: 'app',
      input: { topic: 'in' },
      taskFactory: storesFactory(['counts'], contexts),
      outputs: new Map([
        ['repartition', 'app-repartition'],
        ['results', 'out'],
      ]),
      merge: { taskFactory: storesFactory(['windows'], contexts) },
      extraStages: [{ name: 'enrich', input: { topic: 'clicks' }, taskFactory: storesFactory([], contexts) }],
      topicPartitions: 0,
      repartitionPartitions: 2,
    };
    const { admin, calls } = fakeAdmin({ in: 4, clicks: 3 });
    const setup = new StageSetup(admin, setupOptions);
    const definitions = [];
    for (const spec of planStages(plan)) definitions.push(await setup.prepare(spec));

    expect(calls).toEqual([
      ['partitionCount', 'in'],
      [
        'ensureTopics',
        [
          { topic: 'app-repartition', numPartitions: 2, replicationFactor: 1 },
          { topic: 'out', numPartitions: 4, replicationFactor: 1 },
          { topic: 'app-counts-changelog', numPartitions: 4, replicationFactor: 1, compacted: true },
        ],
      ],
      ['partitionCount', 'app-repartition'],
      ['partitionCount', 'out'],
      ['maxMessageBytes', ['app-repartition', 'out']],
      [
        'ensureTopics',
        [{ topic: 'app-merge-windows-changelog', numPartitions: 2, replicationFactor: 1, compacted: true }],
      ],
      ['partitionCount', 'app-merge-windows-changelog'],
      ['partitionCount', 'clicks'],
    ]);
    expect(definitions.map((d) => [d.id, d.inputTopic, d.onPartitionGrowth])).toEqual([
      ['app', 'in', 'grow'],
      ['app-merge', 'app-repartition', 'refuse'],
      ['app-enrich', 'clicks', 'grow'],
    ]);
    expect(definitions.map((d) => [d.context.partitionCount, d.context.upstreamPartitionCount])).toEqual([
      [4, undefined],
      [2, 4],
      [3, undefined],
    ]);
    expect(setup.partitionCounts).toEqual(
      new Map([
        ['app-repartition', 2],
        ['out', 4],
      ]),
    );
    expect(setup.maxMessageBytes).toEqual(
      new Map([
        ['app-repartition', 1000],
        ['out', 1000],
      ]),
    );
  });

  it('fails with the codes and messages of a missing input and of merge state built for another count', async () => {
    const missing = planStages({
      applicationId: 'app',
      input: { topic: 'in' },
      taskFactory: storesFactory([], []),
      outputs: new Map(),
      merge: undefined,
      extraStages: [],
      topicPartitions: 0,
      repartitionPartitions: 0,
    });
    await expect(
      new StageSetup(fakeAdmin({}).admin, setupOptions).prepare(missing[0]!),
    ).rejects.toMatchObject({
      code: 'TRIB_PROC_INPUT_TOPIC_MISSING',
      message: 'input topic in does not exist',
    });

    const merged = planStages({
      applicationId: 'app',
      input: { topic: 'in' },
      taskFactory: storesFactory([], []),
      outputs: new Map([['repartition', 'app-repartition']]),
      merge: { taskFactory: storesFactory(['windows'], []) },
      extraStages: [],
      topicPartitions: 0,
      repartitionPartitions: 0,
    });
    const setup = new StageSetup(
      fakeAdmin({ in: 2, 'app-repartition': 4, 'app-merge-windows-changelog': 2 }).admin,
      {
        ...setupOptions,
        createTopics: false,
      },
    );
    await setup.prepare(merged[0]!);
    await expect(setup.prepare(merged[1]!)).rejects.toMatchObject({
      code: 'TRIB_PROC_TOPIC_MISMATCH',
      message: expect.stringContaining(
        'repartition topic app-repartition has 4 partitions but the merge state',
      ),
    });
  });
});
