import { option, type OptionInput } from '@tributary/options';
import type { Aggregator } from '../aggregate/aggregator.js';
import { KeyedStore, type StoreSize } from '../state/keyed-store.js';
import type { ChangelogEntry, InputRecord, OutputRecord, PartitionTask } from '../task/partition-task.js';
import type { TimeWindow, WindowAssigner } from '../windows/window.js';
import { drainChangelogs, restoreChangelogs } from './changelog-stores.js';
import { ACCEPTED_EVENTS, acceptedEventRecord, type AcceptedEventOutput } from './accepted-events.js';
import { nonNegativeInt, positiveInt, processorOptions } from '../config/option-schemas.js';
import { ENGINE_DEFAULTS, storePrefix, type ResolvedEventTime } from './options.js';
import type { GateCounters, PartitionGate } from './partition-gate.js';
import { encodeRepartitionRecord } from './repartition-format.js';
import { windowKeyLimitHit, type StateLimitHit } from './state-limits.js';
import { decodeWindowState, encodeWindowState } from './window-state-codec.js';
import {
  createEventGate,
  EVENT_FUNCTION_SPECS,
  EVENT_TASK_OPTION_SPECS,
  fixedWindows,
  type EventTaskOptions,
} from './task-options.js';

/** Defaults of the partial task's own options. */
export const PARTIAL_TASK_DEFAULTS = {
  /** @defaultValue 1000 — heartbeat of an unchanged watermark record while the partition is active. */
  watermarkHeartbeatMs: 1_000,
} as const;

/** The partial task's own plain options. */
const PARTIAL_TASK_OPTION_SPECS = {
  /** The input partition this task serves (sent as `upstreamPartition`). */
  inputPartition: option(nonNegativeInt, 'the input partition'),
  /** @defaultValue 'partial' */
  storePrefix: storePrefix('partial'),
  /**
   * While the partition is active, re-send an unchanged watermark record after this much processing time, so a
   * downstream merge keeps hearing from it (capped at half of `idleTimeoutMs`). Watermark records are otherwise
   * sent only when the watermark or the idle flag changed. @defaultValue 1000
   */
  watermarkHeartbeatMs: option(
    positiveInt.default(PARTIAL_TASK_DEFAULTS.watermarkHeartbeatMs),
    'heartbeat of an unchanged watermark',
  ),
  /**
   * Most distinct keys one window holds from this input partition. An accepted event whose key is new to one of its
   * windows while that window already holds this many keys is dead-lettered (`TRIB_PROC_WINDOW_KEY_LIMIT`) instead
   * of counted; keys the window already holds keep counting. @defaultValue 100000 (ENGINE_DEFAULTS.maxKeysPerWindow)
   */
  maxKeysPerWindow: option(positiveInt.default(ENGINE_DEFAULTS.maxKeysPerWindow), 'keys per window'),
};

const PARTIAL_TASK_OPTIONS = processorOptions('PartialAggregationTask', {
  ...EVENT_TASK_OPTION_SPECS,
  ...EVENT_FUNCTION_SPECS,
  ...PARTIAL_TASK_OPTION_SPECS,
  window: fixedWindows(),
  acceptedEvents: ACCEPTED_EVENTS,
});

export interface PartialAggregationTaskOptions<E, A, R>
  extends EventTaskOptions<E>, OptionInput<typeof PARTIAL_TASK_OPTION_SPECS> {
  inputPartition: number;
  /** The aggregation key (the re-keying key, e.g. page_url). */
  keyOf: (event: E) => string;
  /** Tumbling or hopping windows. */
  window: WindowAssigner;
  aggregator: Aggregator<E, A, R>;
  /** Also emit every accepted event (e.g. enriched) on another output, in the same commit. */
  acceptedEvents?: AcceptedEventOutput<E>;
}

interface Partial<A> {
  /** Store key `${start}:${end}:${key}`. */
  readonly id: string;
  readonly key: string;
  readonly start: number;
  readonly end: number;
  acc: A;
  /** Changed since the last drain (listed in `#changed`). */
  changed: boolean;
  /** The task's changelog drain count when this partial was last marked dirty in the store (-1: never). */
  dirtyAt: number;
}

/**
 * Stage 1 of a re-keyed (local-global) aggregation. Per input partition it applies the event-time contract
 * (dead-letter, late, dedup) and pre-aggregates per (aggregation key, window). At every `drainOutputs` (i.e. at
 * each commit) it emits, on the 'repartition' output, the CUMULATIVE partial of every (key, window) that changed
 * since the previous drain (destination by-key, key = aggregation key), then — when it changed, or as a slow
 * heartbeat while active — one watermark record (broadcast). With `acceptedEvents`, every accepted event is also
 * emitted (e.g. enriched) on that output: exactly the events counted, in the same commit.
 * A partial is dropped once its window can no longer change (`windowEnd + L <= watermark`).
 */
