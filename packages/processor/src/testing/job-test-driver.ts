import type { IHeaders } from '@tributary/kafka';
import { STREAM_JOB_OPTIONS } from '../config/stream-job-options.js';
import type { ResolvedStreamJobOptions, StreamJobOptions } from '../config/stream-job-options.js';
import { TableLoader, type TableLoaderStats } from '../enrichment/table-loader.js';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import { headersToStrings } from '../kafka/record-headers.js';
import { changelogTopic } from '../kafka/topic-names.js';
import { ProcessorMetrics, type StreamJobStats } from '../metrics/processor-metrics.js';
import { planStages } from '../runtime/stage-plan.js';
import { StageSetup } from '../runtime/stage-setup.js';
import { LiveEntries } from '../state/live-entries.js';
import type { InputRecord } from '../task/partition-task.js';
import { DriverStage } from './driver-stage.js';
import { InMemoryTableSource } from './in-memory-table-source.js';
import { InMemoryTopics, type LogRecord } from './in-memory-topics.js';
import { JOB_TEST_DRIVER_OPTIONS, type JobTestDriverOptions } from './job-test-driver-options.js';

/** A job as `createStreamJob` takes it; `brokers` may be left out (the driver talks to none). */
export type TestJobOptions = Omit<StreamJobOptions, 'brokers'> & Partial<Pick<StreamJobOptions, 'brokers'>>;

/**
 * Commit rounds in a row that wrote nothing after which `advanceTime` jumps to the last commit time before its
 * target: 200 s of processing time at the default interval, past the default idle timeouts, so only long quiet
 * stretches (a jump to the far future that closes every window) are cut short.
 */
export const QUIET_ROUNDS_BEFORE_JUMP = 1_000;

/**
 * Commit rounds in a row that wrote to no output of the job (results, late, dead letters …; changelogs and the
 * repartition topic do not count) after which `advanceTime` lengthens each round to twice the one before (up to
 * `MAX_STRIDE` intervals): a job whose idle watermarks follow the clock writes something every round, and a jump to
 * the far future still takes a few dozen rounds instead of one per interval. A tick after a longer pause is what
 * the runtime sees when a process is suspended; final results do not depend on it.
 */
export const QUIET_ROUNDS_BEFORE_STRIDE = 100;
const MAX_STRIDE = 2 ** 30;

/** Stands in for `brokers` when a job leaves it out: validated like any broker list, never connected to. */
const NO_BROKERS = ['in-memory.invalid:9092'];

/** A record to write to a topic, as a producer would send it. */
export interface TestRecordInput {
  readonly key?: string | Buffer | null;
  readonly value: string | Uint8Array | null;
  /** Kafka record timestamp, ms (-1: none). @defaultValue the driver's clock */
  readonly timestamp?: number;
  /** @defaultValue by the key (murmur2, Kafka's default partitioner); round robin for a null key */
  readonly partition?: number;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
}

/** A record of a topic as a consumer reads it: what a task sees, headers as strings (the first of each). */
export type TestRecord = Omit<InputRecord, 'rawHeaders'>;

/** One live entry of a state store's changelog (after compaction: the latest value of each key). */
export interface TestChangelogEntry {
  readonly partition: number;
  readonly key: string;
  readonly value: Buffer;
}

/**
 * Runs a stream job (any `createStreamJob` options) without a broker, deterministically, like Kafka Streams'
 * TopologyTestDriver: the same stage plan, task slots, output routing (murmur2 partitioner, broadcast, oversized
 * records) and table loader as the Kafka runtime, over in-memory topics, with a clock moved by hand. Records piped in
 * are processed at once, stage by stage, until nothing is left to process; outputs become visible at commits (every
 * `commitIntervalMs` of the clock, or early when a task asks), as to a read_committed consumer.
 */
export class JobTestDriver {
  readonly #job: ResolvedStreamJobOptions;
  readonly #partitions: Readonly<Record<string, number>>;
  readonly #topics: InMemoryTopics;
  readonly #metrics: ProcessorMetrics;
  /** Input topics of the stages and the tables: where `pipe` may write. */
  readonly #inputs: ReadonlySet<string>;
  #now: number;
  #nextCommitAt: number;
  #stages: DriverStage[] = [];
  #loaders: TableLoader[] = [];
  #started: Promise<void> | undefined;
  #serial: Promise<unknown> = Promise.resolve();
  #crashed = false;
  /** Records already returned by `readOutput`, per topic. */
  readonly #read = new Map<string, number>();

