import { isWindowClosed } from '@tributary/schema';
import type { ChangelogEntry, InputRecord, OutputRecord } from '../task/partition-task.js';
import { DedupStore } from '../dedup/dedup-store.js';
import { jsonCodec } from '../state/codec.js';
import { KeyedStore, type StoreSize } from '../state/keyed-store.js';
import { PartitionWatermark } from '../time/watermarks.js';
import type { TimeWindow } from '../windows/window.js';
import type { Decoder } from './decoder.js';
import { ENGINE_CHANNELS, publish, publishDeadLetter } from './diagnostics.js';
import type { ResolvedEventTime } from './options.js';
import { deadLetterRecord, lateRecord } from './side-outputs.js';
import type { StateLimitCheck } from './state-limits.js';

/** Counters of one partition's decisions (not checkpointed: they describe this task instance's work). */
export interface GateCounters {
  accepted: number;
  late: number;
  duplicates: number;
  deadLettered: number;
  /** Records at or below the checkpointed offset, skipped because the state already contains them. */
  skippedReplays: number;
  /** Of `deadLettered`: valid, on-time, new events refused at a state cap (`maxKeysPerWindow`, `maxOpenSessions`). */
  limited: number;
  /** Remembered event ids forgotten at the `maxDedupEntries` cap before their TTL. */
  dedupEvictions: number;
  /** Records the decoder dropped on purpose (`filtered`: a filter of the stream DSL), never dead-lettered. */
  filtered: number;
}

/**
 * The verdict for one record. `accepted` carries the windows (not late) the event counts in. Valid until the next
 * `admit` of the same gate (the objects are reused: no allocation per record).
 */
export type Admission<E> =
  | { readonly kind: 'skipped' | 'filtered' | 'invalid' | 'late' | 'duplicate' | 'limited' }
  | {
      readonly kind: 'accepted';
      readonly event: E;
      readonly timestamp: number;
      readonly windows: TimeWindow[];
    };

export interface PartitionGateOptions<E> {
  taskName: string;
  storePrefix: string;
  decode: Decoder<E>;
  timestampOf: (event: E) => number;
  /** Omit to disable dedup. */
  eventIdOf?: ((event: E) => string) | undefined;
  /** Cap of remembered ids (DedupStore `maxEntries`). @defaultValue DEDUP_DEFAULTS.maxEntries */
  maxDedupEntries?: number | undefined;
  /**
   * The task's state caps, checked for an event that passed lateness and dedup (its id is remembered either way):
   * a hit dead-letters it with the hit's code and reason instead of accepting it.
   */
  limit?: StateLimitCheck<E> | undefined;
  windowsOf: (timestampMs: number) => TimeWindow[];
  eventTime: ResolvedEventTime;
  lateOutput: string;
  deadLetterOutput: string;
  emit: (record: OutputRecord) => void;
}

type Rejection = { readonly kind: 'skipped' | 'filtered' | 'invalid' | 'late' | 'duplicate' | 'limited' };
const SKIPPED: Rejection = Object.freeze({ kind: 'skipped' });
const FILTERED_OUT: Rejection = Object.freeze({ kind: 'filtered' });
const INVALID: Rejection = Object.freeze({ kind: 'invalid' });
const LATE: Rejection = Object.freeze({ kind: 'late' });
const DUPLICATE: Rejection = Object.freeze({ kind: 'duplicate' });
const LIMITED: Rejection = Object.freeze({ kind: 'limited' });

interface Progress {
  /** max valid event timestamp so far; null = −∞ */
  maxTs: number | null;
  /** last applied offset (a decimal string in changelogs written before offsets were numbers) */
  offset: number | string | null;
  /** emission watermark (≥ data watermark; advanced by the wall clock when idle); null = −∞ */
  emitWm: number | null;
}

/**
 * Executes the shared event-time contract for ONE input partition, in offset order:
 * decode+validate → dead-letter; `wm = maxTs - B`; late when `windowEnd + L <= wm` for all of the event's
 * windows → late output; duplicate id (not expired) → dropped; else its id is remembered, and it is accepted
 * unless the task's `limit` refuses it (a state cap: dead-lettered with the cap's code); then
 * `maxTs = max(maxTs, ts)`.
 *
 * Also checkpoints the partition's progress (max timestamp, last applied offset, emission watermark): a record at
 * or below the checkpointed offset is already reflected in the state and is skipped, so an at-least-once replay
 * never double-counts.
 */
