import type { ResolvedStreamJobOptions } from '../config/stream-job-options.js';
import { changelogTopic } from '../kafka/topic-names.js';
import type { ProcessorMetrics } from '../metrics/processor-metrics.js';
import { checkRestoredProgress } from '../runtime/restored-progress.js';
import type { StageDefinition } from '../runtime/stage-runner.js';
import { TaskSlot, type TaskSlotContext } from '../runtime/task-slot.js';
import { LiveEntries } from '../state/live-entries.js';
import type { ChangelogEntry } from '../task/partition-task.js';
import { InMemoryCommitter } from './in-memory-committer.js';
import type { InMemoryTopics } from './in-memory-topics.js';

export interface DriverStageDependencies {
  readonly topics: InMemoryTopics;
  readonly options: ResolvedStreamJobOptions;
  readonly metrics: ProcessorMetrics;
  /** The task slots' context: the same output routing, partition counts and limits as the Kafka runtime's. */
  readonly slotContext: TaskSlotContext;
}

/**
 * One stage of a job over in-memory topics, owning every partition of its input: the runtime's `TaskSlot`s (tasks
 * restored from their changelogs, fed in offset order from the committed offsets, committed through an in-memory
 * committer) without a consumer group. `StageRunner` is the Kafka counterpart.
 */
export class DriverStage {
  readonly def: StageDefinition;
  readonly #deps: DriverStageDependencies;
  #slots: TaskSlot[] = [];
  /** Where a partition without a committed offset starts (`fromBeginning`: 0, else its end when opened). */
  #startAt: number[] = [];
  #stores: readonly string[] = [];

  constructor(def: StageDefinition, deps: DriverStageDependencies) {
    this.def = def;
    this.#deps = deps;
  }

  get id(): string {
    return this.def.id;
  }

  /** The state stores of the stage's tasks. */
  get stores(): readonly string[] {
    return this.#stores;
  }

  /** Creates every partition's task, restores it from its changelog and places it at the committed offset. */
  open(): void {
    const { topics, options, metrics } = this.#deps;
    const { id, inputTopic: topic, taskFactory, context } = this.def;
    const count = topics.countOf(topic) ?? context.partitionCount;
    let restoredRecords = 0;
    const slots: TaskSlot[] = [];
    const startAt: number[] = [];
    for (let partition = 0; partition < count; partition++) {
      const task = taskFactory(topic, partition, context);
      this.#stores = task.stores;
      const entries: ChangelogEntry[] = [];
      for (const store of task.stores) {
        const live = new LiveEntries(store);
        const changelog = changelogTopic(id, store);
        if (topics.has(changelog)) {
          for (const { message } of topics.partitionLog(changelog, partition)) {
            if (message.key === null) continue;
            live.apply(message.key.toString('utf8'), message.value);
            restoredRecords += 1;
          }
        }
        entries.push(...live.entries());
      }
      task.restore(entries);
      const committed = topics.committedOffset(id, topic, partition);
      const logEnd = topics.endOffset(topic, partition);
      checkRestoredProgress({
        stageId: id,
        topic,
        partition,
        applied: task.lastAppliedOffset?.(),
        committed,
        logEnd,
        guarantee: options.processingGuarantee,
      });
      const committer = new InMemoryCommitter(topics, id, options.now);
      slots.push(new TaskSlot(topic, partition, task, committer, committed, this.#deps.slotContext));
      startAt.push(options.fromBeginning ? 0 : logEnd);
    }
    this.#slots = slots;
    this.#startAt = startAt;
    metrics.restored(id, restoredRecords, 0);
    metrics.activeTasks(id, slots.length);
  }

  /**
   * Feeds every record past each task's position, partition by partition, one record at a time as a fetch would
   * deliver them: a task holding `maxUncommittedRecords` commits before it takes more, and a task that asks
   * (`commitRequested`) commits at once. Resolves with the number of records fed.
   */
  async feed(): Promise<number> {
    const { topics, options, metrics } = this.#deps;
    const topic = this.def.inputTopic;
    let total = 0;
    for (const slot of this.#slots) {
      const log = topics.partitionLog(topic, slot.partition);
      let position = slot.nextOffset ?? this.#startAt[slot.partition]!;
      while (position < log.length) {
        if (slot.uncommitted >= options.maxUncommittedRecords) await slot.commit();
        const { message } = log[position]!;
        const fed = slot.process([message], message.offset);
        if (fed > 0) metrics.recordsIn(this.def.id, topic, fed);
        total += fed;
        position = slot.nextOffset!;
        if (slot.task.commitRequested?.() === true) await slot.commitEarly();
      }
    }
    return total;
  }

  /** Commits every task (each ticks first, with the driver's clock), as the runtime's commit interval does. */
  async commit(): Promise<void> {
    for (const slot of this.#slots) await slot.commit();
  }

  /** Drops every task without committing: whatever they did since their last commit is lost, as in a crash. */
  async discard(): Promise<void> {
    const slots = this.#slots;
    this.#slots = [];
    for (const slot of slots) await slot.close();
    this.#deps.metrics.activeTasks(this.def.id, -slots.length);
  }
}
