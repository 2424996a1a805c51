import { setTimeout as sleep } from 'node:timers/promises';
import { ExplicitFirstPartitioner } from '@tributary/kafka';
import type { Consumer, EachBatchPayload, Kafka, Producer } from '@tributary/kafka';
import type { ResolvedStreamJobOptions, TaskContext, TaskFactory } from '../config/stream-job-options.js';
import { PROCESSOR_ERROR_CODES, ProcessorError, isProcessorError } from '../errors.js';
import { restoreChangelogs, changelogKey } from '../kafka/changelog-restorer.js';
import { offsetFromKafka } from '../kafka/offsets.js';
import type { ChangelogPartition } from '../kafka/changelog-restorer.js';
import { CoalescingSender } from '../kafka/coalescing-sender.js';
import { AtLeastOnceCommitter, TransactionalCommitter } from '../kafka/partition-committer.js';
import type { PartitionCommitter } from '../kafka/partition-committer.js';
import type { TopicAdmin } from '../kafka/topic-admin.js';
import { changelogTopic, transactionalId } from '../kafka/topic-names.js';
import { LAG_REFRESH_MS, partitionLag } from '../metrics/consumer-lag.js';
import type { ProcessorMetrics } from '../metrics/processor-metrics.js';
import { sampleStage } from '../metrics/task-sample.js';
import type { ChangelogEntry } from '../task/partition-task.js';
import { RUNTIME_CHANNELS, publish } from './diagnostics.js';
import { checkRestoredProgress } from './restored-progress.js';
import { TaskSlot } from './task-slot.js';
import type { TaskSlotContext } from './task-slot.js';

/**
 * What a stage does with an assigned input partition that its changelog topics do not have (the input topic gained
 * partitions): `grow` adds the partitions to the changelog topics (each input partition has its own state, so new
 * ones start empty — stage 1, extra stages); `refuse` stops the job (a merge stage: its input is keyed by the
 * aggregation key, so more partitions would split one key's state across two tasks with independent versions).
 */
export type PartitionGrowthPolicy = 'grow' | 'refuse';

export interface StageDefinition {
  /** Consumer group id; also prefixes transactional ids and changelog topics. */
  readonly id: string;
  readonly inputTopic: string;
  readonly taskFactory: TaskFactory;
  readonly context: TaskContext;
  readonly onPartitionGrowth: PartitionGrowthPolicy;
}

export interface StageDependencies {
  readonly kafka: Kafka;
  readonly admin: TopicAdmin;
  readonly options: ResolvedStreamJobOptions;
  readonly metrics: ProcessorMetrics;
  readonly partitionCounts: ReadonlyMap<string, number>;
  /** `max.message.bytes` per output topic, read at start. */
  readonly maxMessageBytes: ReadonlyMap<string, number>;
  /** Called once when the stage used up its restart budget. */
  readonly onFatal: (error: Error) => void;
}

interface SlotEntry {
  readonly ready: Promise<TaskSlot>;
  slot: TaskSlot | undefined;
}

const RESTORE_TIMEOUT_MS = 300_000;
/** Processing time after which a batch handler yields (heartbeat, I/O). */
const SLICE_MS = 50;
/** Records fed between clock checks. */
const CHUNK = 256;

/**
 * One consumer group over one input topic: a task per assigned partition, restored from its changelog before its
 * first record, committed every `commitIntervalMs`. A failed commit tears the whole stage down (consumer, producers,
 * tasks) and starts it again from the last committed state; `maxRestarts` consecutive failures lasting at least
 * `restartTimeoutMs` fail the job.
 */
export class StageRunner {
  readonly #def: StageDefinition;
  readonly #deps: StageDependencies;
  readonly #slotContext: TaskSlotContext;
  #consumer: Consumer | undefined;
  #sharedProducer: Producer | undefined;
  /** At-least-once: the tasks' sends through the shared producer, coalesced while one is in flight. */
  #sharedSender: CoalescingSender | undefined;
  #slots = new Map<number, SlotEntry>();
  #assignmentChain: Promise<void> = Promise.resolve();
  #inFlight = new Set<Promise<void>>();
  #loop: Promise<void> | undefined;
  #running = false;
  #failing = false;
  #restarting: Promise<void> | undefined;
  #consecutiveFailures = 0;
  /** When the current streak of failures began (wall clock). */
  #failingSince = 0;
  #generation = 0;
  /** The consumer of the current generation joined its group (health: ready). */
  #joined = false;
  #lagRefreshedAt = Number.NEGATIVE_INFINITY;
  #lagRefresh: Promise<void> | undefined;

