import { option, z, type OptionInput, type OptionValues } from '@tributary/options';
import type { Aggregator } from '../aggregate/aggregator.js';
import { PROCESSOR_ERROR_CODES, ProcessorError, isProcessorError } from '../errors.js';
import { jsonCodec } from '../state/codec.js';
import { KeyedStore, type StoreSize } from '../state/keyed-store.js';
import type { ChangelogEntry, InputRecord, OutputRecord, PartitionTask } from '../task/partition-task.js';
import { WatermarkCombiner } from '../time/watermarks.js';
import { drainChangelogs, restoreChangelogs } from './changelog-stores.js';
import { ENGINE_CHANNELS, publish, publishDeadLetter } from './diagnostics.js';
import { fn, positiveInt, nonNegativeInt, processorOptions } from '../config/option-schemas.js';
import {
  ENGINE_DEFAULTS,
  WINDOW_TIME_OPTION_SPECS,
  OUTPUT_NAMES,
  ON_TIME_RESULTS,
  outputName,
  storePrefix,
} from './options.js';
import { partsCodec, upstreamsOf, type Parts } from './merge-parts.js';
import { decodeRepartitionRecord, type RepartitionRecord } from './repartition-format.js';
import { resultOutput } from './result-output.js';
import { LATE_REASONS, deadLetterRecord, lateRecord } from './side-outputs.js';
import { jsonResultEncoder, type ResultEncoder, type ResultFilter } from './window-result.js';
import { WindowSlots } from './window-slots.js';

/** The merge task's plain options. */
const MERGE_TASK_OPTION_SPECS = {
  ...WINDOW_TIME_OPTION_SPECS,
  /**
   * Number of partitions of the stage-1 input topic (each holds the watermark back until it reports or goes idle).
   * A record from a higher upstream partition (the input topic gained partitions since) adds it.
   */
  upstreamPartitions: option(positiveInt, 'partitions of the stage-1 input topic'),
  /**
   * Keep a closed window this long (event time) after every upstream, or the data, passed it, for partials of idle
   * or newly added upstreams. A partial that arrives later for a purged window goes to `latePartialsOutput` (reason
   * `merge-retention-exceeded`): a window is never re-fired from a subset of its upstreams. @defaultValue 600000
   */
  closedWindowRetentionMs: option(
    nonNegativeInt.default(ENGINE_DEFAULTS.closedWindowRetentionMs),
    'retention of a closed window',
  ),
  /** @defaultValue 'merge' */
  storePrefix: storePrefix('merge'),
  /** With allowed lateness: emit a window at its end and for late partials before it closes. @defaultValue true */
  onTimeResults: ON_TIME_RESULTS,
  outputs: OUTPUT_NAMES,
  /**
   * Logical output of partials beyond the retention (the repartition record itself, with late headers) — not the
   * events' late output, whose consumers expect events. @defaultValue the late output (`outputs.late`)
   */
  latePartialsOutput: option(outputName.optional(), 'output of partials beyond the retention'),
};

const MERGE_TASK_OPTIONS = processorOptions('MergeTask', {
  ...MERGE_TASK_OPTION_SPECS,
  aggregator: option(
    z.custom<object>((a) => typeof a === 'object' && a !== null, 'is required'),
    'the aggregator of stage 1',
  ),
  encodeResult: option(fn<ResultEncoder<never>>().optional(), 'encodes a result'),
  keepResult: option(fn<ResultFilter<never>>().optional(), 'decides which results are written'),
});

export interface MergeTaskOptions<A, R> extends OptionInput<typeof MERGE_TASK_OPTION_SPECS> {
  upstreamPartitions: number;
  /** The same aggregator as stage 1 (`add` is not used here). */
  aggregator: MergeAggregator<A, R>;
  /** @defaultValue JSON of the WindowedResult, key = aggregation key */
  encodeResult?: ResultEncoder<R>;
  /** Results it rejects are not written (their window's state and version move on). @defaultValue every result */
  keepResult?: ResultFilter<R>;
}

/** What the merge stage needs of an Aggregator: every Aggregator<E, A, R> fits. */
export type MergeAggregator<A, R> = Omit<Aggregator<never, A, R>, 'add'>;