export class PartitionGate<E> {
  readonly counters: GateCounters = {
    accepted: 0,
    late: 0,
    duplicates: 0,
    deadLettered: 0,
    skippedReplays: 0,
    limited: 0,
    dedupEvictions: 0,
    filtered: 0,
  };
  readonly watermark: PartitionWatermark;
  readonly #o: PartitionGateOptions<E>;
  readonly #dedup: DedupStore | undefined;
  readonly #progress: KeyedStore<Progress>;
  #lastOffset: number | undefined;
  #emitWm = Number.NEGATIVE_INFINITY;
  #nowMs: number | undefined;
  /** Progress changed since the last drain (written to its store lazily, once per drain). */
  #progressDirty = false;
  /** The `accepted` admission, refilled by every `admit` that accepts. */
  readonly #accepted: { kind: 'accepted'; event: E; timestamp: number; windows: TimeWindow[] } = {
    kind: 'accepted',
    event: undefined as E,
    timestamp: 0,
    windows: [],
  };

  constructor(options: PartitionGateOptions<E>) {
    this.#o = options;
    const et = options.eventTime;
    this.watermark = new PartitionWatermark({
      outOfOrdernessMs: et.outOfOrdernessMs,
      idleTimeoutMs: et.idleTimeoutMs,
    });
    this.#dedup =
      options.eventIdOf === undefined
        ? undefined
        : new DedupStore({
            name: `${options.storePrefix}-dedup`,
            ttlMs: et.dedupTtlMs,
            ...(options.maxDedupEntries === undefined ? {} : { maxEntries: options.maxDedupEntries }),
          });
    this.#progress = new KeyedStore<Progress>({
      name: `${options.storePrefix}-progress`,
      codec: jsonCodec<Progress>(),
    });
  }

  get storeNames(): string[] {
    return this.#dedup === undefined ? [this.#progress.name] : [this.#progress.name, this.#dedup.name];
  }

  /** Data watermark `maxTs - B`: what late/dedup decisions use. */
  get dataWatermark(): number {
    return this.watermark.current;
  }

  /** Emission watermark: max(data watermark, wall-clock advance while idle). Monotone. */
  get emitWatermark(): number {
    return Math.max(this.#emitWm, this.watermark.current);
  }

  /** Offset of the last record admitted (restored from the progress checkpoint), undefined before any. */
  get lastOffset(): number | undefined {
    return this.#lastOffset;
  }

  get dedupSize(): StoreSize | undefined {
    return this.#dedup?.size;
  }

  /** The dedup store's name and size (undefined without dedup). */
  get dedupStore(): { readonly name: string; readonly size: StoreSize } | undefined {
    const dedup = this.#dedup;
    return dedup === undefined ? undefined : { name: dedup.name, size: dedup.size };
  }

  admit(record: InputRecord): Admission<E> {
    const offset = record.offset;
    if (this.#lastOffset !== undefined && offset <= this.#lastOffset) {
      this.counters.skippedReplays++;
      return SKIPPED;
    }
    this.#lastOffset = offset;
    const o = this.#o;
    const et = o.eventTime;
    const decoded = o.decode(record);
    // Only valid events count as activity: a partition fed nothing but invalid records goes idle, so it does not
    // hold back the watermark of every key downstream (nor the merge's state retention) forever.
    if (decoded.ok && this.#nowMs !== undefined) this.watermark.touch(this.#nowMs);
    if (!decoded.ok) {
      this.#progressDirty = true;
      if (decoded.filtered === true) {
        this.counters.filtered++;
        return FILTERED_OUT;
      }
      this.#deadLetter(record, decoded.code, decoded.reason);
      return INVALID;
    }
    const event = decoded.event;
    const ts = decoded.timestamp ?? o.timestampOf(event);
    const wm = this.watermark.current;
    const all = o.windowsOf(ts);
    const windows = openWindows(all, wm, et.allowedLatenessMs);
    let admission: Admission<E>;
    if (windows.length === 0) {
      this.counters.late++;
      const windowEnd = all[all.length - 1]?.end ?? ts;
      o.emit(lateRecord(o.lateOutput, record, wm, windowEnd, et.allowedLatenessMs));
      publish(ENGINE_CHANNELS.lateEvent, () => ({
        task: o.taskName,
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        watermark: wm,
        windowEnd,
      }));
      admission = LATE;
    } else if (this.#dedup !== undefined && o.eventIdOf !== undefined) {
      const dedup = this.#dedup;
      const id = decoded.eventId ?? o.eventIdOf(event);
      const evictedBefore = dedup.evictedIds;
      // An event without an id cannot be recognised as a duplicate: always accepted (the shared contract).
      const verdict = id === '' ? 'new' : dedup.checkAndAccept(id, record.offset, wm, ts);
      if (dedup.evictedIds !== evictedBefore) this.#evicted(record, dedup.evictedIds - evictedBefore);
      if (verdict === 'duplicate') {
        this.counters.duplicates++;
        publish(ENGINE_CHANNELS.duplicate, () => ({
          task: o.taskName,
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          eventId: id,
        }));
        admission = DUPLICATE;
      } else {
        // 'replay' (same id, same offset) is the same record, not a duplicate: records at or below the
        // checkpointed offset were skipped above, so the state does not contain it yet and it counts
        // (checkAndAccept recorded it).
        admission = this.#acceptOrLimit(record, event, ts, windows);
      }
    } else {
      admission = this.#acceptOrLimit(record, event, ts, windows);
    }
    this.watermark.observe(ts);
    this.#dedup?.expire(this.watermark.current);
    this.#progressDirty = true;
    return admission;
  }

  /**
   * Advances processing time. When idle (no records for idleTimeout) and wall-clock advance is on, the emission
   * watermark follows the wall clock (`idleAdvanceMode`: `now - B - idleTimeout`, or
   * `wm + (now - lastRecord) - idleTimeout`), never backwards. Returns the emission watermark.
   */
  tick(nowMs: number): number {
    this.#nowMs = nowMs;
    const et = this.#o.eventTime;
    const idle = this.watermark.isIdle(nowMs); // always evaluated: the first tick starts the idle timer
    if (et.wallClockAdvance && idle) {
      const wall = this.watermark.idleAdvance(nowMs, et.idleAdvanceMode);
      if (wall > this.#emitWm && wall > this.watermark.current) {
        this.#emitWm = wall;
        this.#progressDirty = true;
      }
    }
    return this.emitWatermark;
  }

  /** True when the partition has been idle for idleTimeout at the last tick. */
  isIdle(): boolean {
    return this.#nowMs !== undefined && this.watermark.isIdle(this.#nowMs);
  }

  drainChangelog(): ChangelogEntry[] {
    if (this.#progressDirty) this.#saveProgress();
    const out = this.#progress.drainChangelog();
    if (this.#dedup !== undefined) out.push(...this.#dedup.drainChangelog());
    return out;
  }

  restoreEntry(entry: ChangelogEntry): void {
    if (entry.store === this.#progress.name) {
      this.#progress.restoreEntry(entry);
      const p = this.#progress.get('partition');
      if (p !== undefined) {
        this.watermark.restore(p.maxTs ?? Number.NEGATIVE_INFINITY);
        this.#lastOffset = p.offset === null ? undefined : Number(p.offset);
        this.#emitWm = p.emitWm ?? Number.NEGATIVE_INFINITY;
      }
    } else if (this.#dedup !== undefined && entry.store === this.#dedup.name) {
      this.#dedup.restoreEntry(entry);
    }
  }

  /** Accepts the event, or dead-letters it when the task's `limit` refuses it (a state cap). */
  #acceptOrLimit(record: InputRecord, event: E, timestamp: number, windows: TimeWindow[]): Admission<E> {
    const o = this.#o;
    const hit = o.limit?.(event, windows, record);
    if (hit === undefined) {
      this.counters.accepted++;
      return this.#accept(event, timestamp, windows);
    }
    this.counters.limited++;
    this.#deadLetter(record, hit.code, hit.reason);
    return LIMITED;
  }

  /** Accepting the event at `record` made the dedup store forget its oldest `ids` (the maxDedupEntries cap). */
  #evicted(record: InputRecord, ids: number): void {
    this.counters.dedupEvictions += ids;
    const o = this.#o;
    publish(ENGINE_CHANNELS.dedupEvicted, () => ({
      task: o.taskName,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      ids,
    }));
  }

  /** Sends `record` to the dead-letter output with its code and reason, counted and published. */
  #deadLetter(record: InputRecord, code: string, reason: string): void {
    const o = this.#o;
    this.counters.deadLettered++;
    o.emit(deadLetterRecord(o.deadLetterOutput, record, code, reason));
    publishDeadLetter(o.taskName, record, code, reason);
  }

  #accept(event: E, timestamp: number, windows: TimeWindow[]): Admission<E> {
    const a = this.#accepted;
    a.event = event;
    a.timestamp = timestamp;
    a.windows = windows;
    return a;
  }

  #saveProgress(): void {
    this.#progressDirty = false;
    const maxTs = this.watermark.maxTimestamp;
    this.#progress.set('partition', {
      maxTs: Number.isFinite(maxTs) ? maxTs : null,
      offset: this.#lastOffset ?? null,
      emitWm: Number.isFinite(this.#emitWm) ? this.#emitWm : null,
    });
  }
}

/** The windows still open at `watermark` (not `isWindowClosed`): `all` itself when none closed (the usual case). */
function openWindows(all: TimeWindow[], watermark: number, allowedLatenessMs: number): TimeWindow[] {
  for (let i = 0; i < all.length; i++) {
    if (isWindowClosed(all[i]!.end, watermark, allowedLatenessMs))
      return all.filter((x) => !isWindowClosed(x.end, watermark, allowedLatenessMs));
  }
  return all;
}
