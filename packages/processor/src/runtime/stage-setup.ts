import type { ResolvedStreamJobOptions, TaskContext } from '../config/stream-job-options.js';
import type { EnrichmentTable } from '../enrichment/enrichment-table.js';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import type { TopicAdmin, TopicSpec } from '../kafka/topic-admin.js';
import { changelogTopic } from '../kafka/topic-names.js';
import type { StageSpec } from './stage-plan.js';
import type { StageDefinition } from './stage-runner.js';

/** The topic operations a stage setup needs: Kafka's `TopicAdmin`, or in-memory topics (the test driver). */
export type StageTopics = Pick<TopicAdmin, 'partitionCount' | 'ensureTopics' | 'maxMessageBytes'>;

/**
 * Prepares a job's stages one after the other, in plan order: learns each stage's input partition count, creates
 * its outputs and changelog topics (with `createTopics`), reads back what its runners need (output partition counts
 * and `max.message.bytes`) and checks a key-partitioned stage's state still fits its input.
 */
export class StageSetup {
  /** Partitions of every output topic, by topic (filled as the stages creating them are prepared). */
  readonly partitionCounts = new Map<string, number>();
  /** `max.message.bytes` of every output topic, by topic. */
  readonly maxMessageBytes = new Map<string, number>();
  readonly #inputPartitions = new Map<string, number>();
  readonly #admin: StageTopics;
  readonly #options: Pick<ResolvedStreamJobOptions, 'createTopics' | 'replicationFactor' | 'tables'>;
  readonly #tables: Record<string, EnrichmentTable<unknown>> = {};

  constructor(
    admin: StageTopics,
    options: Pick<ResolvedStreamJobOptions, 'createTopics' | 'replicationFactor' | 'tables'>,
  ) {
    this.#admin = admin;
    this.#options = options;
    for (const [name, spec] of options.tables) this.#tables[name] = spec.table as EnrichmentTable<unknown>;
  }

  async prepare(spec: StageSpec): Promise<StageDefinition> {
    const partitionCount = await this.#partitionCountOf(spec);
    this.#inputPartitions.set(spec.id, partitionCount);
    const context: TaskContext = {
      stageId: spec.id,
      partitionCount,
      upstreamPartitionCount:
        spec.upstream === undefined ? undefined : this.#inputPartitions.get(spec.upstream),
      tables: this.#tables,
    };
    const { replicationFactor } = this.#options;
    const outputs: TopicSpec[] = spec.outputs.map(({ topic, partitions }) => ({
      topic,
      numPartitions: partitions || partitionCount,
      replicationFactor,
    }));
    const changelogs: TopicSpec[] = spec.taskFactory(spec.inputTopic, 0, context).stores.map((store) => ({
      topic: changelogTopic(spec.id, store),
      numPartitions: partitionCount,
      replicationFactor,
      compacted: true,
    }));
    if (this.#options.createTopics) await this.#admin.ensureTopics([...outputs, ...changelogs]);
    await this.#readOutputs(spec);
    if (spec.onPartitionGrowth === 'refuse') {
      await checkMergeState(this.#admin, spec.inputTopic, partitionCount, changelogs);
    }
    const { id, inputTopic, taskFactory, onPartitionGrowth } = spec;
    return { id, inputTopic, taskFactory, context, onPartitionGrowth };
  }

  async #partitionCountOf(spec: StageSpec): Promise<number> {
    if (spec.inputPartitions.from === 'outputs') return this.partitionCounts.get(spec.inputTopic)!;
    const count = await this.#admin.partitionCount(spec.inputTopic);
    if (count === undefined) {
      throw new ProcessorError(PROCESSOR_ERROR_CODES.INPUT_TOPIC_MISSING, spec.inputPartitions.missing);
    }
    return count;
  }

  /** Partition counts, then `max.message.bytes`, of the stage's output topics (each once). */
  async #readOutputs(spec: StageSpec): Promise<void> {
    const topics = [...new Set(spec.outputs.map((o) => o.topic))];
    for (const topic of topics) {
      const count = await this.#admin.partitionCount(topic);
      if (count === undefined) {
        throw new ProcessorError(
          PROCESSOR_ERROR_CODES.TOPIC_ADMIN_FAILED,
          `output topic ${topic} does not exist (createTopics is off)`,
        );
      }
      this.partitionCounts.set(topic, count);
    }
    for (const [topic, limit] of await this.#admin.maxMessageBytes(topics)) {
      this.maxMessageBytes.set(topic, limit);
    }
  }
}

/**
 * The merge stage's state is keyed by the aggregation key over the repartition topic's partitions: its changelog
 * topics were created with that count. A repartition topic with more partitions now (grown by an operator) would send
 * a key's partials to another merge task than its earlier ones: refused, naming the topic and the way out.
 */
async function checkMergeState(
  admin: StageTopics,
  repartitionTopic: string,
  repartitionPartitions: number,
  changelogs: readonly TopicSpec[],
): Promise<void> {
  for (const { topic } of changelogs) {
    const count = await admin.partitionCount(topic);
    if (count === undefined || count === repartitionPartitions) continue;
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.TOPIC_MISMATCH,
      `repartition topic ${repartitionTopic} has ${repartitionPartitions} partitions but the merge state ` +
        `(changelog ${topic}) was built for ${count}: each key's partials would go to another merge task than ` +
        `its earlier ones. Give ${repartitionTopic} its ${count} partitions back (delete and recreate it), or ` +
        `reset the application (stop it, delete its consumer groups, changelog and repartition topics).`,
    );
  }
}
