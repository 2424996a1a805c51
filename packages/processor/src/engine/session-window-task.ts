import type { Aggregator } from '../aggregate/aggregator.js';
import { invalidOption } from '../errors.js';
import type { StoreSize } from '../state/keyed-store.js';
import type { ChangelogEntry, InputRecord, OutputRecord, PartitionTask } from '../task/partition-task.js';
import { mergeSessionWindow, SessionWindows } from '../windows/session.js';
import type { TimeWindow } from '../windows/window.js';
import type { Decoder } from './decoder.js';
import { ENGINE_CHANNELS, publish } from './diagnostics.js';
import { checkFunction } from './option-checks.js';
import {
  checkStorePrefix,
  resolveEventTime,
  resolveOutputs,
  type EventTimeOptions,
  type OutputNames,
} from './options.js';
import { PartitionGate, type GateCounters } from './partition-gate.js';
import { jsonResultEncoder, type ResultEncoder, type WindowedResult } from './window-result.js';
import { WindowSlots } from './window-slots.js';

export interface SessionWindowTaskOptions<E, A, R> extends EventTimeOptions {
  decode: Decoder<E>;
  timestampOf: (event: E) => number;
  /** The session key (e.g. user id). Must be the input partitioning key: sessions are per partition. */
  keyOf: (event: E) => string;
  /** Event id for dedup; omit to disable dedup. */
  eventIdOf?: (event: E) => string;
  /** Inactivity gap (e.g. 30 minutes). */
  gapMs: number;
  aggregator: Aggregator<E, A, R>;
  /** @defaultValue JSON of the WindowedResult (windowStart/windowEnd = session bounds), key = session key */
  encodeResult?: ResultEncoder<R>;
  /** @defaultValue 'sessions' */
  storePrefix?: string;
  outputs?: OutputNames;
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
  readonly #gate: PartitionGate<E>;
  readonly #slots: WindowSlots<A, R>;
  readonly #sessions = new Map<string, TimeWindow[]>();
  readonly #assigner: SessionWindows;
  readonly #aggregator: Aggregator<E, A, R>;
  readonly #keyOf: (event: E) => string;
  readonly #encode: ResultEncoder<R>;
  readonly #resultsOutput: string;
  readonly #prefix: string;
  #outputs: OutputRecord[] = [];

  constructor(options: SessionWindowTaskOptions<E, A, R>) {
    checkFunction('decode', options.decode);
    checkFunction('timestampOf', options.timestampOf);
    checkFunction('keyOf', options.keyOf);
    if (options.eventIdOf !== undefined) checkFunction('eventIdOf', options.eventIdOf);
    if (options.aggregator === undefined) throw invalidOption('aggregator', 'is required');
    this.#assigner = new SessionWindows({ gapMs: options.gapMs });
    const eventTime = resolveEventTime(options);
    const outputs = resolveOutputs(options.outputs);
    this.#prefix = checkStorePrefix(options.storePrefix ?? 'sessions');
    this.#aggregator = options.aggregator;
    this.#keyOf = options.keyOf;
    this.#encode = options.encodeResult ?? jsonResultEncoder<R>();
    this.#resultsOutput = outputs.results;
    const assigner = this.#assigner;
    this.#gate = new PartitionGate<E>({
      taskName: this.#prefix,
      storePrefix: this.#prefix,
      decode: options.decode,
      timestampOf: options.timestampOf,
      eventIdOf: options.eventIdOf,
      windowsOf: (ts) => assigner.assign(ts),
      eventTime,
      lateOutput: outputs.late,
      deadLetterOutput: outputs.deadLetter,
      emit: (r) => this.#outputs.push(r),
    });
    const agg = options.aggregator;
    this.#slots = new WindowSlots<A, R>({
      storeName: `${this.#prefix}-windows`,
      allowedLatenessMs: eventTime.allowedLatenessMs,
      contentCodec: { encode: (a) => agg.serialize(a), decode: (b) => agg.deserialize(b) },
      resultOf: (a) => agg.result(a),
      emit: (r) => this.#emitResult(r),
    });
    this.stores = [...this.#gate.storeNames, this.#slots.storeName];
  }

  get gapMs(): number {
    return this.#assigner.gapMs;
  }

  process(record: InputRecord): void {
    const admission = this.#gate.admit(record);
    if (admission.kind === 'accepted') {
      const key = this.#keyOf(admission.event);
      const proto = admission.windows[0]!;
      const existing = this.#sessions.get(key) ?? [];
      const { absorbed, window } = mergeSessionWindow(existing, proto);
      const agg = this.#aggregator;
      let content = agg.create();
      let version = 0;
      for (const s of absorbed) {
        const taken = this.#slots.take(key, s);
        if (taken === undefined) continue;
        content = agg.merge(content, taken.content);
        version = Math.max(version, taken.version);
      }
      const remaining = existing.filter((s) => !absorbed.includes(s));
      remaining.push(window);
      remaining.sort((a, b) => a.start - b.start);
      this.#sessions.set(key, remaining);
      this.#slots.upsert(key, window, () => agg.add(content, admission.event), version);
    }
    if (admission.kind !== 'skipped') this.#advance();
  }

  tick(nowMs: number): void {
    this.#gate.tick(nowMs);
    this.#advance();
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
    return [...this.#gate.drainChangelog(), ...this.#slots.drainChangelog()];
  }

  restore(entries: Iterable<ChangelogEntry>): void {
    for (const entry of entries) {
      this.#gate.restoreEntry(entry);
      this.#slots.restoreEntry(entry);
    }
    this.#gate.drainChangelog();
    this.#slots.drainChangelog();
    this.#sessions.clear();
    for (const { key, window } of this.#slots.windows()) {
      const list = this.#sessions.get(key) ?? [];
      list.push(window);
      list.sort((a, b) => a.start - b.start);
      this.#sessions.set(key, list);
    }
    this.#advance();
  }

  get counters(): Readonly<GateCounters> {
    return this.#gate.counters;
  }

  /** Data watermark (maxTs - B) and emission watermark (also read by the runtime's watermark gauge). */
  get watermarks(): { data: number; emit: number } {
    return { data: this.#gate.dataWatermark, emit: this.#gate.emitWatermark };
  }

  /** Open sessions of `key` (for inspection and tests). */
  sessionsOf(key: string): readonly TimeWindow[] {
    return this.#sessions.get(key) ?? [];
  }

  get stateSize(): Record<string, StoreSize> {
    return { [this.#slots.storeName]: this.#slots.size };
  }

  #advance(): void {
    this.#slots.advance(this.#gate.emitWatermark);
    for (const { key, window } of this.#slots.purge(this.#gate.dataWatermark)) {
      const list = this.#sessions.get(key);
      if (list === undefined) continue;
      const rest = list.filter((w) => w.start !== window.start || w.end !== window.end);
      if (rest.length === 0) this.#sessions.delete(key);
      else this.#sessions.set(key, rest);
    }
  }

  #emitResult(r: WindowedResult<R>): void {
    const encoded = this.#encode(r);
    this.#outputs.push({
      output: this.#resultsOutput,
      key: encoded.key,
      value: encoded.value,
      headers: encoded.headers ?? {},
      destination: { kind: 'by-key' },
      timestamp: r.windowEnd - 1,
    });
    publish(ENGINE_CHANNELS.windowFired, () => ({
      task: this.#prefix,
      key: r.key,
      windowStart: r.windowStart,
      windowEnd: r.windowEnd,
      isFinal: r.isFinal,
      version: r.version,
    }));
  }
}
