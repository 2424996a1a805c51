import type {
  ClickstreamEvent,
  ClickstreamValidator,
  SchemaError,
  ValidationResult,
} from '@tributary/schema';
import {
  RECORD_FUTURE_SKEW_MS,
  createClickstreamValidator,
  decodeClickstreamEvent,
  isLate,
  isWindowClosed,
  windowStartOf,
} from '@tributary/schema';
import type { ClickstreamStringField } from '@tributary/schema';
import { invalidOption } from '../errors.js';
import { eventTimeRulesOf } from './event-time-rules.js';
import type { EventTimeRules } from './event-time-rules.js';

/** Defaults of the ground truth's options beyond the event-time rules (the processor's defaults). */
export const GROUND_TRUTH_DEFAULTS = {
  /** The processor's `maxKeysPerWindow` (ENGINE_DEFAULTS): distinct pages per window per partition. */
  maxKeysPerWindow: 100_000,
} as const;

/**
 * One record of the log, in offset order within its partition: raw bytes as read, or an already decoded event;
 * `timestamp` is the Kafka record's own timestamp (ms), when known: an event more than `maxFutureSkewMs` ahead of it
 * is invalid, as in the processor. Without it that check is not made.
 */
export type GroundTruthEntry =
  | { partition: number; value: Uint8Array; timestamp?: number }
  | { partition: number; event: ClickstreamEvent; timestamp?: number };

export interface InjectedCounts {
  outOfOrder: number;
  late: number;
  duplicates: number;
  malformed: number;
}

export interface GroundTruthTotals {
  sent: number;
  accepted: number;
  late: number;
  duplicates: number;
  deadLettered: number;
}

export interface WindowCount {
  pageUrl: string;
  windowStart: number;
  windowEnd: number;
  clickCount: number;
  viewCount: number;
}

export interface GroundTruthManifest extends EventTimeRules {
  formatVersion: 1;
  topic: string;
  partitions: number;
  seed: number;
  /** The `maxKeysPerWindow` the verdicts were computed with. */
  maxKeysPerWindow: number;
  injected: InjectedCounts;
  totals: GroundTruthTotals;
  windows: WindowCount[];
}

export interface GroundTruthOptions extends Partial<EventTimeRules> {
  topic?: string;
  partitions: number;
  seed?: number;
  /** What the generator injected, copied into the manifest (zeros when unknown). */
  injected?: InjectedCounts;
  /**
   * "Now" (epoch ms) for the schema's future-skew check. Default: none — the verdicts depend on the data alone,
   * never on the wall clock (events are only rejected for what they contain).
   */
  validationNowMs?: number;
  /**
   * An event more than this ahead of its record's timestamp (entries with `timestamp`) is invalid.
   * @defaultValue RECORD_FUTURE_SKEW_MS (300000), the processor's default
   */
  maxFutureSkewMs?: number;
  /** Byte limits of string fields (the schema validator's `maxFieldBytes`). @defaultValue FIELD_BYTE_LIMITS */
  maxFieldBytes?: Partial<Record<ClickstreamStringField, number>>;
  /**
   * The processor's cap of distinct pages per window per partition: an event that would be accepted but whose
   * page is new to its window while that window already holds this many pages from the event's partition is
   * `dead-letter` (the processor's TRIB_PROC_WINDOW_KEY_LIMIT); its event_id is remembered all the same.
   * @defaultValue 100000 (GROUND_TRUTH_DEFAULTS.maxKeysPerWindow)
   */
  maxKeysPerWindow?: number;
}

/** Outcome of one entry under the contract's rules. */
export const Verdicts = {
  ACCEPTED: 'accepted',
  LATE: 'late',
  DUPLICATE: 'duplicate',
  DEAD_LETTER: 'dead-letter',
} as const;
export type Verdict = (typeof Verdicts)[keyof typeof Verdicts];

interface PartitionState {
  maxTs: number;
  /** event_id → timestamp of its first accepted occurrence. */
  seen: Map<string, number>;
  /** Accepted ids in acceptance order, for expiry: [id, ts] pairs, consumed from `head`. */
  order: (string | number)[];
  head: number;
  /** windowStart → pages counted in that window from this partition (maxKeysPerWindow); closed windows dropped. */
  keys: Map<number, Set<string>>;
  /** Smallest windowStart in `keys` (+∞ when empty): nothing to drop before its window closes. */
  oldestKeys: number;
  /** The pages of the last window counted into, and its start. */
  lastKeys: Set<string> | undefined;
  lastKeysStart: number;
}

/**
 * Applies the event-time contract one record at a time, per partition in offset order, from the data alone:
 * decode+validate → late (windowEnd + L <= maxTs - B) → duplicate (event_id seen and not expired) → the id is
 * remembered → dead-letter when its page is new to its window and that window already holds `maxKeysPerWindow`
 * pages of this partition → accepted; then maxTs = max(maxTs, ts) for every valid event. Exact: no sampling, no
 * wall clock. The processor's `maxDedupEntries` cap is not modelled: with more ids within the dedup TTL than that
 * cap, a duplicate of a forgotten (oldest) id is accepted by the processor but not here.
 */
