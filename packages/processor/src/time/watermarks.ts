import { option, z, type OptionInput } from '@tributary/options';
import { EVENT_TIME_DEFAULTS } from '@tributary/schema';
import { nonNegativeInt, positiveInt, processorOptions } from '../config/option-schemas.js';
import { invalidOption } from '../errors.js';

/**
 * How the watermark moves while idle:
 * - `wall-clock`: `now - B - idleTimeout` — event time is assumed to be real time (the default).
 * - `data-anchored`: `wm + (now - lastActivity) - idleTimeout` — event time keeps flowing with the wall clock
 *   from where the data stopped; about the same for real-time data, but a replay of historical event time does not
 *   jump to the present (windows close one by one instead of all at once and forever).
 */
export const IDLE_ADVANCE_MODES = ['wall-clock', 'data-anchored'] as const;
export type IdleAdvanceMode = (typeof IDLE_ADVANCE_MODES)[number];

/** The timing of a watermark: out-of-orderness and idleness (the reference job's values by default). */
const TIMING_SPECS = {
  /** Bounded out-of-orderness B: the watermark trails the max event time by this much. @defaultValue 5000 */
  outOfOrdernessMs: option(
    nonNegativeInt.default(EVENT_TIME_DEFAULTS.outOfOrdernessMs),
    'bounded out-of-orderness B',
  ),
  /**
   * Processing time without data after which an input stops holding the combined watermark back.
   * @defaultValue 30000
   */
  idleTimeoutMs: option(nonNegativeInt.default(EVENT_TIME_DEFAULTS.idleTimeoutMs), 'idle timeout'),
};

/** The options of the watermark strategy: its timing and how it advances while every input is idle. */
export const WATERMARK_OPTION_SPECS = {
  ...TIMING_SPECS,
  /** How the all-idle watermark follows the wall clock (see IDLE_ADVANCE_MODES). @defaultValue 'wall-clock' */
  idleAdvanceMode: option(z.enum(IDLE_ADVANCE_MODES).default('wall-clock'), 'idle advance mode'),
};

const PARTITION_WATERMARK_OPTIONS = processorOptions('PartitionWatermark', TIMING_SPECS);

export type PartitionWatermarkOptions = OptionInput<typeof TIMING_SPECS>;

/**
 * Per-partition bounded out-of-orderness watermark, exactly the shared event-time contract:
 * `watermark = maxTs - outOfOrdernessMs` where `maxTs` is the max timestamp observed so far (−∞ before any).
 * Decisions about an event use the watermark BEFORE observing it. Idleness is tracked in processing time with
 * the caller's clock: the partition is idle once no event was observed for `idleTimeoutMs`.
 */
export class PartitionWatermark {
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  #maxTs = Number.NEGATIVE_INFINITY;
  #lastActivityMs: number | undefined;

  constructor(options: PartitionWatermarkOptions = {}) {
    const o = PARTITION_WATERMARK_OPTIONS.resolve(options);
    this.outOfOrdernessMs = o.outOfOrdernessMs;
    this.idleTimeoutMs = o.idleTimeoutMs;
  }

  /** Max event timestamp observed (−∞ when none). */
  get maxTimestamp(): number {
    return this.#maxTs;
  }

  /** The current watermark `maxTs - B` (−∞ when no event yet). */
  get current(): number {
    return this.#maxTs - this.outOfOrdernessMs;
  }