  constructor(job: TestJobOptions, options: JobTestDriverOptions = {}) {
    const o = JOB_TEST_DRIVER_OPTIONS.resolve(options);
    const resolved = STREAM_JOB_OPTIONS.resolve({ brokers: NO_BROKERS, ...job } as StreamJobOptions);
    this.#job = { ...resolved, now: () => this.#now };
    this.#partitions = o.partitions;
    this.#now = o.startTimeMs;
    this.#nextCommitAt = this.#now + this.#job.commitIntervalMs;
    this.#topics = new InMemoryTopics(o.maxMessageBytes);
    this.#metrics = new ProcessorMetrics(this.#job.registry);
    const inputs = new Set(planStages(this.#job).map((s) => s.inputTopic));
    for (const spec of this.#job.tables.values()) inputs.add(spec.topic);
    this.#inputs = inputs;
  }

  /** The driver's clock: the processing time tasks are ticked and commits are stamped with. */
  get now(): number {
    return this.#now;
  }

  /** The runtime's counters (records in and out, commits, restores …), as `StreamJob.metrics`. */
  get metrics(): StreamJobStats {
    return this.#metrics.stats;
  }

  /**
   * Creates the topics, loads the tables and restores every task, as `StreamJob.start` does. Called by the first
   * `pipe`, `advanceTime` or `setTime`; call it to see a failing start (a bad topic layout) on its own.
   */
  start(): Promise<void> {
    this.#started ??= this.#serialized(() => this.#start());
    return this.#started;
  }

  /** Writes one record to an input or table topic and processes everything it leads to. */
  async pipe(topic: string, record: TestRecordInput): Promise<TestRecord> {
    const [written] = await this.pipeAll(topic, [record]);
    return written!;
  }

  /** Writes records to an input or table topic, in order, processing each before the next one is written. */
  async pipeAll(topic: string, records: Iterable<TestRecordInput>): Promise<TestRecord[]> {
    if (!this.#inputs.has(topic)) {
      throw new ProcessorError(
        PROCESSOR_ERROR_CODES.UNKNOWN_TOPIC,
        `no stage or table of the job reads topic ${topic} (it reads ${[...this.#inputs].join(', ')})`,
      );
    }
    await this.start();
    return this.#serialized(async () => {
      const written: TestRecord[] = [];
      for (const record of records) {
        written.push(testRecord(this.#topics.append(topic, toMessage(record, this.#now), this.#now)));
        if (!this.#crashed) await this.#process();
      }
      return written;
    });
  }

  /**
   * Moves the clock forward by `ms`. Each commit interval passed commits every task at that time, stage by stage
   * (each task ticks first, as in the runtime, where `tick` runs at every commit), and processes what the commits
   * wrote. After {@link QUIET_ROUNDS_BEFORE_JUMP} rounds in a row that wrote nothing, the clock jumps to the last
   * commit time before the target (one round there instead of one per interval); after
   * {@link QUIET_ROUNDS_BEFORE_STRIDE} rounds that wrote to no output, each round doubles the time it covers. While crashed the clock moves but
   * nothing runs.
   */
  async advanceTime(ms: number): Promise<void> {
    if (!Number.isSafeInteger(ms) || ms < 0)
      throw invalidArgument('advanceTime', `ms must be a non-negative integer (got ${String(ms)})`);
    await this.start();
    await this.#serialized(async () => {
      const target = this.#now + ms;
      const interval = this.#job.commitIntervalMs;
      let quiet = 0;
      let unseen = 0;
      let stride = 1;
      while (!this.#crashed && this.#nextCommitAt <= target) {
        this.#now = this.#nextCommitAt;
        this.#nextCommitAt += interval;
        const writes = this.#topics.writes;
        const visible = this.#outputWrites();
        for (const stage of this.#stages) {
          await stage.commit();
          await this.#process();
        }
        quiet = this.#topics.writes === writes ? quiet + 1 : 0;
        unseen = this.#outputWrites() === visible ? unseen + 1 : 0;
        // Only bookkeeping (changelogs, watermarks that follow the clock): each round takes twice the time of the
        // one before, up to the last commit time before the target; any output resets the stride.
        stride = unseen >= QUIET_ROUNDS_BEFORE_STRIDE ? Math.min(stride * 2, MAX_STRIDE) : 1;
        const last = this.#nextCommitAt + Math.floor((target - this.#nextCommitAt) / interval) * interval;
        if (quiet >= QUIET_ROUNDS_BEFORE_JUMP && this.#nextCommitAt <= target) {
          this.#nextCommitAt = last;
          quiet = 0;
        } else if (stride > 1 && this.#nextCommitAt <= target) {
          this.#nextCommitAt = Math.min(this.#now + stride * interval, last);
        }
      }
      this.#now = target;
    });
  }

  /** Records written so far to the job's outputs other than the repartition topic. */
  #outputWrites(): number {
    let count = 0;
    for (const [name, topic] of this.#job.outputs)
      if (topic !== null && name !== 'repartition' && this.#topics.has(topic))
        count += this.#topics.size(topic);
    return count;
  }

  /** Moves the clock to `timeMs` (not backwards): `advanceTime(timeMs - now)`. */
  async setTime(timeMs: number): Promise<void> {
    if (!Number.isSafeInteger(timeMs) || timeMs < this.#now)
      throw invalidArgument(
        'setTime',
        `timeMs must be an integer not before now (${this.#now}, got ${String(timeMs)})`,
      );
    await this.advanceTime(timeMs - this.#now);
  }

  /**
   * The committed records of an output (its logical name, e.g. `results`, `late`, `dead-letter`) or of any topic,
   * in the order they were written, that no earlier call returned: each record is read once.
   */
  readOutput(output: string): TestRecord[] {
    const topic = this.#topicOf(output);
    const from = this.#read.get(topic) ?? 0;
    const records = this.#topics.written(topic, from);
    this.#read.set(topic, from + records.length);
    return records.map(testRecord);
  }

  /** `readOutput` decoded: the values, null values (tombstones) left out. */
  readValues<T>(output: string, decode: (value: Buffer) => T): T[] {
    return this.readOutput(output).flatMap((r) => (r.value === null ? [] : [decode(r.value)]));
  }

  /**
   * The live entries of a state store's changelog, as a restore would read them: the latest value of each key per
   * partition, tombstoned keys left out. `store` is a store name (e.g. `partial-progress`) or a changelog topic.
   */
  changelog(store: string): TestChangelogEntry[] {
    const topic = this.#changelogOf(store);
    const entries: TestChangelogEntry[] = [];
    for (let partition = 0; partition < (this.#topics.countOf(topic) ?? 0); partition++) {
      const live = new LiveEntries(store);
      for (const { message } of this.#topics.partitionLog(topic, partition))
        if (message.key !== null) live.apply(message.key.toString('utf8'), message.value);
      for (const { key, value } of live.entries()) entries.push({ partition, key, value: value! });
    }
    return entries;
  }

  /** How many live entries a state store's changelog holds (see `changelog`). */
  changelogSize(store: string): number {
    return this.changelog(store).length;
  }

  /** The offset a stage has committed for a partition of its input (the next to read); null when none. */
  committedOffset(stageId: string, partition: number): number | null {
    const stage = this.#stages.find((s) => s.id === stageId);
    if (stage === undefined)
      throw new ProcessorError(
        PROCESSOR_ERROR_CODES.UNKNOWN_TOPIC,
        `the job has no stage ${stageId} (it has ${this.#stages.map((s) => s.id).join(', ')})`,
      );
    return this.#topics.committedOffset(stageId, stage.def.inputTopic, partition);
  }

  /** Reference-data tables by name: records of the initial load, live updates. */
  tableStats(): Record<string, TableLoaderStats> {
    const names = [...this.#job.tables.keys()];
    return Object.fromEntries(this.#loaders.map((l, i) => [names[i], { ...l.stats }]));
  }

  /**
   * Kills the job: every task is dropped without committing, so what it processed, its state changes and its
   * outputs since its last commit are lost. Records piped while crashed wait in their topics.
   */
  async crash(): Promise<void> {
    await this.start();
    await this.#serialized(async () => {
      if (this.#crashed) throw invalidState('crash() called on a crashed driver');
      this.#crashed = true;
      for (const stage of this.#stages) await stage.discard();
    });
  }

  /**
   * Starts the job again after `crash()`: every task is rebuilt from its changelog (`restore`) and resumes from its
   * committed offset; then whatever is unprocessed is processed. The commit interval starts anew from now.
   */
  async restart(): Promise<void> {
    await this.#serialized(async () => {
      if (!this.#crashed) throw invalidState('restart() called on a driver that did not crash');
      this.#crashed = false;
      this.#nextCommitAt = this.#now + this.#job.commitIntervalMs;
      for (const stage of this.#stages) stage.open();
      await this.#process();
    });
  }

  /** Stops following the table topics and releases the metrics; nothing is committed (topics stay readable). */
  async close(): Promise<void> {
    await this.#serial.catch(() => undefined);
    for (const loader of this.#loaders) await loader.stop();
    this.#metrics.close();
  }

  async #start(): Promise<void> {
    const o = this.#job;
    for (const [topic, partitions] of Object.entries(this.#partitions))
      this.#topics.create(topic, partitions);
    const setup = new StageSetup(this.#topics, o);
    const definitions = [];
    for (const spec of planStages(o)) {
      // An input topic must exist before its stage is set up (the runtime fails without it): made here.
      if (spec.inputPartitions.from === 'broker')
        this.#topics.create(spec.inputTopic, this.#partitions[spec.inputTopic] ?? 1);
      definitions.push(await setup.prepare(spec));
    }
    for (const [name, spec] of o.tables) {
      this.#topics.create(spec.topic, this.#partitions[spec.topic] ?? 1);
      this.#loaders.push(
        new TableLoader({
          name,
          table: spec.table,
          source: new InMemoryTableSource(this.#topics, spec.topic),
          now: o.now,
        }),
      );
    }
    for (const loader of this.#loaders) await loader.start();
    this.#stages = definitions.map(
      (def) =>
        new DriverStage(def, {
          topics: this.#topics,
          options: o,
          metrics: this.#metrics,
          slotContext: {
            stageId: def.id,
            outputs: o.outputs,
            partitionCounts: setup.partitionCounts,
            maxMessageBytes: setup.maxMessageBytes,
            metrics: this.#metrics,
            now: o.now,
            outputSinks: o.outputSinks,
          },
        }),
    );
    for (const stage of this.#stages) stage.open();
  }

  /** Feeds every stage, in plan order, until no stage has a record left to process. */
  async #process(): Promise<void> {
    for (;;) {
      let fed = 0;
      for (const stage of this.#stages) fed += await stage.feed();
      if (fed === 0) return;
    }
  }

  /** Runs `work` after every call before it, so concurrent calls never interleave. */
  #serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#serial.catch(() => undefined).then(work);
    this.#serial = run;
    return run;
  }

  #topicOf(output: string): string {
    const mapped = this.#job.outputs.get(output);
    if (mapped !== undefined && mapped !== null) return mapped;
    if (this.#topics.has(output) || [...this.#job.outputs.values()].includes(output)) return output;
    const known = [...this.#job.outputs.keys()].join(', ');
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.UNKNOWN_TOPIC,
      mapped === null
        ? `output ${output} is discarded (outputs.${output} is null): nothing to read`
        : `the job has no output or topic ${output} (outputs: ${known})`,
    );
  }

  #changelogOf(store: string): string {
    if (this.#topics.has(store) && store.endsWith('-changelog')) return store;
    const topics = this.#stages
      .filter((s) => s.stores.includes(store))
      .map((s) => changelogTopic(s.id, store));
    if (topics.length === 1) return topics[0]!;
    const stores = this.#stages.flatMap((s) => s.stores.map((name) => `${name} (${s.id})`));
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.UNKNOWN_TOPIC,
      topics.length === 0
        ? `the job has no state store ${store} (stores: ${stores.join(', ') || 'none'})`
        : `state store ${store} belongs to several stages: name its changelog topic (${topics.join(' or ')})`,
    );
  }
}

function toMessage(
  record: TestRecordInput,
  nowMs: number,
): {
  key: Buffer | string | null;
  value: Buffer | string | null;
  partition?: number;
  headers: IHeaders;
  timestamp: string;
} {
  const timestamp = record.timestamp ?? nowMs;
  if (!Number.isSafeInteger(timestamp) || timestamp < -1)
    throw invalidArgument('pipe', `timestamp must be an integer ≥ -1 (got ${String(record.timestamp)})`);
  const value = record.value;
  return {
    key: record.key ?? null,
    value: value === null || typeof value === 'string' || Buffer.isBuffer(value) ? value : Buffer.from(value),
    ...(record.partition === undefined ? {} : { partition: record.partition }),
    headers: { ...record.headers },
    timestamp: String(timestamp),
  };
}

function testRecord(record: LogRecord): TestRecord {
  const m = record.message;
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: Number(m.timestamp),
    key: m.key,
    value: m.value,
    headers: headersToStrings(m.headers),
  };
}

function invalidArgument(method: string, constraint: string): ProcessorError {
  return new ProcessorError(PROCESSOR_ERROR_CODES.INVALID_OPTION, `${method}: ${constraint}`);
}

function invalidState(message: string): ProcessorError {
  return new ProcessorError(PROCESSOR_ERROR_CODES.INVALID_STATE, message);
}