export class GroundTruthAccumulator {
  readonly rules: EventTimeRules;
  readonly #options: GroundTruthOptions;
  readonly #validate: ClickstreamValidator;
  readonly #partitions: PartitionState[];
  /** windowStart → pageUrl → count. Two levels keyed by number and by (interned) page, no key string per event. */
  readonly #windows = new Map<number, Map<string, WindowCount>>();
  /** The inner map of the last window counted into (events mostly arrive in the current window). */
  #lastWindow: Map<string, WindowCount> | undefined;
  #lastWindowStart = Number.NaN;
  readonly #totals: GroundTruthTotals = { sent: 0, accepted: 0, late: 0, duplicates: 0, deadLettered: 0 };
  readonly #maxKeysPerWindow: number;

  constructor(options: GroundTruthOptions) {
    if (!Number.isInteger(options.partitions) || options.partitions < 1) {
      throw new RangeError(`partitions must be an integer >= 1 (got ${String(options.partitions)})`);
    }
    this.#options = options;
    this.rules = eventTimeRulesOf(options);
    this.#maxKeysPerWindow = options.maxKeysPerWindow ?? GROUND_TRUTH_DEFAULTS.maxKeysPerWindow;
    if (!Number.isSafeInteger(this.#maxKeysPerWindow) || this.#maxKeysPerWindow < 1)
      throw invalidOption('maxKeysPerWindow', 'must be an integer >= 1', this.#maxKeysPerWindow);
    const nowMs = options.validationNowMs ?? Number.MAX_SAFE_INTEGER;
    this.#validate = createClickstreamValidator({
      clock: () => nowMs,
      maxFutureSkewMs: options.maxFutureSkewMs ?? RECORD_FUTURE_SKEW_MS,
      ...(options.maxFieldBytes === undefined ? {} : { maxFieldBytes: options.maxFieldBytes }),
    });
    this.#partitions = Array.from({ length: options.partitions }, () => ({
      maxTs: Number.NEGATIVE_INFINITY,
      seen: new Map<string, number>(),
      order: [],
      head: 0,
      keys: new Map<number, Set<string>>(),
      oldestKeys: Number.POSITIVE_INFINITY,
      lastKeys: undefined,
      lastKeysStart: Number.NaN,
    }));
  }

  /** Feeds the next record of `entry.partition` and returns what the contract says happens to it. */
  add(entry: GroundTruthEntry): Verdict {
    return 'value' in entry
      ? this.addBytes(entry.partition, entry.value, entry.timestamp)
      : this.addEvent(entry.partition, entry.event, entry.timestamp);
  }

  /** add() of a record's raw value bytes (decoded here); `recordTimestamp` as in GroundTruthEntry. */
  addBytes(partition: number, value: Uint8Array, recordTimestamp?: number): Verdict {
    return this.#apply(this.#stateOf(partition), this.#decodeAndValidate(value, recordTimestamp));
  }

  /** add() of an already decoded event (what a valid record's bytes decode to). */
  addEvent(partition: number, event: ClickstreamEvent, recordTimestamp?: number): Verdict {
    return this.#apply(this.#stateOf(partition), this.#validate(event, recordTimestamp));
  }

  #stateOf(partition: number): PartitionState {
    const state = this.#partitions[partition];
    if (state === undefined) {
      throw new RangeError(`partition ${partition} is outside 0..${this.#partitions.length - 1}`);
    }
    return state;
  }

  #apply(state: PartitionState, result: ValidationResult): Verdict {
    this.#totals.sent++;
    if (!result.ok) {
      this.#totals.deadLettered++;
      return Verdicts.DEAD_LETTER;
    }
    const event = result.event;
    const ts = event.timestamp;
    const wm = state.maxTs - this.rules.outOfOrdernessMs;
    let verdict: Verdict;
    if (isLate(ts, wm, this.rules)) {
      this.#totals.late++;
      verdict = Verdicts.LATE;
    } else {
      // Events without an event_id cannot be recognised as duplicates: they are always accepted.
      const first = event.eventId === '' ? undefined : state.seen.get(event.eventId);
      if (first !== undefined && wm < first + this.rules.dedupTtlMs) {
        this.#totals.duplicates++;
        verdict = Verdicts.DUPLICATE;
      } else {
        if (event.eventId !== '') {
          state.seen.set(event.eventId, ts);
          state.order.push(event.eventId, ts);
        }
        const windowStart = windowStartOf(ts, this.rules.windowSizeMs, this.rules.windowOffsetMs);
        if (this.#takeKey(state, windowStart, event.pageUrl)) {
          this.#count(event, windowStart);
          this.#totals.accepted++;
          verdict = Verdicts.ACCEPTED;
        } else {
          this.#totals.deadLettered++;
          verdict = Verdicts.DEAD_LETTER;
        }
      }
    }
    if (ts > state.maxTs) {
      state.maxTs = ts;
      this.#expire(state);
      this.#closeWindows(state);
    }
    return verdict;
  }

  /**
   * The maxKeysPerWindow check: true when `page` is already counted in the window of this partition, or is added
   * to it below the cap; false (dead-letter) when the window already holds the cap.
   */
  #takeKey(state: PartitionState, windowStart: number, page: string): boolean {
    let keys = state.lastKeys;
    if (windowStart !== state.lastKeysStart || keys === undefined) {
      keys = state.keys.get(windowStart);
      if (keys === undefined) {
        state.keys.set(windowStart, (keys = new Set()));
        if (windowStart < state.oldestKeys) state.oldestKeys = windowStart;
      }
      state.lastKeys = keys;
      state.lastKeysStart = windowStart;
    }
    if (keys.has(page)) return true;
    if (keys.size >= this.#maxKeysPerWindow) return false;
    keys.add(page);
    return true;
  }

  /** Forgets the pages of windows every later event of the partition is late for (windowEnd + L <= wm). */
  #closeWindows(state: PartitionState): void {
    const { windowSizeMs, allowedLatenessMs } = this.rules;
    const wm = state.maxTs - this.rules.outOfOrdernessMs;
    if (!isWindowClosed(state.oldestKeys + windowSizeMs, wm, allowedLatenessMs)) return;
    let oldest = Number.POSITIVE_INFINITY;
    for (const start of state.keys.keys()) {
      if (isWindowClosed(start + windowSizeMs, wm, allowedLatenessMs)) state.keys.delete(start);
      else if (start < oldest) oldest = start;
    }
    state.oldestKeys = oldest;
    state.lastKeys = undefined;
    state.lastKeysStart = Number.NaN;
  }

  get totals(): Readonly<GroundTruthTotals> {
    return this.#totals;
  }

  /** The manifest: windows sorted by windowStart then pageUrl, only windows with at least one accepted event. */
  toManifest(): GroundTruthManifest {
    const windows = [...this.#windows.values()]
      .flatMap((byPage) => [...byPage.values()])
      .map((w) => ({ ...w }))
      .sort(
        (a, b) =>
          a.windowStart - b.windowStart || (a.pageUrl < b.pageUrl ? -1 : a.pageUrl > b.pageUrl ? 1 : 0),
      );
    return {
      formatVersion: 1,
      topic: this.#options.topic ?? '',
      partitions: this.#partitions.length,
      seed: this.#options.seed ?? 0,
      ...this.rules,
      maxKeysPerWindow: this.#maxKeysPerWindow,
      injected: { ...(this.#options.injected ?? { outOfOrder: 0, late: 0, duplicates: 0, malformed: 0 }) },
      totals: { ...this.#totals },
      windows,
    };
  }

  #decodeAndValidate(value: Uint8Array, recordTimestamp: number | undefined): ValidationResult {
    let event: ClickstreamEvent;
    try {
      event = decodeClickstreamEvent(value);
    } catch (err) {
      return { ok: false, error: err as SchemaError };
    }
    return this.#validate(event, recordTimestamp);
  }

  #count(event: ClickstreamEvent, windowStart: number): void {
    let byPage = this.#lastWindow;
    if (windowStart !== this.#lastWindowStart || byPage === undefined) {
      byPage = this.#windows.get(windowStart);
      if (byPage === undefined) this.#windows.set(windowStart, (byPage = new Map()));
      this.#lastWindow = byPage;
      this.#lastWindowStart = windowStart;
    }
    let w = byPage.get(event.pageUrl);
    if (w === undefined) {
      w = {
        pageUrl: event.pageUrl,
        windowStart,
        windowEnd: windowStart + this.rules.windowSizeMs,
        clickCount: 0,
        viewCount: 0,
      };
      byPage.set(event.pageUrl, w);
    }
    if (event.eventType === 'CLICK') w.clickCount++;
    else w.viewCount++;
  }

  /**
   * Forgets ids that can never be duplicates again (the watermark only grows), oldest accepted first, bounding memory.
   * Lookups check expiry exactly, so an id that is expired but not yet forgotten never changes a verdict.
   */
  #expire(state: PartitionState): void {
    const limit = state.maxTs - this.rules.outOfOrdernessMs - this.rules.dedupTtlMs;
    const order = state.order;
    while (state.head < order.length && (order[state.head + 1] as number) <= limit) {
      const id = order[state.head] as string;
      if (state.seen.get(id) === order[state.head + 1]) state.seen.delete(id);
      state.head += 2;
    }
    if (state.head > 65_536 && state.head * 2 > order.length) {
      state.order = order.slice(state.head);
      state.head = 0;
    }
  }
}

/**
 * The exact ground truth for a (partition-assigned) event log. Pure: the processor's tests can compute the expected
 * results for any hand-written event list without Kafka. Entries of one partition must be in offset order.
 */
export function computeGroundTruth(
  entries: Iterable<GroundTruthEntry>,
  options: GroundTruthOptions,
): GroundTruthManifest {
  const acc = new GroundTruthAccumulator(options);
  for (const entry of entries) acc.add(entry);
  return acc.toManifest();
}