  /** Observes an event timestamp (after the caller has made its decisions with `current`). */
  observe(timestampMs: number, nowMs?: number): void {
    if (timestampMs > this.#maxTs) this.#maxTs = timestampMs;
    if (nowMs !== undefined) this.#lastActivityMs = nowMs;
  }

  /** Marks activity without an event timestamp (e.g. an invalid record still proves the partition is alive). */
  touch(nowMs: number): void {
    this.#lastActivityMs = nowMs;
  }

  /**
   * True when no event was observed for `idleTimeoutMs` of processing time. Before the first call with a clock
   * value the partition is active; the first `isIdle(now)` starts the idle timer.
   */
  isIdle(nowMs: number): boolean {
    if (this.#lastActivityMs === undefined) {
      this.#lastActivityMs = nowMs;
      return this.idleTimeoutMs === 0;
    }
    return nowMs - this.#lastActivityMs >= this.idleTimeoutMs;
  }

  /** Processing time of the last activity (undefined before the first clock value). */
  get lastActivityMs(): number | undefined {
    return this.#lastActivityMs;
  }

  /**
   * Where the watermark may move while idle (never below `current`; `current` when not idle):
   * `wall-clock` → `now - B - idleTimeout`; `data-anchored` → `current + (now - lastActivity) - idleTimeout`
   * (−∞ before any event).
   */
  idleAdvance(nowMs: number, mode: IdleAdvanceMode): number {
    if (!this.isIdle(nowMs)) return this.current;
    if (mode === 'wall-clock')
      return Math.max(this.current, nowMs - this.outOfOrdernessMs - this.idleTimeoutMs);
    const since = this.#lastActivityMs ?? nowMs;
    return Math.max(this.current, this.current + (nowMs - since) - this.idleTimeoutMs);
  }

  /** Restores the checkpointed max timestamp (idleness is processing time and is not checkpointed). */
  restore(maxTimestampMs: number): void {
    this.#maxTs = maxTimestampMs;
  }
}

const COMBINER_OPTIONS = processorOptions('WatermarkCombiner', {
  ...WATERMARK_OPTION_SPECS,
  /** Number of inputs (e.g. upstream partitions); inputs are numbered 0 … inputs-1. */
  inputs: option(positiveInt, 'number of inputs'),
});

export type WatermarkCombinerOptions = OptionInput<typeof COMBINER_OPTIONS.specs> & { inputs: number };

/**
 * Combines the watermarks of several inputs (the upstream partitions of a merge stage):
 *
 * - combined = min over the inputs that are NOT idle. An input is idle when it says so (`idle` flag from its
 *   producer) or when nothing was heard from it for `idleTimeoutMs` of processing time — so an input that never
 *   sent anything holds the watermark back (at −∞) until it becomes idle.
 * - when ALL inputs are idle the combined watermark follows the wall clock so final windows are emitted even when
 *   all traffic stops (never below M, the max of the inputs' watermarks): `wall-clock` mode (default)
 *   `now − B − idleTimeout`; `data-anchored` mode `M + (now − lastActive) − idleTimeout` where lastActive is the
 *   last processing time any input was heard active (a replay of historical event time does not jump to the
 *   present).
 * - the combined watermark never goes backwards.
 *
 * Idleness only changes WHEN windows are emitted: accepted data for an already-closed window produces an update.
 */
export class WatermarkCombiner {
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  readonly idleAdvanceMode: IdleAdvanceMode;
  #watermarks: number[];
  #reportedIdle: boolean[];
  #lastHeardMs: (number | undefined)[];
  /** Last processing time an input was heard while not reporting idle (anchor of the all-idle advance). */
  #lastActiveMs: number | undefined;
  #combined = Number.NEGATIVE_INFINITY;
  #startedMs: number | undefined;

  constructor(options: WatermarkCombinerOptions) {
    const o = COMBINER_OPTIONS.resolve(options);
    this.outOfOrdernessMs = o.outOfOrdernessMs;
    this.idleTimeoutMs = o.idleTimeoutMs;
    this.idleAdvanceMode = o.idleAdvanceMode;
    this.#watermarks = new Array<number>(options.inputs).fill(Number.NEGATIVE_INFINITY);
    this.#reportedIdle = new Array<boolean>(options.inputs).fill(false);
    this.#lastHeardMs = new Array<number | undefined>(options.inputs).fill(undefined);
  }

  /** Number of inputs, numbered 0 … inputs-1. */
  get inputs(): number {
    return this.#watermarks.length;
  }

  /**
   * Adds inputs up to `inputs` (an upstream topic gained partitions). A new input starts at −∞ and not heard: it is
   * idle by silence, as an input that never reported (it holds nothing back until it reports).
   */
  grow(inputs: number): void {
    if (!Number.isSafeInteger(inputs))
      throw invalidOption('inputs', `must be an integer (got ${String(inputs)})`);
    while (this.#watermarks.length < inputs) {
      this.#watermarks.push(Number.NEGATIVE_INFINITY);
      this.#reportedIdle.push(false);
      this.#lastHeardMs.push(undefined);
    }
  }

