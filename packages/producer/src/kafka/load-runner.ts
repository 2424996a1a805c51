import { performance } from 'node:perf_hooks';
import type { OptionInput } from '@tributary/options';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { channels, publish } from '../diagnostics.js';
import { ProducerErrorCodes, wrapKafkaError } from '../errors.js';
import { GroundTruthAccumulator } from '../ground-truth/ground-truth.js';
import type { GroundTruthManifest, InjectedCounts } from '../ground-truth/ground-truth.js';
import { defaultEventTimeOrigin, LOAD_OPTIONS, workloadOptionsOf } from '../load-options.js';
import type { LoadOptions } from '../load-options.js';
import { PacingSchedule, plannedRecords } from '../pacing/pacing-schedule.js';
import { formatPerfSummary } from '../report/perf-summary.js';
import { ProgressReporter } from '../report/progress-reporter.js';
import { writeRunOutputs } from '../report/run-outputs.js';
import type { ProgressFigures } from '../report/perf-summary.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { LatencySummary } from '../stats/latency-histogram.js';
import { ClickstreamGenerator } from '../workload/generator.js';
import { FaultKinds } from '../workload/faults.js';
import { resolveCompression } from './compression.js';
import { KafkaBatchSender } from './kafka-batch-sender.js';
import type { BatchSender, SentBatch } from './kafka-batch-sender.js';
import { connectFailure, createKafka, endOffsets, ensureTopic } from './kafka-client.js';
import { LogOrderFeeder } from './log-order.js';
import { assignPartitions } from './partition-assignment.js';
import type { PartitionAssignment } from './partition-assignment.js';
import { recordHeaders } from './record-headers.js';
import { RecordAccumulator } from './record-accumulator.js';
import type { PendingRecord } from './record-accumulator.js';
import { SenderThread } from './sender-thread.js';
import { senderThreadCount } from './sender-threads-option.js';

export interface LoadReport {
  topic: string;
  partitions: number;
  /** Records acknowledged by Kafka. */
  sent: number;
  /** Records whose send failed for good (not in the manifest). */
  failed: number;
  /** Value bytes acknowledged. */
  bytes: number;
  elapsedMs: number;
  recordsPerSec: number;
  mbPerSec: number;
  /** Ack latency from each record's intended send time (warm-up excluded). */
  latency: LatencySummary;
  /** How far behind the schedule records were built and handed to the batcher (warm-up excluded). */
  scheduleLag: LatencySummary;
  /** The kafka-producer-perf-test style final line. */
  summary: string;
  manifest: GroundTruthManifest;
  /** `.hgrm` percentile distribution of ack latency (ms). */
  hgrm: string;
  /** First few send errors, for the report. */
  errors: string[];
}

export interface LoadRunHooks {
  clock?: Clock;
  /** Called with each progress line (every progressIntervalMs). */
  onProgress?: (line: string, figures: ProgressFigures) => void;
  /** Stops generating; in-flight records are still awaited and reported. */
  signal?: AbortSignal;
}

const MAX_ERRORS_KEPT = 10;

/** One producer with its own partitions, batcher and outstanding sends. */
interface Lane {
  sender: BatchSender;
  acc: RecordAccumulator;
  inFlight: number;
}

/**
 * Open-loop load generator for Kafka: paces the generator's records on a fixed schedule, batches them per partition
 * (linger/batch size), keeps a bounded number of send() calls outstanding on an idempotent acks=all producer and
 * measures ack latency from each record's intended send time. Acknowledged records are fed to the ground-truth
 * accumulator in log order (by the offsets Kafka acknowledged them at), so the manifest describes exactly what is in
 * the topic even when a retried send lands after a later one.
 */
export class ClickstreamLoadGenerator {
  readonly options: LoadOptions;
  readonly #clock: Clock;
  readonly #hooks: LoadRunHooks;
  readonly #latency = new LatencyHistogram();
  readonly #lag = new LatencyHistogram();
  readonly #progress: ProgressReporter;
  #inFlight = 0;
  readonly #errors: string[] = [];
  readonly #injected: InjectedCounts = { outOfOrder: 0, late: 0, duplicates: 0, malformed: 0 };
  #wake: (() => void) | undefined;
  #acked = 0;
  #failed = 0;
  #bytes = 0;
  #handed = 0;

