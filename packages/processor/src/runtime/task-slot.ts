import type { KafkaMessage } from '@tributary/kafka';
import { messageOffset, messageTimestamp, offsetFromKafka } from '../kafka/offsets.js';
import { headersToStrings } from '../kafka/record-headers.js';
import type { PartitionCommitter } from '../kafka/partition-committer.js';
import { routeRecords, type RoutedRecords } from '../kafka/record-router.js';
import { summarizeOutputs } from '../metrics/output-summary.js';
import type { ProcessorMetrics } from '../metrics/processor-metrics.js';
import type { OutputSink } from '../task/output-sink.js';
import type { InputRecord, OutputRecord, PartitionTask, RecordHeaders } from '../task/partition-task.js';
import { RUNTIME_CHANNELS, publish } from './diagnostics.js';

/** The logical output that dead letters go to (the engine tasks' default name). */
const DEAD_LETTER_OUTPUT = 'dead-letter';

export interface TaskSlotContext {
  readonly stageId: string;
  readonly outputs: ReadonlyMap<string, string | null>;
  readonly partitionCounts: ReadonlyMap<string, number>;
  /** `max.message.bytes` per output topic (oversized records become dead letters). */
  readonly maxMessageBytes: ReadonlyMap<string, number>;
  readonly metrics: ProcessorMetrics;
  readonly now: () => number;
  /** Outputs a sink writes before each commit's offsets (see `outputSinks`); none by default. */
  readonly outputSinks?: ReadonlyMap<string, OutputSink>;
}

/**
 * One owned input partition: its task, its committer (a transactional producer under exactly-once) and its
 * position. Records below `nextOffset` were already fed to the task (a rewound fetch after a rebalance) and are
 * skipped. Commits are serialized: tick → drain outputs + changelog + position (one synchronous snapshot) → commit.
 */
export class TaskSlot {
  readonly topic: string;
  readonly partition: number;
  readonly task: PartitionTask;
  readonly #committer: PartitionCommitter;
  readonly #ctx: TaskSlotContext;
  #nextOffset: number | null;
  #committedOffset: number | null;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;
  /** Set by a failed commit: its drained outputs are gone, so nothing may be committed from this state again. */
  #failure: unknown;
  #uncommitted = 0;
  /** Commits queued or running. */
  #pending = 0;
  #lastActiveMs: number;

  constructor(
    topic: string,
    partition: number,
    task: PartitionTask,
    committer: PartitionCommitter,
    committedOffset: number | null,
    ctx: TaskSlotContext,
  ) {
    this.topic = topic;
    this.partition = partition;
    this.task = task;
    this.#committer = committer;
    this.#ctx = ctx;
    this.#committedOffset = committedOffset;
    this.#nextOffset = this.#committedOffset;
    this.#lastActiveMs = ctx.now();
  }