  constructor(def: StageDefinition, deps: StageDependencies) {
    this.#def = def;
    this.#deps = deps;
    this.#slotContext = {
      stageId: def.id,
      outputs: deps.options.outputs,
      partitionCounts: deps.partitionCounts,
      maxMessageBytes: deps.maxMessageBytes,
      metrics: deps.metrics,
      now: deps.options.now,
      outputSinks: deps.options.outputSinks,
    };
  }

  get id(): string {
    return this.#def.id;
  }

  /** Partitions whose task is restored and running. */
  get ownedPartitions(): number[] {
    return [...this.#slots.entries()]
      .filter(([, e]) => e.slot !== undefined)
      .map(([p]) => p)
      .sort((a, b) => a - b);
  }

  /**
   * Ready: running, its consumer joined the group and every assigned task finished restoring (not during a
   * restart after a failed commit).
   */
  get ready(): boolean {
    if (!this.#running || this.#failing || !this.#joined) return false;
    for (const entry of this.#slots.values()) if (entry.slot === undefined) return false;
    return true;
  }

  /** Stage health details for `/health`. */
  get health(): { ready: boolean; partitions: number; restoring: number; consecutiveFailures: number } {
    let restoring = 0;
    for (const entry of this.#slots.values()) if (entry.slot === undefined) restoring += 1;
    return {
      ready: this.ready,
      partitions: this.#slots.size,
      restoring,
      consecutiveFailures: this.#consecutiveFailures,
    };
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#deps.metrics.consecutiveCommitFailures(this.#def.id, 0);
    await this.#startConsumer();
    this.#loop = this.#commitLoop();
  }

  /** Graceful stop: stop fetching, let in-flight batches finish, commit every task, leave the group. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    while (this.#restarting !== undefined) await this.#restarting;
    const consumer = this.#consumer;
    if (consumer !== undefined) consumer.pause([{ topic: this.#def.inputTopic }]);
    await Promise.allSettled([...this.#inFlight]);
    await this.#loop;
    await this.#assignmentChain;
    await this.#commitAll().catch(() => undefined);
    await this.#teardown();
  }

  async #startConsumer(): Promise<void> {
    const { kafka, options } = this.#deps;
    const generation = ++this.#generation;
    this.#joined = false;
    const consumer = kafka.consumer({
      groupId: this.#def.id,
      readUncommitted: false,
      maxWaitTimeInMs: options.maxWaitTimeInMs,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(options.sessionTimeoutMs / 3)),
      metadataMaxAge: options.metadataMaxAgeMs,
      allowAutoTopicCreation: false,
    });
    this.#consumer = consumer;
    if (options.processingGuarantee === 'at-least-once') {
      this.#sharedProducer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: ExplicitFirstPartitioner,
      });
      await this.#sharedProducer.connect();
      this.#sharedSender = new CoalescingSender(this.#sharedProducer);
    }
    consumer.on(consumer.events.REBALANCING, () => {
      if (generation === this.#generation) void this.#commitAll().catch((error) => this.#fail(error));
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      if (generation !== this.#generation) return;
      this.#joined = true;
      const assigned = event.payload.memberAssignment[this.#def.inputTopic] ?? [];
      // Joined with nothing to own: healthy, although no commit will say so (a failure streak ends here).
      if (assigned.length === 0) this.#healthy();
      this.#assignmentChain = this.#assignmentChain
        .then(() => this.#applyAssignment(new Set(assigned)))
        .catch((error) => this.#fail(error));
    });
    consumer.on(consumer.events.START_BATCH_PROCESS, (event) => {
      // Batches of only transaction markers never reach eachBatch: move the position past them so lag reaches 0.
      if (event.payload.batchSize !== 0 || generation !== this.#generation) return;
      const slot = this.#slots.get(event.payload.partition)?.slot;
      if (slot !== undefined && !slot.closed) slot.advanceTo(event.payload.lastOffset);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (generation === this.#generation && !event.payload.restart) this.#fail(event.payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.#def.inputTopic], fromBeginning: options.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      eachBatch: (payload) => {
        const work = this.#handleBatch(payload, generation);
        this.#inFlight.add(work);
        return work.finally(() => this.#inFlight.delete(work));
      },
    });
  }

  async #handleBatch(payload: EachBatchPayload, generation: number): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    let entry = this.#slots.get(batch.partition);
    if (entry === undefined) {
      // The GROUP_JOIN listener normally created it already; be robust to event ordering.
      await this.#assignmentChain;
      entry = this.#slots.get(batch.partition);
      if (entry === undefined) return;
    }
    let slot: TaskSlot;
    try {
      slot = await waitWithHeartbeat(entry.ready, heartbeat);
    } catch {
      return; // the assignment failure already failed the stage
    }
    const live = (): boolean =>
      generation === this.#generation && this.#running && !slot.closed && isRunning() && !isStale();
    const messages = batch.messages;
    let index = 0;
    // A batch is fed in slices of at most SLICE_MS of processing time; between slices the consumer heartbeats (a
    // rebalance surfaces here as a thrown REBALANCE_IN_PROGRESS, and kafkajs rejoins) and I/O such as commits runs.
    do {
      if (!live()) return;
      if (slot.uncommitted >= this.#deps.options.maxUncommittedRecords) {
        // Backpressure, pipelined: at most one commit in flight while feeding. Wait for the previous one, then
        // snapshot the next one and feed on while it is sent, so buffered outputs and transactions stay bounded.
        if (slot.committing) {
          await waitWithHeartbeat(slot.settled, heartbeat);
          if (!live()) return;
        }
        if (slot.uncommitted >= this.#deps.options.maxUncommittedRecords) {
          slot.commit().catch((error: unknown) => this.#fail(error));
        }
      }
      const sliceStart = performance.now();
      let fed = 0;
      let lastOffset: string | undefined;
      while (index < messages.length && performance.now() - sliceStart < SLICE_MS) {
        const from = index;
        index = Math.min(messages.length, index + CHUNK);
        lastOffset = index >= messages.length ? batch.lastOffset() : messages[index - 1]!.offset;
        fed += slot.process(messages, lastOffset, from, index);
      }
      // Once per slice (kafkajs compares offsets as Longs): nothing awaits between the chunks of a slice.
      if (lastOffset !== undefined) resolveOffset(lastOffset);
      if (messages.length === 0) {
        slot.advanceTo(batch.lastOffset());
        resolveOffset(batch.lastOffset());
      }
      if (fed > 0) this.#deps.metrics.recordsIn(this.#def.id, batch.topic, fed);
      const next = slot.nextOffset;
      if (next !== null) {
        this.#deps.metrics.lag(
          this.#def.id,
          batch.topic,
          batch.partition,
          Math.max(0, offsetFromKafka(batch.highWatermark) - next),
        );
      }
      // A window completed (stage 1: the watermark passed its end; merge or single stage: a result fired): commit
      // now, so each stage adds its commit's time to the window path rather than up to a whole commit interval.
      if (slot.task.commitRequested?.() === true)
        slot.commitEarly().catch((error: unknown) => this.#fail(error));
      await heartbeat();
      if (index < messages.length) await new Promise<void>((resolve) => setImmediate(resolve));
    } while (index < messages.length);
  }

  async #applyAssignment(assigned: Set<number>): Promise<void> {
    const revoked = [...this.#slots.keys()].filter((p) => !assigned.has(p));
    const added = [...assigned].filter((p) => !this.#slots.has(p)).sort((a, b) => a - b);
    publish(RUNTIME_CHANNELS.assignment, () => ({
      stage: this.#def.id,
      assigned: [...assigned],
      added,
      revoked,
    }));
    for (const partition of revoked) {
      const entry = this.#slots.get(partition);
      this.#slots.delete(partition);
      const slot = entry?.slot;
      if (slot === undefined) continue;
      // Best effort: a fenced commit here means the new owner already took over from the last committed state.
      await slot.commit().catch(() => undefined);
      await slot.close().catch(() => undefined);
      this.#deps.metrics.activeTasks(this.#def.id, -1);
    }
    if (added.length === 0) return;
    const creation = this.#createSlots(added);
    for (const partition of added) {
      const entry: SlotEntry = {
        ready: creation.then((slots) => {
          const slot = slots.get(partition);
          if (slot === undefined) throw new Error(`no task for partition ${partition}`);
          entry.slot = slot;
          return slot;
        }),
        slot: undefined,
      };
      entry.ready.catch(() => undefined);
      this.#slots.set(partition, entry);
    }
    await creation;
  }

  /** Creates, fences and restores the tasks of newly assigned partitions, with one restore consumer for all. */
  async #createSlots(partitions: readonly number[]): Promise<Map<number, TaskSlot>> {
    const { kafka, admin, options, metrics } = this.#deps;
    const topic = this.#def.inputTopic;
    const started = options.now();
    // The input topic may have gained partitions since the job started.
    const partitionCount = Math.max(
      (await admin.partitionCount(topic)) ?? this.#def.context.partitionCount,
      ...partitions.map((p) => p + 1),
    );
    const context = { ...this.#def.context, partitionCount };
    const tasks = partitions.map((p) => ({
      partition: p,
      task: this.#def.taskFactory(topic, p, context),
    }));
    await this.#ensureChangelogPartitions(tasks[0]!.task.stores, partitionCount);
    const committers = new Map<number, PartitionCommitter>();
    for (const { partition } of tasks) committers.set(partition, this.#createCommitter(partition));
    try {
      await Promise.all([...committers.values()].map((c) => c.open()));
      const wanted: ChangelogPartition[] = tasks.flatMap(({ partition, task }) =>
        task.stores.map((store) => ({ store, topic: changelogTopic(this.#def.id, store), partition })),
      );
      const restored = await restoreChangelogs(kafka, admin, wanted, {
        groupIdPrefix: this.#def.id,
        maxWaitTimeInMs: options.maxWaitTimeInMs,
        timeoutMs: RESTORE_TIMEOUT_MS,
      });
      const slots = new Map<number, TaskSlot>();
      const logEnds = await admin.endOffsets(topic);
      for (const { partition, task } of tasks) {
        const entries: ChangelogEntry[] = [];
        for (const store of task.stores)
          entries.push(
            ...(restored.entries.get(changelogKey(changelogTopic(this.#def.id, store), partition)) ?? []),
          );
        task.restore(entries);
        // Read after fencing, stable: the previous owner's last transaction is complete, and a transactional offset
        // commit the coordinator has not applied yet is waited for, so this offset is final.
        const committed = await admin.committedOffset(
          this.#def.id,
          topic,
          partition,
          options.processingGuarantee === 'exactly-once',
        );
        checkRestoredProgress({
          stageId: this.#def.id,
          topic,
          partition,
          applied: task.lastAppliedOffset?.(),
          committed,
          logEnd: logEnds.find((o) => o.partition === partition)?.high,
          guarantee: options.processingGuarantee,
        });
        slots.set(
          partition,
          new TaskSlot(topic, partition, task, committers.get(partition)!, committed, this.#slotContext),
        );
      }
      const durationMs = options.now() - started;
      metrics.restored(this.#def.id, restored.records, durationMs);
      metrics.activeTasks(this.#def.id, slots.size);
      publish(RUNTIME_CHANNELS.restore, () => ({
        stage: this.#def.id,
        partitions: [...partitions],
        records: restored.records,
        durationMs,
      }));
      return slots;
    } catch (error) {
      await Promise.allSettled([...committers.values()].map((c) => c.close()));
      throw error;
    }
  }

  /**
   * Before tasks are restored: every changelog topic of the stage must have as many partitions as the input topic
   * (`inputCount`). When the input gained partitions, `grow` adds them to the changelog topics (new tasks start
   * empty); `refuse` stops the job naming the topic and the way out.
   */
  async #ensureChangelogPartitions(stores: readonly string[], inputCount: number): Promise<void> {
    const { admin } = this.#deps;
    const topic = this.#def.inputTopic;
    for (const store of stores) {
      const changelog = changelogTopic(this.#def.id, store);
      const count = await admin.partitionCount(changelog);
      if (count === undefined || count >= inputCount) continue;
      if (this.#def.onPartitionGrowth === 'refuse') {
        throw new ProcessorError(
          PROCESSOR_ERROR_CODES.TOPIC_MISMATCH,
          `${topic} has ${inputCount} partitions but stage ${this.#def.id}'s state (changelog ${changelog}) was ` +
            `built for ${count}: its records are keyed by the aggregation key, so more partitions would split one ` +
            `key's windows across tasks with independent versions. Give ${topic} its ${count} partitions back ` +
            `(delete and recreate it), or reset the application (stop it, delete its consumer groups, changelog ` +
            `and repartition topics) to rebuild the state with the new count.`,
        );
      }
      await admin.growPartitions(changelog, inputCount);
    }
  }

  #createCommitter(partition: number): PartitionCommitter {
    const { kafka, options } = this.#deps;
    if (options.processingGuarantee === 'exactly-once') {
      return new TransactionalCommitter(kafka, {
        transactionalId: transactionalId(this.#def.id, this.#def.inputTopic, partition),
        consumerGroupId: this.#def.id,
        transactionTimeoutMs: options.transactionTimeoutMs,
      });
    }
    const consumer = this.#consumer!;
    return new AtLeastOnceCommitter(this.#sharedSender!, (offsets) => consumer.commitOffsets(offsets));
  }

  async #commitLoop(): Promise<void> {
    while (this.#running) {
      await sleep(this.#deps.options.commitIntervalMs);
      if (!this.#running || this.#failing) continue;
      try {
        // Only a commit of real tasks proves the stage healthy again (not an empty stage after a restart).
        if ((await this.#commitAll()) > 0) this.#healthy();
        this.#sample();
      } catch (error) {
        this.#fail(error);
      }
    }
  }

  /** Ends a failure streak. */
  #healthy(): void {
    if (this.#consecutiveFailures === 0) return;
    this.#consecutiveFailures = 0;
    this.#deps.metrics.consecutiveCommitFailures(this.#def.id, 0);
  }

  /** Gauges at the commit boundary: watermarks, idleness, state size; consumer lag from end offsets now and then. */
  #sample(): void {
    const { metrics, options, admin } = this.#deps;
    const slots = [...this.#slots.values()]
      .map((e) => e.slot)
      .filter((s): s is TaskSlot => s !== undefined && !s.closed);
    const nowMs = options.now();
    metrics.sampled(this.#def.id, sampleStage(slots, nowMs, options.idleTimeoutMs));
    if (this.#lagRefresh !== undefined || nowMs - this.#lagRefreshedAt < LAG_REFRESH_MS) return;
    this.#lagRefreshedAt = nowMs;
    const topic = this.#def.inputTopic;
    this.#lagRefresh = admin
      .endOffsets(topic)
      .then((offsets) => {
        for (const o of offsets) {
          const slot = this.#slots.get(o.partition)?.slot;
          if (slot === undefined || slot.closed) continue;
          metrics.lag(this.#def.id, topic, o.partition, partitionLag(o.high, o.low, slot.nextOffset));
        }
      })
      .catch(() => undefined) // best effort: the next refresh tries again
      .finally(() => {
        this.#lagRefresh = undefined;
      });
  }

  /** Commits every ready task; resolves with how many there were, rejects with the first failure. */
  async #commitAll(): Promise<number> {
    const slots = [...this.#slots.values()]
      .map((e) => e.slot)
      .filter((s): s is TaskSlot => s !== undefined && !s.closed);
    const results = await Promise.allSettled(slots.map((s) => s.commit()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return slots.length;
  }

  #fail(error: unknown): void {
    if (this.#failing || !this.#running) return;
    this.#failing = true;
    // A topic that no longer matches the state: a restart would find the same, so stop at once.
    const fatal = isProcessorError(error, PROCESSOR_ERROR_CODES.TOPIC_MISMATCH);
    const restarting = this.#restart(error, fatal).finally(() => {
      if (this.#restarting === restarting) this.#restarting = undefined;
    });
    this.#restarting = restarting;
  }

  async #restart(error: unknown, fatal = false): Promise<void> {
    this.#consecutiveFailures += 1;
    const attempt = this.#consecutiveFailures;
    if (attempt === 1) this.#failingSince = this.#deps.options.now();
    this.#deps.metrics.consecutiveCommitFailures(this.#def.id, attempt);
    this.#deps.metrics.stageRestarted(this.#def.id);
    publish(RUNTIME_CHANNELS.stageRestart, () => ({ stage: this.#def.id, error, attempt }));
    this.#generation += 1; // late events of the old consumer are ignored from here on
    await this.#teardown();
    if (fatal) {
      this.#running = false;
      this.#deps.onFatal(error as Error);
      return;
    }
    // An outage (broker restarting, network gone) is ridden out: the job gives up only after maxRestarts failures in
    // a row that also lasted restartTimeoutMs (Kafka Streams' task.timeout.ms plays the same part).
    const failingFor = this.#deps.options.now() - this.#failingSince;
    const longEnough = failingFor >= this.#deps.options.restartTimeoutMs || isDeterministic(error);
    if (attempt > this.#deps.options.maxRestarts && longEnough) {
      this.#running = false;
      const message = error instanceof Error ? error.message : String(error);
      this.#deps.onFatal(
        new ProcessorError(
          PROCESSOR_ERROR_CODES.STAGE_FAILED,
          `stage ${this.#def.id} failed ${attempt} times in a row over ${Math.round(failingFor / 1000)} s: ${message}`,
          {
            cause: error,
          },
        ),
      );
      return;
    }
    await sleep(Math.min(5_000, 250 * 2 ** (attempt - 1)));
    if (!this.#running) return;
    this.#failing = false;
    try {
      await this.#startConsumer();
    } catch (startError) {
      // Starts another restart (tearing down what was created), unless a failure meanwhile already did.
      this.#fail(startError);
    }
  }

  async #teardown(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.disconnect().catch(() => undefined);
    const entries = [...this.#slots.values()];
    this.#slots = new Map();
    await Promise.allSettled(
      entries.map(async (e) => {
        const slot = await e.ready.catch(() => undefined);
        if (slot === undefined) return;
        await slot.close();
        this.#deps.metrics.activeTasks(this.#def.id, -1);
      }),
    );
    const producer = this.#sharedProducer;
    this.#sharedProducer = undefined;
    this.#sharedSender = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}

async function waitWithHeartbeat<T>(promise: Promise<T>, heartbeat: () => Promise<void>): Promise<T> {
  let settled = false;
  const guarded = promise.finally(() => {
    settled = true;
  });
  for (;;) {
    const result = await Promise.race([
      guarded.then((value) => ({ value })),
      sleep(1_000).then(() => undefined),
    ]);
    if (result !== undefined) return result.value;
    if (!settled) await heartbeat().catch(() => undefined);
  }
}

/** Codes of failures that the same input and configuration repeat: not worth riding out for `restartTimeoutMs`. */
const DETERMINISTIC_CODES: ReadonlySet<string> = new Set([
  PROCESSOR_ERROR_CODES.UNKNOWN_OUTPUT,
  PROCESSOR_ERROR_CODES.RECORD_TOO_LARGE,
  PROCESSOR_ERROR_CODES.STATE_CORRUPT,
  PROCESSOR_ERROR_CODES.INVALID_OPTION,
  'TRIB_KAFKA_BATCH_TOO_LARGE',
]);

/** True when `error` or one of its causes carries a deterministic code (an unmapped output, an oversized batch…). */
function isDeterministic(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const { code, cause } = e as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && DETERMINISTIC_CODES.has(code)) return true;
    e = cause;
  }
  return false;
}