  /**
   * Records a watermark report from `input`. Watermarks per input never go backwards (a smaller value is
   * ignored). `idle` is the input's own idleness verdict.
   */
  update(input: number, watermark: number, idle = false, nowMs?: number): void {
    this.#checkInput(input);
    if (watermark > this.#watermarks[input]!) this.#watermarks[input] = watermark;
    this.#reportedIdle[input] = idle;
    if (nowMs !== undefined) {
      this.#lastHeardMs[input] = nowMs;
      if (!idle || this.#lastActiveMs === undefined) this.#lastActiveMs = nowMs; // first contact anchors too
    }
  }

  /** Notes that `input` is alive (a data record arrived from it) without changing its watermark. */
  heard(input: number, nowMs: number): void {
    this.#checkInput(input);
    this.#lastHeardMs[input] = nowMs;
    this.#reportedIdle[input] = false;
    this.#lastActiveMs = nowMs;
  }

  /** Watermark last reported by `input` (−∞ when none). */
  watermarkOf(input: number): number {
    this.#checkInput(input);
    return this.#watermarks[input]!;
  }

  /** Min over ALL inputs' reported watermarks, ignoring idleness (what no input can contradict anymore). */
  get minimumOfAll(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const w of this.#watermarks) if (w < min) min = w;
    return min;
  }

  /** The last combined value (−∞ before the first advance). */
  get current(): number {
    return this.#combined;
  }

  /** True when `input` counts as idle at `nowMs`. */
  isIdle(input: number, nowMs: number): boolean {
    this.#checkInput(input);
    if (this.#reportedIdle[input]) return true;
    this.#startedMs ??= nowMs;
    const last = this.#lastHeardMs[input] ?? this.#startedMs;
    return nowMs - last >= this.idleTimeoutMs;
  }

  /** Recomputes the combined watermark at processing time `nowMs` and returns it (monotone). */
  advance(nowMs: number): number {
    const { min, max, active } = this.#scan(nowMs);
    let candidate = min;
    if (active === 0) {
      // All idle: let event time flow with the wall clock.
      if (this.idleAdvanceMode === 'wall-clock') {
        candidate = Math.max(max, nowMs - this.outOfOrdernessMs - this.idleTimeoutMs);
      } else {
        const since = this.#lastActiveMs ?? this.#startedMs ?? nowMs;
        candidate = Math.max(max, max + (nowMs - since) - this.idleTimeoutMs);
      }
    }
    if (candidate > this.#combined) this.#combined = candidate;
    return this.#combined;
  }

  /**
   * What the data alone supports at `nowMs`, without the wall-clock term: min over the non-idle inputs, or the
   * max over all inputs when every input is idle. Not monotone; used to bound state retention by event time.
   */
  dataWatermark(nowMs: number): number {
    const { min, max, active } = this.#scan(nowMs);
    return active > 0 ? min : max;
  }

  /** Recomputes without processing time: min over all inputs (no idleness). Monotone. */
  advanceWithoutClock(): number {
    const candidate = this.minimumOfAll;
    if (candidate > this.#combined) this.#combined = candidate;
    return this.#combined;
  }

  /** Restores checkpointed state: per-input watermarks and the combined value. */
  restore(watermarks: ReadonlyMap<number, number>, combined: number): void {
    for (const [input, w] of watermarks) {
      if (!Number.isSafeInteger(input) || input < 0) continue;
      this.grow(input + 1);
      this.#watermarks[input] = w;
    }
    this.#combined = combined;
  }

  /** At `nowMs`: min over the non-idle inputs, max over all inputs, and how many inputs are not idle. */
  #scan(nowMs: number): { min: number; max: number; active: number } {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let active = 0;
    for (let i = 0; i < this.inputs; i++) {
      const w = this.#watermarks[i]!;
      if (w > max) max = w;
      if (this.isIdle(i, nowMs)) continue;
      active++;
      if (w < min) min = w;
    }
    return { min, max, active };
  }

  #checkInput(input: number): void {
    if (!Number.isInteger(input) || input < 0 || input >= this.inputs) {
      throw invalidOption('input', `must be an integer in [0, ${this.inputs}) (got ${String(input)})`);
    }
  }
}