  constructor(options: OptionInput<typeof LOAD_OPTIONS.specs> = {}, hooks: LoadRunHooks = {}) {
    this.options = LOAD_OPTIONS.resolve(options);
    this.#hooks = hooks;
    this.#clock = hooks.clock ?? systemClock;
    this.#progress = new ProgressReporter(this.options.progressIntervalMs, this.#clock, hooks.onProgress);
  }

  async run(): Promise<LoadReport> {
    const o = this.options;
    const compression = resolveCompression(o.compression);
    const kafka = await createKafka(o);
    const admin = kafka.admin();
    let partitions: number;
    let startOffsets: number[];
    try {
      await admin.connect();
      partitions = await ensureTopic(admin, o);
      startOffsets = await endOffsets(admin, o.topic, partitions);
    } catch (err) {
      throw connectFailure(ProducerErrorCodes.CONNECT_FAILED, 'cannot reach Kafka', err);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    // With sender threads, each producer (lane) lives on a thread (lane i on thread i mod n), so at least one lane
    // per thread; without, all producers run on this thread.
    const threadCount = senderThreadCount(o.senderThreads);
    const assignment = assignPartitions(partitions, Math.max(o.producers, threadCount));
    const threads = Array.from(
      { length: Math.min(threadCount, assignment.producers) },
      () => new SenderThread(),
    );
    const settings = { topic: o.topic, compression, requestTimeoutMs: o.requestTimeoutMs };
    const connecting = assignment.partitionsOf.map((_, lane) =>
      threads.length > 0
        ? threads[lane % threads.length]!.openLane(lane, o, o.maxInFlightBatches)
        : KafkaBatchSender.connect(kafka, o, settings),
    );
    const connected = await Promise.allSettled(connecting);
    const senders = connected.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
    try {
      const failed = connected.find((c): c is PromiseRejectedResult => c.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      return await this.#produce(senders, assignment, startOffsets, threads.length > 0);
    } finally {
      await Promise.all(senders.map((sender) => sender.close()));
      await Promise.all(threads.map((thread) => thread.close()));
    }
  }

  async #produce(
    senders: BatchSender[],
    assignment: PartitionAssignment,
    startOffsets: number[],
    threaded: boolean,
  ): Promise<LoadReport> {
    const o = this.options;
    const clock = this.#clock;
    const partitions = assignment.producerOf.length;
    const startMs = clock.now();
    const wallStart = clock.wallNow();
    const eventsPerSecond = o.rate > 0 ? o.rate : o.eventsPerSecond;
    const generator = new ClickstreamGenerator({
      ...workloadOptionsOf(o),
      partitions,
      eventsPerSecond,
      eventTimeOriginMs: o.eventTimeOriginMs ?? defaultEventTimeOrigin(o, wallStart, eventsPerSecond),
    });
    const truth = new GroundTruthAccumulator({
      ...generator.options,
      topic: o.topic,
      partitions,
      seed: o.seed,
    });
    const feeder = new LogOrderFeeder<PendingRecord>(startOffsets, (partition, r) => {
      if (r.event === undefined) truth.addBytes(partition, r.value);
      else truth.addEvent(partition, r.event);
    });
    const total = plannedRecords(o.rate, o.durationMs, o.count);
    const schedule = new PacingSchedule(o.rate, startMs, total);
    const endMs = o.count === undefined ? startMs + o.durationMs : Number.POSITIVE_INFINITY;
    const warmupEnd = startMs + o.warmupMs;
    // One lane per producer: its own batcher over its partitions and its own outstanding sends.
    const lanes: Lane[] = senders.map((sender) => ({
      sender,
      acc: new RecordAccumulator(partitions, { batchSize: o.batchSize, lingerMs: o.lingerMs }),
      inFlight: 0,
    }));
    const laneOf = assignment.producerOf.map((i) => lanes[i]!);
    const maxBuffered = o.batchSize * partitions * 2;
    // A sender thread sends a lane's batches in hand-over order, maxInFlightBatches at once; one more batch may wait
    // there, so the thread starts on it the moment the previous one is acknowledged.
    const maxInFlight = o.maxInFlightBatches + (threaded ? 1 : 0);
    let buffered = 0;

    const send = (lane: Lane, records: PendingRecord[]): void => {
      buffered -= records.length;
      this.#handed += records.length;
      this.#inFlight++;
      lane.inFlight++;
      lane.sender
        .send(records)
        .then(
          (sent) => this.#acknowledged(records, sent, feeder, warmupEnd),
          (err: unknown) => {
            this.#failed += records.length;
            const wrapped = wrapKafkaError(
              ProducerErrorCodes.SEND_FAILED,
              `send of ${records.length} records failed`,
              err,
            );
            if (this.#errors.length < MAX_ERRORS_KEPT) this.#errors.push(wrapped.message);
            publish(channels.batchFailed, { topic: o.topic, records: records.length, error: wrapped });
          },
        )
        .finally(() => {
          this.#inFlight--;
          lane.inFlight--;
          this.#wake?.();
        });
    };
    /** Sends every lane that is ready (or, when forced, has anything) and has a free slot. */
    const sendReady = (now: number, force = false): void => {
      for (const lane of lanes) {
        if (lane.inFlight < maxInFlight && (force ? lane.acc.size > 0 : lane.acc.ready(now)))
          send(lane, lane.acc.drain(now, force));
      }
    };
    /** Earliest linger deadline of a lane that could send then (a lane without a free slot waits for an ack). */
    const nextSendDeadline = (): number => {
      let min = Number.POSITIVE_INFINITY;
      for (const lane of lanes) if (lane.inFlight < maxInFlight) min = Math.min(min, lane.acc.nextDeadline());
      return min;
    };

    this.#progress.start(startMs, () => ({ sent: this.#handed, acked: this.#acked, errors: this.#failed }));
    let seq = 0;
    let zeroLags = 0;
    try {
      for (;;) {
        if (this.#hooks.signal?.aborted === true) break;
        let now = clock.now();
        if (now >= endMs) break;
        const due = schedule.dueCount(now);
        let built = 0;
        while (seq < due && buffered < maxBuffered) {
          const r = generator.next();
          const builtAt = clock.now();
          const intendedMs = o.rate > 0 ? schedule.intendedAt(seq) : builtAt;
          // Unthrottled, a record is intended when it is built: its lag is 0, counted here and recorded in one go.
          if (intendedMs >= warmupEnd) {
            if (o.rate > 0) this.#recordLag(builtAt - intendedMs);
            else zeroLags++;
          }
          const lane = laneOf[r.partition]!;
          lane.acc.add(
            {
              seq,
              partition: r.partition,
              key: r.key,
              value: r.value,
              headers: o.recordHeaders
                ? recordHeaders(r.fault, r.malformed, wallStart + (intendedMs - startMs))
                : undefined,
              intendedMs,
              fault: r.fault,
              event: r.fault === FaultKinds.MALFORMED ? undefined : r.event,
            },
            now,
          );
          buffered++;
          seq++;
          if (lane.inFlight < maxInFlight && lane.acc.ready(now)) send(lane, lane.acc.drain(now));
          // Unthrottled runs: look at the clock now and then, and let I/O in.
          if (++built % 2048 === 0) {
            now = clock.now();
            if (now >= endMs) break;
          }
        }
        now = clock.now();
        if (seq >= total) break;
        sendReady(now);
        // Wake for the next due record (unless the buffer is full), the next linger deadline of a lane that can
        // send, or the end; an acknowledgement frees a slot and wakes this sleep too.
        const nextDue =
          buffered >= maxBuffered ? Number.POSITIVE_INFINITY : seq < due ? now : schedule.intendedAt(seq);
        const wakeAt = Math.min(nextDue, nextSendDeadline(), endMs);
        await this.#sleep(wakeAt - now);
      }
      while (buffered > 0) {
        sendReady(clock.now(), true);
        if (buffered > 0) await this.#waitForAck();
      }
      while (this.#inFlight > 0) await this.#waitForAck();
      feeder.flush();
    } finally {
      this.#progress.stop();
    }

    this.#lag.recordMs(0, zeroLags);
    const elapsedMs = clock.now() - startMs;
    const latency = this.#latency.summary();
    const summary = formatPerfSummary({ records: this.#acked, bytes: this.#bytes, elapsedMs }, latency);
    const manifest = truth.toManifest();
    manifest.injected = { ...this.#injected };
    const report: LoadReport = {
      topic: o.topic,
      partitions,
      sent: this.#acked,
      failed: this.#failed,
      bytes: this.#bytes,
      elapsedMs,
      recordsPerSec: elapsedMs > 0 ? (this.#acked * 1000) / elapsedMs : 0,
      mbPerSec: elapsedMs > 0 ? this.#bytes / (1024 * 1024) / (elapsedMs / 1000) : 0,
      latency,
      scheduleLag: this.#lag.summary(),
      summary,
      manifest,
      hgrm: this.#latency.toHgrm(),
      errors: [...this.#errors],
    };
    await writeRunOutputs(report.manifest, report.hgrm, o);
    return report;
  }

  /** Counts an acknowledged send and hands its records, per partition at their offsets, to the log-order feeder. */
  #acknowledged(
    records: PendingRecord[],
    sent: SentBatch,
    feeder: LogOrderFeeder<PendingRecord>,
    warmupEnd: number,
  ): void {
    // An acknowledgement that arrived on a sender thread counts from when it arrived there (the system clock's
    // performance.now() is this thread's; both are anchored at their thread's timeOrigin).
    const ackMs =
      sent.ackedAtEpochMs !== undefined && this.#clock === systemClock
        ? sent.ackedAtEpochMs - performance.timeOrigin
        : this.#clock.now();
    const acks = sent.acks;
    const byPartition = new Map<number, PendingRecord[]>();
    let bytes = 0;
    for (const r of records) {
      bytes += r.value.length;
      this.#countFault(r.fault);
      if (r.intendedMs >= warmupEnd) {
        this.#latency.recordMs(ackMs - r.intendedMs);
        this.#progress.recordLatencyMs(ackMs - r.intendedMs);
      }
      let list = byPartition.get(r.partition);
      if (list === undefined) byPartition.set(r.partition, (list = []));
      list.push(r);
    }
    for (const a of acks) {
      const list = byPartition.get(a.partition);
      if (list !== undefined) feeder.add(a.partition, a.baseOffset, list);
    }
    this.#acked += records.length;
    this.#bytes += bytes;
    publish(channels.batchAcked, {
      topic: this.options.topic,
      records: records.length,
      bytes,
      latencyMs: ackMs,
    });
  }

  #countFault(fault: string): void {
    if (fault === FaultKinds.OUT_OF_ORDER) this.#injected.outOfOrder++;
    else if (fault === FaultKinds.LATE) this.#injected.late++;
    else if (fault === FaultKinds.DUPLICATE) this.#injected.duplicates++;
    else if (fault === FaultKinds.MALFORMED) this.#injected.malformed++;
  }

  #recordLag(ms: number): void {
    this.#lag.recordMs(ms);
    this.#progress.recordLagMs(ms);
  }

  /** Resolves at the next acknowledgement (or failure) of a send. */
  #waitForAck(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = () => {
        this.#wake = undefined;
        resolve();
      };
    });
  }

  /** Sleeps `ms` (Infinity: until an acknowledgement); an acknowledgement ends the sleep early. */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let immediate: NodeJS.Immediate | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        if (immediate !== undefined) clearImmediate(immediate);
        this.#wake = undefined;
        resolve();
      };
      if (ms <= 0) immediate = setImmediate(done);
      else if (ms !== Number.POSITIVE_INFINITY) timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}

/** Runs one load and returns its report (see ClickstreamLoadGenerator). */
export function runLoad(
  options: OptionInput<typeof LOAD_OPTIONS.specs> = {},
  hooks: LoadRunHooks = {},
): Promise<LoadReport> {
  return new ClickstreamLoadGenerator(options, hooks).run();
}