export class PartialAggregationTask<E, A, R> implements PartitionTask {
  readonly stores: readonly string[];
  readonly inputPartition: number;
  readonly #gate: PartitionGate<E>;
  readonly #partials: KeyedStore<Partial<A>>;
  /**
   * The same partials by window start, then key: the per-event lookup without building the store key (one
   * assigner per task, so a start names one window), and the count of a window's keys (`maxKeysPerWindow`).
   * Every partial of the store is in it: kept with the store, rebuilt from it on restore.
   */
  readonly #byWindow = new Map<number, Map<string, Partial<A>>>();
  readonly #maxKeysPerWindow: number;
  /** The key of the event being admitted (computed once by the key-limit check). */
  #changed: Partial<A>[] = [];
  /** Changelog drains so far: a partial marked dirty since the last drain is not marked again per event. */
  #drains = 0;
  readonly #aggregator: Aggregator<E, A, R>;
  readonly #keyOf: (event: E) => string;
  readonly #repartitionOutput: string;
  readonly #eventTime: ResolvedEventTime;
  readonly #heartbeatMs: number;
  readonly #accepted: AcceptedEventOutput<E> | undefined;
  #outputs: OutputRecord[] = [];
  #nowMs: number | undefined;
  /** The last watermark record sent (undefined: none yet in this incarnation). */
  #lastSent: { watermark: number; idle: boolean; atMs: number | undefined } | undefined;

