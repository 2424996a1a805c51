import { partitionForKey } from '@tributary/kafka';
import type { StreamJobOptions, TaskContext } from '../../src/config/stream-job-options.js';
import type { EnrichmentTable } from '../../src/enrichment/enrichment-table.js';
import type { InputRecord, OutputRecord, PartitionTask } from '../../src/task/partition-task.js';

/**
 * Runs a compiled job's task factories by hand, as the runtime would: one stage-1 task per input partition, the
 * repartition output delivered to the merge tasks (by key with Kafka's partitioner, broadcast to all), every other
 * output collected by logical name.
 */
export class PlanRunner {
  readonly tasks: PartitionTask[];
  readonly merges: PartitionTask[];
  readonly outputs = new Map<string, OutputRecord[]>();
  readonly #offsets: number[];
  readonly #repOffsets: number[];

  constructor(
    readonly options: StreamJobOptions,
    partitions: number,
    mergePartitions = partitions,
    tables: Record<string, EnrichmentTable<unknown>> = {},
  ) {
    const context = (stageId: string, count: number, upstream?: number): TaskContext => ({
      stageId,
      partitionCount: count,
      upstreamPartitionCount: upstream,
      tables,
    });
    const stage1 = context(options.applicationId, partitions);
    this.tasks = Array.from({ length: partitions }, (_, p) =>
      options.taskFactory(options.input.topic, p, stage1),
    );
    const merge = options.merge;
    const stage2 = context(`${options.applicationId}-merge`, mergePartitions, partitions);
    this.merges =
      merge === undefined
        ? []
        : Array.from({ length: mergePartitions }, (_, p) =>
            merge.taskFactory(options.outputs['repartition']!, p, stage2),
          );
    this.#offsets = new Array<number>(partitions).fill(0);
    this.#repOffsets = new Array<number>(mergePartitions).fill(0);
  }

  /** Feeds one record value to input partition `partition` (the next offset). */
  feed(partition: number, value: Buffer | null, key: Buffer | null = null, timestamp = -1): void {
    const record: InputRecord = {
      topic: this.options.input.topic,
      partition,
      offset: this.#offsets[partition]!++,
      timestamp,
      key,
      value,
      headers: {},
    };
    this.tasks[partition]!.process(record);
  }

  /** A commit of stage-1 partition `p`: its outputs are collected or delivered to the merge tasks. */
  commit(p: number): void {
    for (const out of this.tasks[p]!.drainOutputs()) {
      if (out.output !== 'repartition') {
        this.#collect(out);
        continue;
      }
      const targets =
        out.destination.kind === 'broadcast'
          ? this.merges.map((_, i) => i)
          : [partitionForKey(out.key!, this.merges.length)];
      for (const m of targets) {
        this.merges[m]!.process({
          topic: 'repartition',
          partition: m,
          offset: this.#repOffsets[m]!++,
          timestamp: -1,
          key: out.key,
          value: out.value,
          headers: {},
        });
        for (const r of this.merges[m]!.drainOutputs()) this.#collect(r);
      }
    }
  }

  /** Commits every task, then lets processing time pass far enough for idleness to close every window. */
  finish(): void {
    for (let p = 0; p < this.tasks.length; p++) this.commit(p);
    const closing = [...this.merges, ...(this.merges.length === 0 ? this.tasks : [])];
    for (const t of closing) {
      t.tick(0);
      t.tick(Number.MAX_SAFE_INTEGER / 2);
      for (const r of t.drainOutputs()) this.#collect(r);
    }
  }

  output(name: string): OutputRecord[] {
    return this.outputs.get(name) ?? [];
  }

  #collect(out: OutputRecord): void {
    let list = this.outputs.get(out.output);
    if (list === undefined) this.outputs.set(out.output, (list = []));
    list.push(out);
  }
}
