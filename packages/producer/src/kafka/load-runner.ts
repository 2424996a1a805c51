import type { Message, Producer, RecordMetadata } from 'kafkajs';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { channels, publish } from '../diagnostics.js';
import { ProducerError, ProducerErrorCodes, wrapKafkaError } from '../errors.js';
import { GroundTruthAccumulator } from '../ground-truth/ground-truth.js';
import type { GroundTruthManifest, InjectedCounts } from '../ground-truth/ground-truth.js';
import { resolveLoadOptions, workloadOptionsOf } from '../load-options.js';
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
import {
  connectProducer,
  createIdempotentProducer,
  createKafka,
  endOffsets,
  ensureTopic,
} from './kafka-client.js';
import { LogOrderFeeder } from './log-order.js';
import { recordHeaders } from './record-headers.js';
import { RecordAccumulator } from './record-accumulator.js';
import type { PendingRecord } from './record-accumulator.js';

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

  constructor(options: Partial<LoadOptions> = {}, hooks: LoadRunHooks = {}) {
    this.options = resolveLoadOptions(options);
    this.#hooks = hooks;
    this.#clock = hooks.clock ?? systemClock;
    this.#progress = new ProgressReporter(this.options.progressIntervalMs, this.#clock, hooks.onProgress);
  }

  async run(): Promise<LoadReport> {
    const o = this.options;
    const compression = resolveCompression(o.compression);
    const kafka = createKafka(o);
    const admin = kafka.admin();
    let partitions: number;
    let startOffsets: number[];
    try {
      await admin.connect();
      partitions = await ensureTopic(admin, o);
      startOffsets = await endOffsets(admin, o.topic, partitions);
    } catch (err) {
      throw err instanceof ProducerError
        ? err
        : wrapKafkaError(ProducerErrorCodes.CONNECT_FAILED, 'cannot reach Kafka', err);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const producer = createIdempotentProducer(kafka, o);
    await connectProducer(producer, o.brokers);
    try {
      return await this.#produce(producer, partitions, startOffsets, compression);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  async #produce(
    producer: Producer,
    partitions: number,
    startOffsets: number[],
    compression: number,
  ): Promise<LoadReport> {
    const o = this.options;
    const clock = this.#clock;
    const startMs = clock.now();
    const wallStart = clock.wallNow();
    const eventsPerSecond = o.rate > 0 ? o.rate : o.eventsPerSecond;
    const generator = new ClickstreamGenerator({
      ...workloadOptionsOf(o),
      partitions,
      eventsPerSecond,
      eventTimeOriginMs: o.eventTimeOriginMs ?? wallStart,
    });
    const truth = new GroundTruthAccumulator({
      ...generator.options,
      topic: o.topic,
      partitions,
      seed: o.seed,
    });
    const feeder = new LogOrderFeeder<PendingRecord>(startOffsets, (partition, r) => {
      truth.add(r.event === undefined ? { partition, value: r.value } : { partition, event: r.event });
    });
    const total = plannedRecords(o.rate, o.durationMs, o.count);
    const schedule = new PacingSchedule(o.rate, startMs, total);
    const endMs =
      o.count === undefined && o.durationMs !== undefined ? startMs + o.durationMs : Number.POSITIVE_INFINITY;
    const warmupEnd = startMs + o.warmupMs;
    const acc = new RecordAccumulator(partitions, { batchSize: o.batchSize, lingerMs: o.lingerMs });
    const maxBuffered = o.batchSize * partitions * 2;

    const send = (records: PendingRecord[]): void => {
      this.#handed += records.length;
      this.#inFlight++;
      const messages: Message[] = records.map((r) => ({
        key: r.key,
        value: Buffer.isBuffer(r.value)
          ? r.value
          : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
        partition: r.partition,
        ...(r.headers === undefined ? {} : { headers: r.headers }),
      }));
      producer
        .send({ topic: o.topic, messages, acks: -1, compression, timeout: o.requestTimeoutMs })
        .then(
          (metadata) => this.#acknowledged(records, metadata, feeder, warmupEnd),
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
          this.#wake?.();
        });
    };

    this.#progress.start(startMs, () => ({ sent: this.#handed, acked: this.#acked, errors: this.#failed }));
    let seq = 0;
    try {
      for (;;) {
        if (this.#hooks.signal?.aborted === true) break;
        let now = clock.now();
        if (now >= endMs) break;
        const due = schedule.dueCount(now);
        let built = 0;
        while (seq < due && acc.size < maxBuffered) {
          const r = generator.next();
          const builtAt = clock.now();
          const intendedMs = o.rate > 0 ? schedule.intendedAt(seq) : builtAt;
          if (intendedMs >= warmupEnd) this.#recordLag(builtAt - intendedMs);
          acc.add(
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
          seq++;
          if (this.#inFlight < o.maxInFlightBatches && acc.ready(now)) send(acc.drain(now));
          // Unthrottled runs: look at the clock now and then, and let I/O in.
          if (++built % 2048 === 0) {
            now = clock.now();
            if (now >= endMs) break;
          }
        }
        now = clock.now();
        if (seq >= total) {
          while (acc.size > 0) {
            await this.#waitForSlot(o.maxInFlightBatches);
            send(acc.drain(clock.now(), true));
          }
          break;
        }
        if (this.#inFlight < o.maxInFlightBatches && acc.ready(now)) send(acc.drain(now));
        if (this.#inFlight >= o.maxInFlightBatches && (acc.size >= maxBuffered || acc.ready(now))) {
          // Nothing to do until a send completes (a completion also wakes the sleep below).
          await this.#waitForSlot(o.maxInFlightBatches);
          continue;
        }
        const nextDue = seq < due ? now : schedule.intendedAt(seq);
        const wakeAt = Math.min(nextDue, acc.nextDeadline(), endMs);
        await this.#sleep(Math.max(0, wakeAt - now));
      }
      while (acc.size > 0) {
        await this.#waitForSlot(o.maxInFlightBatches);
        send(acc.drain(clock.now(), true));
      }
      while (this.#inFlight > 0) await this.#waitForSlot(1);
      feeder.flush();
    } finally {
      this.#progress.stop();
    }

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
    metadata: RecordMetadata[],
    feeder: LogOrderFeeder<PendingRecord>,
    warmupEnd: number,
  ): void {
    const ackMs = this.#clock.now();
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
    for (const m of metadata) {
      const list = byPartition.get(m.partition);
      if (list !== undefined && m.baseOffset !== undefined)
        feeder.add(m.partition, Number(m.baseOffset), list);
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

  async #waitForSlot(max: number): Promise<void> {
    while (this.#inFlight >= max) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

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
      else timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}

/** Runs one load and returns its report (see ClickstreamLoadGenerator). */
export function runLoad(options: Partial<LoadOptions> = {}, hooks: LoadRunHooks = {}): Promise<LoadReport> {
  return new ClickstreamLoadGenerator(options, hooks).run();
}
