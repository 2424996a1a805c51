import { option, z, type OptionInput } from '@tributary/options';
import { EVENT_TIME_DEFAULTS } from '@tributary/schema';
import { fn, integer, nonNegativeInt, positiveInt, processorOptions } from '../config/option-schemas.js';
import { PROCESSOR_ERROR_CODES, isProcessorError } from '../errors.js';
import { jsonCodec } from '../state/codec.js';
import { KeyedStore, type StoreSize } from '../state/keyed-store.js';
import type { ChangelogEntry, InputRecord, OutputRecord, PartitionTask } from '../task/partition-task.js';
import { WatermarkCombiner } from '../time/watermarks.js';
import { drainChangelogs, restoreChangelogs } from './changelog-stores.js';
import type { Decoder } from './decoder.js';
import { publishDeadLetter } from './diagnostics.js';
import { JoinBuffer } from './join-buffer.js';
import {
  decodeJoinRecord,
  type JoinEventRecord,
  type JoinRecord,
  type JoinSide,
} from './join-record-format.js';
import { OUTPUT_NAMES, storePrefix } from './options.js';
import { deadLetterRecord } from './side-outputs.js';
import { STATE_LIMIT_CODES } from './state-limits.js';

/** Defaults of the interval join's own options. */
export const INTERVAL_JOIN_DEFAULTS = {
  /**
   * @defaultValue 200000 — events both sides buffer at once per join partition; the raw record plus the decoded
   * event, about 1 KB of heap each for small JSON events: ~200 MB at the cap.
   */
  maxBufferedRecords: 200_000,
} as const;

const MAX_UPSTREAM_PARTITIONS = 10_000;

const joinSide = z.object({
  decode: fn<Decoder<unknown>>(),
  /** The allowed lateness L of the side's JoinSideTasks (how far behind its watermark its events may still be). */
  allowedLatenessMs: nonNegativeInt.default(EVENT_TIME_DEFAULTS.allowedLatenessMs),
});

const INTERVAL_JOIN_OPTION_SPECS = {
  /** `right.ts - left.ts` must be at least this (may be negative). */
  lowerMs: option(integer, 'lower bound of right.ts - left.ts'),
  /** `right.ts - left.ts` must be at most this (at least `lowerMs`). */
  upperMs: option(integer, 'upper bound of right.ts - left.ts'),
  /** @defaultValue 200000 (INTERVAL_JOIN_DEFAULTS.maxBufferedRecords) */
  maxBufferedRecords: option(
    positiveInt.default(INTERVAL_JOIN_DEFAULTS.maxBufferedRecords),
    'events buffered by both sides',
  ),
  /** @defaultValue 'join' */
  storePrefix: storePrefix('join'),
  outputs: OUTPUT_NAMES,
};

const INTERVAL_JOIN_OPTIONS = processorOptions(
  'IntervalJoinTask',
  {
    ...INTERVAL_JOIN_OPTION_SPECS,
    left: option(joinSide, 'the left side'),
    right: option(joinSide, 'the right side'),
    joiner: option(fn<(l: never, r: never, key: string) => unknown>(), 'joins a left and a right event'),
    encode: option(fn<(joined: never) => Buffer | string>().optional(), 'encodes a joined result'),
    resultKeyOf: option(fn<(joined: never, key: string) => string>().optional(), 'the key of a result'),
    eventTimeTimestamps: option(z.boolean().default(false), 'results timestamped by event time'),
  },
  (o, fail) => {
    if (o.upperMs < o.lowerMs) fail('upperMs', `must be at least lowerMs (${o.lowerMs})`);
  },
);

/** One side of the join as the join task sees it. */
export interface IntervalJoinSide<E> {
  /** The side's decoder (the JoinSideTasks' one): the join decodes each source record again for the joiner. */
  decode: Decoder<E>;
  /** The allowed lateness L of the side's JoinSideTasks. @defaultValue 0 */
  allowedLatenessMs?: number;
}