  constructor(options: PartialAggregationTaskOptions<E, A, R>) {
    const o = PARTIAL_TASK_OPTIONS.resolve(options);
    this.inputPartition = o.inputPartition;
    this.#aggregator = options.aggregator;
    this.#eventTime = o;
    const prefix = o.storePrefix;
    this.#keyOf = options.keyOf;
    this.#repartitionOutput = o.outputs.repartition;
    const idle = o.idleTimeoutMs;
    const heartbeat = o.watermarkHeartbeatMs;
    this.#heartbeatMs = idle > 0 ? Math.min(heartbeat, Math.max(1, Math.floor(idle / 2))) : heartbeat;
    this.#accepted = options.acceptedEvents;
    this.#maxKeysPerWindow = o.maxKeysPerWindow;
    this.#gate = createEventGate(options, {
      storePrefix: prefix,
      // Stage 1 reports its data watermark and idle flag; the wall-clock advance is the merge stage's business
      // (advancing it here would only rewrite the progress checkpoint at every commit while idle).
      eventTime: { ...o, wallClockAdvance: false },
      outputs: o.outputs,
      maxDedupEntries: o.maxDedupEntries,
      windowsOf: (ts) => o.window.assign(ts),
      emit: (r) => this.#outputs.push(r),
      limit: (event, windows, record) => this.#checkKeys(event, windows, record.partition),
    });
    const agg = options.aggregator;
    const lateness = this.#eventTime.allowedLatenessMs;
    this.#partials = new KeyedStore<Partial<A>>({
      name: `${prefix}-partials`,
      codec: {
        encode: (p) =>
          encodeWindowState({
            key: p.key,
            start: p.start,
            end: p.end,
            bytes: agg.serialize(p.acc),
            version: 0,
            fired: false,
            closed: false,
          }),
        decode: (b) => {
          const w = decodeWindowState(b);
          return {
            id: partialId(w.start, w.end, w.key),
            key: w.key,
            start: w.start,
            end: w.end,
            acc: agg.deserialize(w.bytes),
            changed: false,
            dirtyAt: -1,
          };
        },
      },
      expiresAt: (p) => p.end + lateness,
    });
    this.stores = [...this.#gate.storeNames, this.#partials.name];
  }

  process(record: InputRecord): void {
    const admission = this.#gate.admit(record);
    if (admission.kind !== 'accepted') return;
    if (this.#accepted !== undefined)
      this.#outputs.push(acceptedEventRecord(this.#accepted, admission, record));
    const key = this.#keyOf(admission.event);
    const agg = this.#aggregator;
    const windows = admission.windows;
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i]!;
      let byKey = this.#byWindow.get(w.start);
      if (byKey === undefined) this.#byWindow.set(w.start, (byKey = new Map()));
      let p = byKey.get(key);
      if (p === undefined) {
        const id = partialId(w.start, w.end, key);
        p = {
          id,
          key,
          start: w.start,
          end: w.end,
          acc: agg.add(agg.create(), admission.event),
          changed: false,
          dirtyAt: this.#drains,
        };
        this.#partials.set(id, p);
        byKey.set(key, p);
      } else {
        p.acc = agg.add(p.acc, admission.event);
        if (p.dirtyAt !== this.#drains) {
          this.#partials.markDirty(p.id);
          p.dirtyAt = this.#drains;
        }
      }
      if (!p.changed) {
        p.changed = true;
        this.#changed.push(p);
      }
    }
  }

  tick(nowMs: number): void {
    this.#nowMs = nowMs;
    this.#gate.tick(nowMs);
  }

  /**
   * The data watermark passed the end of a window this partition holds partials of since the last watermark record:
   * the merge can fire that window once this drain is committed.
   */
  commitRequested(): boolean {
    const sent = this.#lastSent?.watermark;
    if (sent === undefined) return false;
    const watermark = this.#gate.dataWatermark;
    if (watermark <= sent) return false;
    for (const byKey of this.#byWindow.values()) {
      for (const p of byKey.values()) {
        if (p.end > sent && p.end <= watermark) return true;
        break; // every partial of one window has the same end
      }
    }
    return false;
  }

  drainOutputs(): OutputRecord[] {
    const out = this.#outputs;
    this.#outputs = [];
    const changed = this.#changed;
    this.#changed = [];
    for (const p of changed) {
      p.changed = false;
      if (this.#partials.get(p.id) !== p) continue;
      out.push({
        output: this.#repartitionOutput,
        key: Buffer.from(p.key, 'utf8'),
        value: encodeRepartitionRecord({
          type: 'partial',
          upstreamPartition: this.inputPartition,
          key: p.key,
          windowStart: p.start,
          windowEnd: p.end,
          accumulator: this.#aggregator.serialize(p.acc),
        }),
        headers: {},
        destination: { kind: 'by-key' },
      });
    }
    const watermark = this.#gate.dataWatermark;
    const idle = this.#gate.isIdle();
    if (this.#watermarkDue(watermark, idle)) {
      this.#lastSent = { watermark, idle, atMs: this.#nowMs };
      out.push({
        output: this.#repartitionOutput,
        key: null,
        value: encodeRepartitionRecord({
          type: 'watermark',
          upstreamPartition: this.inputPartition,
          watermark,
          idle,
        }),
        headers: {},
        destination: { kind: 'broadcast' },
      });
    }
    // Every partial that can no longer change has just been sent (or was sent earlier): drop it.
    for (const [, p] of this.#partials.expire(this.#gate.dataWatermark)) {
      const byKey = this.#byWindow.get(p.start);
      if (byKey?.get(p.key) === p) byKey.delete(p.key);
      if (byKey?.size === 0) this.#byWindow.delete(p.start);
    }
    return out;
  }

  /**
   * A watermark record is due at the first drain, when the watermark or the idle flag changed, and — while the
   * partition is active — when the heartbeat interval passed since the last one. An idle partition stays silent:
   * the merge stage already knows it is idle (and counts a silent upstream as idle after its own timeout).
   */
  #watermarkDue(watermark: number, idle: boolean): boolean {
    const last = this.#lastSent;
    if (last === undefined || last.watermark !== watermark || last.idle !== idle) return true;
    if (idle || this.#nowMs === undefined) return false;
    return last.atMs === undefined || this.#nowMs - last.atMs >= this.#heartbeatMs;
  }

  drainChangelog(): ChangelogEntry[] {
    this.#drains++;
    return drainChangelogs([this.#gate, this.#partials]);
  }

  restore(entries: Iterable<ChangelogEntry>): void {
    restoreChangelogs(entries, [this.#gate, this.#partials]);
    // The keys of each window, as the live task held them when it committed: the key limit decides the same.
    this.#byWindow.clear();
    for (const [, p] of this.#partials.entries()) {
      let byKey = this.#byWindow.get(p.start);
      if (byKey === undefined) this.#byWindow.set(p.start, (byKey = new Map()));
      byKey.set(p.key, p);
    }
  }

  /**
   * The `maxKeysPerWindow` check of an event that passed lateness and dedup: refused when its key is new to one of
   * its windows and that window already holds the maximum. Only windows still open are checked, and every partial
   * of an open window is held (a partial is dropped once its window closed), restored ones included — so the
   * verdict depends on the partition's log alone, never on when commits or restores happened.
   */
  #checkKeys(event: E, windows: readonly TimeWindow[], partition: number): StateLimitHit | undefined {
    // Per record: indexed, and the key built only when a window is at the cap (rare) — no garbage otherwise.
    let key: string | undefined;
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i]!;
      const byKey = this.#byWindow.get(w.start);
      if (byKey === undefined || byKey.size < this.#maxKeysPerWindow) continue;
      key ??= this.#keyOf(event);
      if (byKey.has(key)) continue;
      return windowKeyLimitHit(w, partition, byKey.size);
    }
    return undefined;
  }

  lastAppliedOffset(): number | undefined {
    return this.#gate.lastOffset;
  }

  get counters(): Readonly<GateCounters> {
    return this.#gate.counters;
  }

  /** The data watermark `maxTs - B` of this partition. */
  get watermark(): number {
    return this.#gate.dataWatermark;
  }

  get stateSize(): Record<string, StoreSize> {
    const sizes: Record<string, StoreSize> = { [this.#partials.name]: this.#partials.size };
    const dedup = this.#gate.dedupStore;
    if (dedup !== undefined) sizes[dedup.name] = dedup.size;
    return sizes;
  }
}

function partialId(start: number, end: number, key: string): string {
  return `${start}:${end}:${key}`;
}
