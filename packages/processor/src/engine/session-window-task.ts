import { option, type OptionInput } from '@tributary/options';
import type { Aggregator } from '../aggregate/aggregator.js';
import type { StoreSize } from '../state/keyed-store.js';
import type { ChangelogEntry, InputRecord, OutputRecord, PartitionTask } from '../task/partition-task.js';
import { mergeSessionWindow, SessionWindows, sessionsTouch } from '../windows/session.js';
import type { TimeWindow } from '../windows/window.js';
import { positiveInt, processorOptions } from '../config/option-schemas.js';
import { ENGINE_DEFAULTS, ON_TIME_RESULTS, storePrefix } from './options.js';
import type { GateCounters } from './partition-gate.js';
import {
  SingleStageAggregation,
  SINGLE_STAGE_FUNCTION_SPECS,
  type SingleStageOptions,
} from './single-stage-aggregation.js';
import { sessionLimitHit, type StateLimitHit } from './state-limits.js';
import { EVENT_TASK_OPTION_SPECS } from './task-options.js';
import type { ResultEncoder } from './window-result.js';

/** The session task's own plain options. */
const SESSION_TASK_OPTION_SPECS = {
  /** Inactivity gap (e.g. 30 minutes). */
  gapMs: option(positiveInt, 'inactivity gap'),
  /** @defaultValue 'sessions' */
  storePrefix: storePrefix('sessions'),
  /**
   * Most sessions this input partition holds open (over all keys). An accepted event that would open a new session
   * (it touches none of its key's open sessions) while this many are open is dead-lettered
   * (`TRIB_PROC_SESSION_LIMIT`) instead of counted; events that extend or merge open sessions keep counting.
   * @defaultValue 100000 (ENGINE_DEFAULTS.maxOpenSessions)
   */
  maxOpenSessions: option(positiveInt.default(ENGINE_DEFAULTS.maxOpenSessions), 'open sessions'),
  /** With allowed lateness: emit a session at its end and for late events before it closes. @defaultValue true */
  onTimeResults: ON_TIME_RESULTS,
};

const SESSION_TASK_OPTIONS = processorOptions('SessionWindowTask', {
  ...EVENT_TASK_OPTION_SPECS,
  ...SINGLE_STAGE_FUNCTION_SPECS,
  ...SESSION_TASK_OPTION_SPECS,
});

export interface SessionWindowTaskOptions<E, A, R>
  extends SingleStageOptions<E, A, R>, OptionInput<typeof SESSION_TASK_OPTION_SPECS> {
  /** The session key (e.g. user id). Must be the input partitioning key: sessions are per partition. */
  keyOf: (event: E) => string;
  gapMs: number;
  /** @defaultValue JSON of the WindowedResult (windowStart/windowEnd = session bounds), key = session key */
  encodeResult?: ResultEncoder<R>;
}

/**
 * Single-stage session windows per key (input keyed by that key, so no repartition). A session is
 * `[first event, last event + gap)`; an event whose proto-session `[ts, ts + gap)` touches existing sessions merges
 * them (an event bridging two sessions joins them). An event is late when `ts + gap + L <= watermark`.
 * A session is emitted when the watermark passes its end (final when it passes end + L), with the WindowSlots
 * rules. A merged or extended session is a new (start, end): it inherits the highest version of the sessions it
 * absorbed so versions keep growing per key and start; downstream should key results by (key, windowStart).
 */
export class SessionWindowTask<E, A, R> implements PartitionTask {
  readonly stores: readonly string[];
  readonly #stage: SingleStageAggregation<E, A, R>;
  readonly #sessions = new Map<string, TimeWindow[]>();
  readonly #assigner: SessionWindows;
  readonly #aggregator: Aggregator<E, A, R>;
  readonly #keyOf: (event: E) => string;
  readonly #maxOpenSessions: number;
  /** The key of the event being admitted (computed once by the session-limit check). */