export interface IntervalJoinTaskOptions<L, R, O> extends OptionInput<typeof INTERVAL_JOIN_OPTION_SPECS> {
  lowerMs: number;
  upperMs: number;
  left: IntervalJoinSide<L>;
  right: IntervalJoinSide<R>;
  /** The result of a left and a right event with the same key and `right.ts - left.ts` in `[lowerMs, upperMs]`. */
  joiner: (left: L, right: R, key: string) => O;
  /** @defaultValue JSON of the result */
  encode?: (joined: O) => Buffer | string;
  /**
   * The Kafka key of a result (its partition on the results topic), e.g. to key joined events by another field for
   * a downstream aggregation. @defaultValue the join key
   */
  resultKeyOf?: (joined: O, joinKey: string) => string;
  /**
   * Timestamp each result record with its event time, `max(left.ts, right.ts)` (as Flink and Kafka Streams do);
   * `false` leaves the commit's wall-clock time, like every engine task (time-based retention then counts from
   * when a result was written). @defaultValue false
   */
  eventTimeTimestamps?: boolean;
}

interface JoinProgress {
  /** Last applied offset of the repartition partition (null: none). */
  offset: number | null;
  /** Upstream partitions known per side (each holds that side's watermark until it reports). */
  partitions: { left: number; right: number };
}

interface UpstreamProgress {
  /** Watermark last reported (null: −∞). */
  watermark: number | null;
  /** Source offset of the last event received from this upstream partition (null: none). */
  offset: number | null;
}

/**
 * Stage 2 of an interval join, one per partition of the join's repartition topic: joins a left and a right event
 * when they have the same key and `right.ts - left.ts ∈ [lowerMs, upperMs]`, emitting `encode(joiner(left, right))`
 * on the results output, keyed by the join key.
 *
 * Each side's watermark W is the minimum over ALL its upstream partitions of the watermarks they reported
 * (WatermarkCombiner; an upstream that has not reported holds it at −∞; idleness and the wall clock play no part).
 * Every event a side's partition sends after reporting `w` has `ts >= w - L`, so a buffered left event is dropped once
 * `left.ts + upperMs < W_right - L_right` and a right one once `right.ts - lowerMs < W_left - L_left`: no event the
 * other side can still send could match it. Each event is matched against the other side's buffer when it arrives,
 * then buffered unless already past that bound — so every matching pair is emitted exactly once, whatever the order
 * in which the two sides' records reach the join. An event from an upstream at or below the last source offset
 * received from it (an at-least-once replay of stage 1) is skipped.
 *
 * State (buffers, watermarks per upstream, last offsets) is checkpointed. At `maxBufferedRecords` an event that would
 * be buffered is dead-lettered (`TRIB_PROC_JOIN_BUFFER_LIMIT`, the source record) instead of joined.
 */
export class IntervalJoinTask<L, R, O> implements PartitionTask {
  readonly stores: readonly string[];
  readonly counters = {
    events: 0,
    watermarks: 0,
    joined: 0,
    /** Events dropped from the buffers by the other side's watermark. */
    evicted: 0,
    deadLettered: 0,
    /** Of `deadLettered`: refused at `maxBufferedRecords`. */
    limited: 0,
    /** Events dropped by a filter of the side's decoder. */
    filtered: 0,
    skippedReplays: 0,
  };
  readonly #lowerMs: number;
  readonly #upperMs: number;
  readonly #maxBuffered: number;
  readonly #decoders: { readonly left: Decoder<L>; readonly right: Decoder<R> };
  readonly #joiner: (left: L, right: R, key: string) => O;
  readonly #encode: (joined: O) => Buffer | string;
  readonly #resultKeyOf: ((joined: O, joinKey: string) => string) | undefined;
  readonly #eventTimeTimestamps: boolean;
  readonly #resultsOutput: string;
  readonly #deadLetterOutput: string;
  readonly #prefix: string;
  readonly #buffers: { readonly left: JoinBuffer<L>; readonly right: JoinBuffer<R> };
  readonly #watermarks: { readonly left: WatermarkCombiner; readonly right: WatermarkCombiner };
  readonly #upstreams: KeyedStore<UpstreamProgress>;
  readonly #progress: KeyedStore<JoinProgress>;
  #lastOffset: number | undefined;
  #outputs: OutputRecord[] = [];