interface MergeProgress {
  /** last applied offset (a decimal string in changelogs written before offsets were numbers) */
  offset: number | string | null;
  combined: number | null;
  /**
   * The largest window end purged so far. Windows are purged in end order, so a (key, window) at or below it that
   * is not in state was purged — or is new from an upstream that was behind by more than the retention: either
   * way a partial for it is beyond the retention (late), never the start of a result computed from one upstream.
   */
  maxPurged?: number;
}

const MAX_UPSTREAM_PARTITIONS = 10_000;

/**
 * Stage 2 of a re-keyed aggregation, one per repartition partition. Keeps the latest cumulative partial per
 * (key, window, upstream partition) and sums them with `aggregator.merge`. The combined watermark is the min over
 * the upstream partitions' reported watermarks (WatermarkCombiner: an upstream that never reported holds it
 * back until idle; all idle → wall clock). A window is emitted per WindowSlots' rules against the combined
 * watermark; a changed partial for an emitted window re-emits it with version + 1.
 *
 * A window's state is kept until every upstream's own watermark, or the data watermark (combined over non-idle
 * upstreams, without the wall-clock advance), is `closedWindowRetentionMs` past `windowEnd + L`: an upstream that
 * is idle, or new (the input topic gained partitions), can still contribute that long. A later partial for a window
 * at or below the largest end purged (checkpointed) goes to the late-partials output with reason
 * `merge-retention-exceeded` instead of re-creating the window from that upstream alone: versions only grow and a
 * result is never computed from a subset of the upstreams.
 */
export class MergeTask<A, R> implements PartitionTask {
  readonly stores: readonly string[];
  readonly upstreamPartitions: number;
  readonly #aggregator: MergeAggregator<A, R>;
  readonly #eventTime: OptionValues<typeof WINDOW_TIME_OPTION_SPECS>;
  readonly #retentionMs: number;
  readonly #combiner: WatermarkCombiner;
  readonly #slots: WindowSlots<Parts, R>;
  readonly #upstreams: KeyedStore<number | null>;
  readonly #progress: KeyedStore<MergeProgress>;
  readonly #deadLetterOutput: string;
  readonly #lateOutput: string;
  readonly #prefix: string;
  /** See MergeProgress.maxPurged. */
  #maxPurged = Number.NEGATIVE_INFINITY;
  #lastOffset: number | undefined;
  #nowMs: number | undefined;
  #outputs: OutputRecord[] = [];
  readonly counters = {
    partials: 0,
    watermarks: 0,
    unchangedPartials: 0,
    deadLettered: 0,
    skippedReplays: 0,
    /** Partials for windows purged by retention while their upstream was behind (sent to the late output). */
    beyondRetention: 0,
  };