  /** Wall-clock ms of the last commit that included fed records (creation time before that): idleness. */
  get lastActiveMs(): number {
    return this.#lastActiveMs;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Records fed since the last commit snapshot (backpressure: bounds memory and transaction size). */
  get uncommitted(): number {
    return this.#uncommitted;
  }

  /** True while a commit is queued or running. */
  get committing(): boolean {
    return this.#pending > 0;
  }

  /** Resolves once every commit queued so far has finished (never rejects). */
  get settled(): Promise<void> {
    return this.#chain;
  }

  /** Next offset to feed (null before the first record when the group has no committed offset). */
  get nextOffset(): number | null {
    return this.#nextOffset;
  }

  /**
   * Feeds `messages[start, end)` at or after `nextOffset`, then moves the position past `lastOffset` (markers
   * included). Offsets ascend within a batch, so only the records before the first one at `nextOffset` are
   * compared, not every record. `lastOffset` is kafkajs' (a decimal string).
   */
  process(messages: readonly KafkaMessage[], lastOffset: string, start = 0, end = messages.length): number {
    let index = start;
    const next = this.#nextOffset;
    this.#ctx.metrics.enter(this.#ctx.stageId);
    if (next !== null) while (index < end && messageOffset(messages[index]!) < next) index++;
    const fed = end - index;
    const task = this.task;
    for (; index < end; index++)
      task.process(new KafkaInputRecord(this.topic, this.partition, messages[index]!));
    this.#uncommitted += fed;
    this.advanceTo(lastOffset);
    return fed;
  }

  /** Moves the position past `lastOffset` when it is ahead (batches made only of transaction markers). */
  advanceTo(lastOffset: string): void {
    const after = offsetFromKafka(lastOffset) + 1;
    if (this.#nextOffset === null || after > this.#nextOffset) this.#nextOffset = after;
  }

  /**
   * Ticks the task and commits whatever changed since the last commit. Serialized per slot; a no-op once closed.
   * After one failed commit every later commit rejects with that failure: the task must be rebuilt from the changelog.
   */
  commit(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    // With nothing in flight the snapshot (tick + drain) is taken now, synchronously, so the caller can go on
    // feeding records while the commit is sent.
    const run = (this.#pending === 0 ? this.#commitNow() : this.#chain.then(() => this.#commitNow())).finally(
      () => {
        this.#pending--;
      },
    );
    this.#pending++;
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Commits soon because the task asked (`commitRequested`): at once when idle, else one commit queued behind the
   * one in flight (a queued commit takes its snapshot when it runs, so one in the queue is enough).
   */
  commitEarly(): Promise<void> {
    return this.#pending >= 2 ? this.#chain : this.commit();
  }

  /** Waits for a commit in flight, then closes the committer; the slot takes no more records. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#chain;
    await this.#committer.close();
  }

  async #commitNow(): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    const ctx = this.#ctx;
    const nowMs = ctx.now();
    ctx.metrics.enter(ctx.stageId);
    this.task.tick(nowMs);
    let outputs = this.task.drainOutputs();
    const changelog = this.task.drainChangelog();
    const position = this.#nextOffset;
    if (this.#uncommitted > 0) this.#lastActiveMs = nowMs;
    this.#uncommitted = 0;
    const offsetMoved = position !== null && position !== this.#committedOffset;
    recordWatermark(this, ctx);
    if (outputs.length === 0 && changelog.length === 0 && !offsetMoved) return;
    const started = ctx.now();
    let routed: RoutedRecords;
    try {
      if (ctx.outputSinks !== undefined && ctx.outputSinks.size > 0)
        outputs = await writeToSinks(outputs, ctx.outputSinks, ctx.outputs);
      routed = routeRecords(outputs, changelog, {
        stageId: ctx.stageId,
        inputPartition: this.partition,
        outputs: ctx.outputs,
        partitionCounts: ctx.partitionCounts,
        nowMs,
        maxMessageBytes: ctx.maxMessageBytes,
        deadLetterOutput: DEAD_LETTER_OUTPUT,
        source: {
          topic: this.topic,
          partition: this.partition,
          offset: position === null ? undefined : position - 1,
        },
      });
      await this.#committer.commit({
        topicMessages: routed.topicMessages,
        maxMessageBytes: ctx.maxMessageBytes,
        offset: offsetMoved ? { topic: this.topic, partition: this.partition, offset: position } : undefined,
      });
    } catch (error) {
      this.#failure = error;
      ctx.metrics.commitFailed(ctx.stageId);
      publish(RUNTIME_CHANNELS.commitFailed, () => ({
        stage: ctx.stageId,
        topic: this.topic,
        partition: this.partition,
        error,
      }));
      throw error;
    }
    const durationMs = ctx.now() - started;
    if (offsetMoved) this.#committedOffset = position;
    ctx.metrics.committed(ctx.stageId, routed.outputCounts, routed.changelogCount, durationMs);
    ctx.metrics.outputsCommitted(ctx.stageId, summarizeOutputs(outputs, ctx.now()));
    if (routed.oversized.size > 0) ctx.metrics.oversized(ctx.stageId, routed.oversized, DEAD_LETTER_OUTPUT);
    publish(RUNTIME_CHANNELS.commit, () => ({
      stage: ctx.stageId,
      topic: this.topic,
      partition: this.partition,
      offset: position ?? undefined,
      messages: routed.messageCount,
      durationMs,
    }));
  }
}

/** Duck-typed: a task may expose `watermark` (number or method) or `watermarks.data` (the engine's tasks). */
function recordWatermark(slot: TaskSlot, ctx: TaskSlotContext): void {
  const task = slot.task as { watermark?: unknown; watermarks?: { data?: unknown } };
  let value: unknown = task.watermark;
  if (typeof value === 'function') value = (value as () => unknown).call(task);
  if (value === undefined) value = task.watermarks?.data;
  if (typeof value === 'number') ctx.metrics.watermark(ctx.stageId, slot.topic, slot.partition, value);
}

/**
 * One shape for every record, reading through to the kafkajs message: the offset, timestamp, key and value are
 * taken when a task reads them (as numbers the fetch decoder kept, else parsed then), the headers converted to strings once, on first read.
 */
class KafkaInputRecord implements InputRecord {
  readonly topic: string;
  readonly partition: number;
  readonly #m: KafkaMessage;
  #offset: number | undefined;
  #headers: Record<string, string> | undefined;

  constructor(topic: string, partition: number, m: KafkaMessage) {
    this.topic = topic;
    this.partition = partition;
    this.#m = m;
  }

  get offset(): number {
    return (this.#offset ??= messageOffset(this.#m));
  }

  get timestamp(): number {
    return messageTimestamp(this.#m);
  }

  get key(): Buffer | null {
    return this.#m.key;
  }

  get value(): Buffer | null {
    return this.#m.value;
  }

  get headers(): Readonly<Record<string, string>> {
    return (this.#headers ??= headersToStrings(this.#m.headers));
  }

  get rawHeaders(): Readonly<RecordHeaders> {
    return (this.#m.headers ?? {}) as Readonly<RecordHeaders>;
  }
}

/**
 * Hands each sink its output's records and waits until they are durable; returns what goes on to Kafka: the records
 * of outputs that also map to a topic, every other output's records, and the sinks' dead letters.
 */
async function writeToSinks(
  outputs: OutputRecord[],
  sinks: ReadonlyMap<string, OutputSink>,
  topics: ReadonlyMap<string, string | null>,
): Promise<OutputRecord[]> {
  const bySink = new Map<OutputSink, OutputRecord[]>();
  const toKafka: OutputRecord[] = [];
  for (const record of outputs) {
    const sink = sinks.get(record.output);
    if (sink === undefined || topics.has(record.output)) toKafka.push(record);
    if (sink === undefined) continue;
    const list = bySink.get(sink);
    if (list === undefined) bySink.set(sink, [record]);
    else list.push(record);
  }
  const refused = await Promise.all([...bySink].map(([sink, records]) => sink.write(records)));
  for (const deadLetters of refused) toKafka.push(...deadLetters);
  return toKafka;
}