  constructor(options: IntervalJoinTaskOptions<L, R, O>) {
    const o = INTERVAL_JOIN_OPTIONS.resolve(options);
    this.#lowerMs = o.lowerMs;
    this.#upperMs = o.upperMs;
    this.#maxBuffered = o.maxBufferedRecords;
    this.#decoders = { left: options.left.decode, right: options.right.decode };
    this.#joiner = options.joiner;
    this.#encode = options.encode ?? ((joined) => JSON.stringify(joined));
    this.#resultKeyOf = options.resultKeyOf;
    this.#eventTimeTimestamps = o.eventTimeTimestamps;
    this.#resultsOutput = o.outputs.results;
    this.#deadLetterOutput = o.outputs.deadLetter;
    this.#prefix = o.storePrefix;
    const lateness = { left: o.left.allowedLatenessMs, right: o.right.allowedLatenessMs };
    const eventOf =
      <E>(decode: Decoder<E>) =>
      (record: JoinEventRecord): E => {
        const decoded = decode(sourceRecord(record));
        if (!decoded.ok) throw new Error(`the side's decoder refused a buffered event: ${decoded.reason}`);
        return decoded.event;
      };
    this.#buffers = {
      left: new JoinBuffer<L>({
        name: `${this.#prefix}-left`,
        expiresAt: (ts) => ts + this.#upperMs + lateness.right + 1,
        eventOf: eventOf(this.#decoders.left),
      }),
      right: new JoinBuffer<R>({
        name: `${this.#prefix}-right`,
        expiresAt: (ts) => ts - this.#lowerMs + lateness.left + 1,
        eventOf: eventOf(this.#decoders.right),
      }),
    };
    this.#watermarks = {
      left: new WatermarkCombiner({ inputs: 1 }),
      right: new WatermarkCombiner({ inputs: 1 }),
    };
    this.#upstreams = new KeyedStore<UpstreamProgress>({
      name: `${this.#prefix}-upstreams`,
      codec: jsonCodec(),
    });
    this.#progress = new KeyedStore({ name: `${this.#prefix}-progress`, codec: jsonCodec() });
    this.stores = [
      this.#progress.name,
      this.#upstreams.name,
      this.#buffers.left.name,
      this.#buffers.right.name,
    ];
  }

  process(record: InputRecord): void {
    if (this.#lastOffset !== undefined && record.offset <= this.#lastOffset) {
      this.counters.skippedReplays++;
      return;
    }
    this.#lastOffset = record.offset;
    let rec: JoinRecord;
    try {
      rec = decodeJoinRecord(record.value);
      if (rec.partitionCount > MAX_UPSTREAM_PARTITIONS)
        throw new Error(`partition count ${rec.partitionCount} (at most ${MAX_UPSTREAM_PARTITIONS})`);
    } catch (error) {
      const code = isProcessorError(error) ? error.code : PROCESSOR_ERROR_CODES.REPARTITION_RECORD_INVALID;
      this.#deadLetter(record, code, error instanceof Error ? error.message : String(error));
      this.#saveProgress();
      return;
    }
    // The side's source topic has (at least) this many partitions: each holds the side's watermark until it reports.
    this.#watermarks[rec.side].grow(rec.partitionCount);
    this.#saveProgress();
    if (rec.type === 'watermark') {
      this.counters.watermarks++;
      this.#onWatermark(rec.side, rec.upstreamPartition, rec.watermark);
    } else if (rec.side === 'left') {
      const { left, right } = this.#buffers;
      this.#onEvent(rec, record.value!, this.#decoders.left, left, right, (l, r, ts) =>
        this.#emit(rec, l, r, ts),
      );
    } else {
      const { left, right } = this.#buffers;
      this.#onEvent(rec, record.value!, this.#decoders.right, right, left, (r, l, ts) =>
        this.#emit(rec, l, r, ts),
      );
    }
  }

  tick(): void {
    // Nothing follows the wall clock: the join is decided by the data alone.
  }

  /** Joined results since the last drain: commit them now. */
  commitRequested(): boolean {
    return this.#outputs.length > 0;
  }

  drainOutputs(): OutputRecord[] {
    const out = this.#outputs;
    this.#outputs = [];
    return out;
  }

  drainChangelog(): ChangelogEntry[] {
    return drainChangelogs([this.#progress, this.#upstreams, this.#buffers.left, this.#buffers.right]);
  }

  restore(entries: Iterable<ChangelogEntry>): void {
    restoreChangelogs(entries, [this.#progress, this.#upstreams, this.#buffers.left, this.#buffers.right]);
    const progress = this.#progress.get('task');
    this.#lastOffset = progress?.offset ?? undefined;
    this.#watermarks.left.grow(progress?.partitions.left ?? 1);
    this.#watermarks.right.grow(progress?.partitions.right ?? 1);
    const marks = { left: new Map<number, number>(), right: new Map<number, number>() };
    for (const [id, p] of this.#upstreams.entries()) {
      const [side, upstream] = parseUpstreamId(id);
      marks[side].set(upstream, p.watermark ?? Number.NEGATIVE_INFINITY);
    }
    this.#watermarks.left.restore(marks.left, Number.NEGATIVE_INFINITY);
    this.#watermarks.right.restore(marks.right, Number.NEGATIVE_INFINITY);
    this.#buffers.left.reindex();
    this.#buffers.right.reindex();
  }

  lastAppliedOffset(): number | undefined {
    return this.#lastOffset;
  }

  /** A side's watermark: the minimum over all its upstream partitions' reports (−∞ until each reported). */
  watermarkOf(side: JoinSide): number {
    return this.#watermarks[side].minimumOfAll;
  }

  get stateSize(): Record<string, StoreSize> {
    const { left, right } = this.#buffers;
    return { [left.name]: left.size, [right.name]: right.size };
  }

  /** Events both sides buffer. */
  get bufferedRecords(): number {
    return this.#buffers.left.count + this.#buffers.right.count;
  }

  #onWatermark(side: JoinSide, upstream: number, watermark: number): void {
    const combiner = this.#watermarks[side];
    combiner.update(upstream, watermark);
    this.#setUpstream(side, upstream, { watermark: combiner.watermarkOf(upstream) });
    // The other side's buffer: what no event this side can still send could match.
    const other = side === 'left' ? this.#buffers.right : this.#buffers.left;
    this.counters.evicted += other.expire(combiner.minimumOfAll);
  }

  /**
   * An event of side S (`own`) against the other side's buffer: every buffered event of the key within the interval
   * is joined (`join(event, other)`), then the event is buffered unless the other side's watermark already passed
   * its expiry.
   */
  #onEvent<S, T>(
    rec: JoinEventRecord,
    bytes: Buffer,
    decode: Decoder<S>,
    own: JoinBuffer<S>,
    other: JoinBuffer<T>,
    join: (event: S, other: T, otherTs: number) => void,
  ): void {
    this.counters.events++;
    const upstreamId = `${rec.side}:${rec.upstreamPartition}`;
    const last = this.#upstreams.get(upstreamId)?.offset;
    if (last != null && rec.source.offset <= last) {
      this.counters.skippedReplays++;
      return;
    }
    this.#setUpstream(rec.side, rec.upstreamPartition, { offset: rec.source.offset });
    const source = sourceRecord(rec);
    const decoded = decode(source);
    if (!decoded.ok) {
      if (decoded.filtered === true) this.counters.filtered++;
      else this.#deadLetter(source, decoded.code, decoded.reason);
      return;
    }
    const otherSide = rec.side === 'left' ? 'right' : 'left';
    const expired = own.expiresAt(rec.eventTime) <= this.#watermarks[otherSide].minimumOfAll;
    if (!expired && this.bufferedRecords >= this.#maxBuffered) {
      this.counters.limited++;
      this.#deadLetter(
        source,
        STATE_LIMIT_CODES.joinBufferLimit,
        `the join already buffers ${this.bufferedRecords} events (maxBufferedRecords)`,
      );
      return;
    }
    const [min, max] =
      rec.side === 'left'
        ? [rec.eventTime + this.#lowerMs, rec.eventTime + this.#upperMs]
        : [rec.eventTime - this.#upperMs, rec.eventTime - this.#lowerMs];
    for (const b of other.eventsOf(rec.joinKey)) {
      const ts = b.record.eventTime;
      if (ts >= min && ts <= max) join(decoded.event, b.event, ts);
    }
    if (!expired) own.add(rec, bytes, decoded.event);
  }

  /**
   * The result of `left` and `right`, the one that arrived being `rec` (the other's event time `otherTs`). A joiner,
   * encoder or result key that throws or returns the wrong type dead-letters `rec`'s source record
   * (`TRIB_PROC_TRANSFORM_FAILED`); both events stay joinable with others.
   */
  #emit(rec: JoinEventRecord, left: L, right: R, otherTs: number): void {
    let encoded: Buffer | string;
    let key: unknown;
    let at = 'joiner';
    try {
      const joined = this.#joiner(left, right, rec.joinKey);
      at = 'encode';
      encoded = this.#encode(joined);
      at = 'resultKeyOf';
      key = this.#resultKeyOf === undefined ? rec.joinKey : this.#resultKeyOf(joined, rec.joinKey);
      if (typeof key !== 'string') throw new Error(`returned ${typeof key}, not a string key`);
      if (typeof encoded !== 'string' && !Buffer.isBuffer(encoded))
        throw new Error(`returned ${typeof encoded}, not a Buffer or a string`);
    } catch (error) {
      // One hostile pair never stops the stage: the record that completed it is dead-lettered.
      const reason = error instanceof Error ? error.message : String(error);
      const other = `the ${rec.side === 'left' ? 'right' : 'left'} event at ${otherTs}`;
      this.#deadLetter(
        sourceRecord(rec),
        PROCESSOR_ERROR_CODES.TRANSFORM_FAILED,
        `${at} failed on this event and ${other}: ${reason}`,
      );
      return;
    }
    this.counters.joined++;
    const eventTime = Math.max(rec.eventTime, otherTs);
    this.#outputs.push({
      output: this.#resultsOutput,
      key: Buffer.from(key, 'utf8'),
      value: typeof encoded === 'string' ? Buffer.from(encoded, 'utf8') : encoded,
      headers: {},
      destination: { kind: 'by-key' },
      ...(this.#eventTimeTimestamps ? { timestamp: eventTime } : {}),
      eventTime,
    });
  }

  #setUpstream(side: JoinSide, upstream: number, change: Partial<UpstreamProgress>): void {
    const id = `${side}:${upstream}`;
    const p = this.#upstreams.get(id) ?? { watermark: null, offset: null };
    const next = { ...p, ...change };
    if (next.watermark === Number.NEGATIVE_INFINITY) next.watermark = null;
    this.#upstreams.set(id, next);
  }

  #saveProgress(): void {
    this.#progress.set('task', {
      offset: this.#lastOffset ?? null,
      partitions: { left: this.#watermarks.left.inputs, right: this.#watermarks.right.inputs },
    });
  }

  #deadLetter(record: InputRecord, code: string, reason: string): void {
    this.counters.deadLettered++;
    this.#outputs.push(deadLetterRecord(this.#deadLetterOutput, record, code, reason));
    publishDeadLetter(this.#prefix, record, code, reason);
  }
}

/** The source record of a joined event, as its JoinSideTask read it. */
function sourceRecord(rec: JoinEventRecord): InputRecord {
  const s = rec.source;
  return {
    topic: s.topic,
    partition: rec.upstreamPartition,
    offset: s.offset,
    timestamp: s.timestamp,
    key: s.key,
    value: s.value,
    headers: s.headers,
  };
}

function parseUpstreamId(id: string): [JoinSide, number] {
  const [side, upstream] = id.split(':');
  return [side === 'right' ? 'right' : 'left', Number(upstream)];
}