  constructor(options: MergeTaskOptions<A, R>) {
    const o = MERGE_TASK_OPTIONS.resolve(options);
    this.upstreamPartitions = o.upstreamPartitions;
    this.#aggregator = options.aggregator;
    this.#eventTime = o;
    this.#retentionMs = o.closedWindowRetentionMs;
    this.#deadLetterOutput = o.outputs.deadLetter;
    this.#lateOutput = o.latePartialsOutput ?? o.outputs.late;
    this.#prefix = o.storePrefix;
    this.#combiner = new WatermarkCombiner({
      inputs: this.upstreamPartitions,
      outOfOrdernessMs: this.#eventTime.outOfOrdernessMs,
      idleTimeoutMs: this.#eventTime.idleTimeoutMs,
      idleAdvanceMode: this.#eventTime.idleAdvanceMode,
    });
    const agg = this.#aggregator;
    this.#slots = new WindowSlots<Parts, R>({
      storeName: `${this.#prefix}-windows`,
      allowedLatenessMs: this.#eventTime.allowedLatenessMs,
      onTimeResults: o.onTimeResults,
      contentCodec: partsCodec,
      resultOf: (parts) => {
        let acc = agg.create();
        for (const u of upstreamsOf(parts)) acc = agg.merge(acc, agg.deserialize(parts.get(u)!));
        return agg.result(acc);
      },
      emit: resultOutput({
        task: this.#prefix,
        output: o.outputs.results,
        encode: options.encodeResult ?? jsonResultEncoder<R>(),
        keep: options.keepResult,
        emit: (record) => this.#outputs.push(record),
      }),
    });
    this.#upstreams = new KeyedStore<number | null>({
      name: `${this.#prefix}-upstreams`,
      codec: jsonCodec(),
    });
    this.#progress = new KeyedStore<MergeProgress>({ name: `${this.#prefix}-progress`, codec: jsonCodec() });
    this.stores = [this.#progress.name, this.#upstreams.name, this.#slots.storeName];
  }

  process(record: InputRecord): void {
    const offset = record.offset;
    if (this.#lastOffset !== undefined && offset <= this.#lastOffset) {
      this.counters.skippedReplays++;
      return;
    }
    this.#lastOffset = offset;
    let rec: RepartitionRecord;
    try {
      rec = decodeRepartitionRecord(record.value);
      if (rec.upstreamPartition >= MAX_UPSTREAM_PARTITIONS) {
        throw new ProcessorError(
          PROCESSOR_ERROR_CODES.REPARTITION_RECORD_INVALID,
          `invalid repartition record: upstream partition ${rec.upstreamPartition} (at most ${MAX_UPSTREAM_PARTITIONS})`,
        );
      }
      // The stage-1 input topic gained partitions: their tasks report like the others.
      this.#combiner.grow(rec.upstreamPartition + 1);
    } catch (error) {
      const code = isProcessorError(error) ? error.code : 'TRIB_PROC_REPARTITION_RECORD_INVALID';
      const reason = error instanceof Error ? error.message : String(error);
      this.counters.deadLettered++;
      this.#outputs.push(deadLetterRecord(this.#deadLetterOutput, record, code, reason));
      publishDeadLetter(this.#prefix, record, code, reason);
      this.#saveProgress();
      return;
    }
    if (rec.type === 'partial') {
      this.counters.partials++;
      if (this.#nowMs !== undefined) this.#combiner.heard(rec.upstreamPartition, this.#nowMs);
      const window = { start: rec.windowStart, end: rec.windowEnd };
      const { upstreamPartition: u, accumulator } = rec;
      const parts = this.#slots.get(rec.key, window);
      if (parts === undefined && rec.windowEnd <= this.#maxPurged) {
        this.#beyondRetention(record, rec.windowEnd);
      } else if (parts?.get(u)?.equals(accumulator) === true) {
        this.counters.unchangedPartials++; // a re-delivered partial: nothing changed, no new version
      } else {
        this.#slots.upsert(rec.key, window, (parts = new Map()) => parts.set(u, accumulator));
      }
    } else {
      this.counters.watermarks++;
      this.#combiner.update(rec.upstreamPartition, rec.watermark, rec.idle, this.#nowMs);
      const w = this.#combiner.watermarkOf(rec.upstreamPartition);
      this.#upstreams.set(String(rec.upstreamPartition), Number.isFinite(w) ? w : null);
      this.#advance();
    }
    this.#saveProgress();
  }

  tick(nowMs: number): void {
    this.#nowMs = nowMs;
    this.#advance(false);
  }

  /** A partial for a window already purged: the late-partials output, never a re-fire from a subset. */
  #beyondRetention(record: InputRecord, windowEnd: number): void {
    this.counters.beyondRetention++;
    const watermark = this.#combiner.current;
    this.#outputs.push(
      lateRecord(
        this.#lateOutput,
        record,
        watermark,
        windowEnd,
        this.#eventTime.allowedLatenessMs,
        LATE_REASONS.mergeRetentionExceeded,
      ),
    );
    publish(ENGINE_CHANNELS.lateEvent, () => ({
      task: this.#prefix,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      watermark,
      windowEnd,
    }));
  }

  /** Results fired (or late partials routed) since the last drain: commit them now. */
  commitRequested(): boolean {
    return this.#outputs.length > 0;
  }

  drainOutputs(): OutputRecord[] {
    this.#slots.flushUpdates();
    const out = this.#outputs;
    this.#outputs = [];
    return out;
  }

  drainChangelog(): ChangelogEntry[] {
    // Versions bumped by pending updates must be in the same commit as their outputs, whichever drain comes first.
    this.#slots.flushUpdates();
    return drainChangelogs([this.#progress, this.#upstreams, this.#slots]);
  }

  restore(entries: Iterable<ChangelogEntry>): void {
    restoreChangelogs(entries, [this.#progress, this.#upstreams, this.#slots]);
    const marks = new Map<number, number>();
    for (const [u, w] of this.#upstreams.entries()) marks.set(Number(u), w ?? Number.NEGATIVE_INFINITY);
    const p = this.#progress.get('task');
    this.#combiner.restore(marks, p?.combined ?? Number.NEGATIVE_INFINITY);
    this.#lastOffset = p?.offset == null ? undefined : Number(p.offset);
    this.#maxPurged = p?.maxPurged ?? Number.NEGATIVE_INFINITY;
    this.#slots.advance(this.#combiner.current);
  }

  lastAppliedOffset(): number | undefined {
    return this.#lastOffset;
  }

  /** The combined watermark (−∞ until every upstream reported or went idle). */
  get watermark(): number {
    return this.#combiner.current;
  }

  get stateSize(): Record<string, StoreSize> {
    return { [this.#slots.storeName]: this.#slots.size };
  }

  /**
   * Recomputes the combined watermark and fires/purges windows. The progress checkpoint is rewritten when the
   * advance came from data, or when it emitted or evicted something; a pure wall-clock advance while all upstreams
   * are idle is not checkpointed (restored lower, it is re-derived at the next tick), so an idle merge commits no
   * transactions.
   */
  #advance(fromData = true): void {
    const before = this.#combiner.current;
    const outputsBefore = this.#outputs.length;
    const combined =
      this.#nowMs !== undefined && this.#eventTime.wallClockAdvance
        ? this.#combiner.advance(this.#nowMs)
        : this.#nowMs !== undefined
          ? this.#advanceIdleOnly(this.#nowMs)
          : this.#combiner.advanceWithoutClock();
    this.#slots.advance(combined);
    // Retention is measured in event time from the data, never from the wall-clock advance: a window is dropped
    // `closedWindowRetentionMs` after every upstream passed it, or after what the (non-idle) data supports passed
    // it — so a partition added to the input topic, or one waking from idleness, still has that much event time to
    // contribute to a closed window exactly.
    // Without a clock yet (records right after a restore), only what every upstream reported: the restored
    // combined value may hold a wall-clock advance, which must never purge anything.
    const data =
      this.#nowMs === undefined ? this.#combiner.minimumOfAll : this.#combiner.dataWatermark(this.#nowMs);
    const purged = this.#slots.purge(
      Math.max(this.#combiner.minimumOfAll, Math.min(data, combined)) - this.#retentionMs,
    );
    const horizonMoved = this.#raiseHorizon(purged);
    if (
      horizonMoved ||
      (combined !== before && (fromData || this.#outputs.length > outputsBefore || purged.length > 0))
    ) {
      this.#saveProgress();
    }
  }

  /** After a purge: the largest end purged (see MergeProgress.maxPurged); whether it moved. */
  #raiseHorizon(purged: ReadonlyArray<{ window: { end: number } }>): boolean {
    let moved = false;
    for (const { window } of purged) {
      if (window.end > this.#maxPurged) {
        this.#maxPurged = window.end;
        moved = true;
      }
    }
    return moved;
  }

  /** Idleness without the all-idle wall-clock advance (`wallClockAdvance: false`). */
  #advanceIdleOnly(nowMs: number): number {
    let anyActive = false;
    for (let u = 0; u < this.#combiner.inputs; u++) if (!this.#combiner.isIdle(u, nowMs)) anyActive = true;
    return anyActive ? this.#combiner.advance(nowMs) : this.#combiner.advanceWithoutClock();
  }

  #saveProgress(): void {
    const c = this.#combiner.current;
    const progress: MergeProgress = {
      offset: this.#lastOffset ?? null,
      combined: Number.isFinite(c) ? c : null,
    };
    if (Number.isFinite(this.#maxPurged)) progress.maxPurged = this.#maxPurged;
    this.#progress.set('task', progress);
  }
}