  constructor(options: SessionWindowTaskOptions<E, A, R>) {
    const o = SESSION_TASK_OPTIONS.resolve(options);
    this.#aggregator = options.aggregator;
    this.#assigner = new SessionWindows({ gapMs: o.gapMs });
    this.#keyOf = options.keyOf;
    this.#maxOpenSessions = o.maxOpenSessions;
    const assigner = this.#assigner;
    this.#stage = new SingleStageAggregation<E, A, R>(options, {
      storePrefix: o.storePrefix,
      eventTime: o,
      outputs: o.outputs,
      maxDedupEntries: o.maxDedupEntries,
      onTimeResults: o.onTimeResults,
      windowsOf: (ts) => assigner.assign(ts),
      limit: (event, windows, record) => this.#checkSessions(event, windows, record.partition),
    });
    this.stores = this.#stage.storeNames;
  }

  get gapMs(): number {
    return this.#assigner.gapMs;
  }

  process(record: InputRecord): void {
    const admission = this.#stage.gate.admit(record);
    if (admission.kind === 'accepted') {
      const slots = this.#stage.slots;
      const key = this.#keyOf(admission.event);
      const proto = admission.windows[0]!;
      const existing = this.#sessions.get(key) ?? [];
      const { absorbed, window } = mergeSessionWindow(existing, proto);
      const agg = this.#aggregator;
      let content = agg.create();
      let version = 0;
      for (const s of absorbed) {
        const taken = slots.take(key, s);
        if (taken === undefined) continue;
        content = agg.merge(content, taken.content);
        version = Math.max(version, taken.version);
      }
      const remaining = existing.filter((s) => !absorbed.includes(s));
      remaining.push(window);
      remaining.sort((a, b) => a.start - b.start);
      this.#sessions.set(key, remaining);
      slots.upsert(key, window, () => agg.add(content, admission.event), version);
    }
    if (admission.kind !== 'skipped') this.#advance();
  }

  tick(nowMs: number): void {
    this.#stage.gate.tick(nowMs);
    this.#advance();
  }

  drainOutputs(): OutputRecord[] {
    return this.#stage.drainOutputs();
  }

  commitRequested(): boolean {
    return this.#stage.fired;
  }

  drainChangelog(): ChangelogEntry[] {
    return this.#stage.drainChangelog();
  }

  restore(entries: Iterable<ChangelogEntry>): void {
    this.#stage.restore(entries);
    this.#sessions.clear();
    for (const { key, window } of this.#stage.slots.windows()) {
      const list = this.#sessions.get(key) ?? [];
      list.push(window);
      list.sort((a, b) => a.start - b.start);
      this.#sessions.set(key, list);
    }
    this.#advance();
  }

  lastAppliedOffset(): number | undefined {
    return this.#stage.gate.lastOffset;
  }

  get counters(): Readonly<GateCounters> {
    return this.#stage.gate.counters;
  }

  /** Data watermark (maxTs - B) and emission watermark (also read by the runtime's watermark gauge). */
  get watermarks(): { data: number; emit: number } {
    return this.#stage.watermarks;
  }

  /** Open sessions of `key` (for inspection and tests). */
  sessionsOf(key: string): readonly TimeWindow[] {
    return this.#sessions.get(key) ?? [];
  }

  get stateSize(): Record<string, StoreSize> {
    const sizes: Record<string, StoreSize> = { [this.#stage.slots.storeName]: this.#stage.slots.size };
    const dedup = this.#stage.gate.dedupStore;
    if (dedup !== undefined) sizes[dedup.name] = dedup.size;
    return sizes;
  }

  /**
   * The `maxOpenSessions` check of an event that passed lateness and dedup: refused when it would open a new
   * session (its proto-session touches none of its key's sessions) while the partition holds the maximum. Sessions
   * are purged only once closed and restored from the changelog, so the verdict depends on the log alone.
   */
  #checkSessions(event: E, windows: readonly TimeWindow[], partition: number): StateLimitHit | undefined {
    const key = this.#keyOf(event);
    const open = this.#stage.slots.count;
    if (open < this.#maxOpenSessions) return undefined;
    const proto = windows[0]!;
    if (this.#sessions.get(key)?.some((s) => sessionsTouch(s, proto)) === true) return undefined;
    return sessionLimitHit(partition, open);
  }

  #advance(): void {
    const gate = this.#stage.gate;
    this.#stage.slots.advance(gate.emitWatermark);
    for (const { key, window } of this.#stage.slots.purge(gate.dataWatermark)) {
      const list = this.#sessions.get(key);
      if (list === undefined) continue;
      const rest = list.filter((w) => w.start !== window.start || w.end !== window.end);
      if (rest.length === 0) this.#sessions.delete(key);
      else this.#sessions.set(key, rest);
    }
  }
}
