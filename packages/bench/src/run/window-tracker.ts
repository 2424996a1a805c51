import { LatencyHistogram } from '@tributary/producer';
import type { Correctness } from '../report/results.js';

/** A window's counts: expected (ground truth) or observed (a result in Kafka or a document in Elasticsearch). */
export interface WindowCounts {
  readonly pageUrl: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly clickCount: number;
  readonly viewCount: number;
}

export interface WindowTrackerOptions {
  /** Out-of-orderness bound B: a window may close at `windowEnd + B` at the earliest. */
  readonly outOfOrdernessMs: number;
}

function keyOf(w: { pageUrl: string; windowStart: number }): string {
  return `${w.windowStart}\u0000${w.pageUrl}`;
}

/** Latency histograms of the windows that closed while events were still flowing. */
export interface WindowLatencies {
  /** Final result readable (read_committed) in the results topic − window close time. */
  readonly resultInKafka: LatencyHistogram;
  /** Final document returned by an Elasticsearch search − window close time (end-to-end). */
  readonly searchable: LatencyHistogram;
  /** Searchable − readable in Kafka, per window (the Elasticsearch leg). */
  readonly kafkaToSearchable: LatencyHistogram;
  /** Final document acknowledged by the sink's bulk request − window close time. */
  readonly acknowledged: LatencyHistogram;
  /** Windows left out because they closed after the last event (the idle timeout closed them). */
  readonly drainWindows: number;
  /** Windows left out because they closed during the warm-up. */
  readonly warmupWindows: number;
}

/** Where a window's counts were read: final documents in Elasticsearch, or final results in the results topic. */
export const COUNT_SOURCES = { SEARCHABLE: 'searchable', KAFKA: 'kafka' } as const;
export type CountSource = (typeof COUNT_SOURCES)[keyof typeof COUNT_SOURCES];

/** Which observed counts a completeness or correctness check reads, and which windows it covers. */
export interface CountCheckOptions {
  /** @defaultValue `'searchable'` */
  readonly source?: CountSource;
  /**
   * Only windows closing (window end + B) at or before this wall time are checked, expected and observed alike:
   * later ones need an idle timeout to close, which not every engine has. @defaultValue every window
   */
  readonly closingBy?: number;
}

interface Sighting {
  readonly closeMs: number;
  readonly atMs: number;
}

/**
 * Follows window results through the pipeline, all in wall-clock epoch ms. Window close time = window end + the
 * out-of-orderness bound, the earliest moment a correct event-time processor may emit the window. Each window's
 * first sighting with final counts is kept: in the results topic and in Elasticsearch; the latest counts seen are
 * kept for the correctness line.
 */
export class WindowTracker {
  readonly #boundMs: number;
  readonly #kafkaSeen = new Map<string, Sighting>();
  readonly #searchableSeen = new Map<string, Sighting>();
  readonly #ackSeen = new Map<string, Sighting>();
  readonly #observed = new Map<string, WindowCounts>();
  readonly #kafkaObserved = new Map<string, WindowCounts>();

  constructor(options: WindowTrackerOptions) {
    this.#boundMs = options.outOfOrdernessMs;
  }

  /** Windows seen searchable so far. */
  get searchableWindows(): number {
    return this.#searchableSeen.size;
  }

  /** Wall time of the last first sighting in Elasticsearch, or undefined. */
  get lastSearchableAt(): number | undefined {
    let last: number | undefined;
    for (const s of this.#searchableSeen.values())
      last = last === undefined ? s.atMs : Math.max(last, s.atMs);
    return last;
  }

  /** A final window result read from the results topic at `nowMs`. */
  observeKafkaResult(result: WindowCounts, nowMs: number): void {
    const key = keyOf(result);
    this.#kafkaObserved.set(key, result);
    if (this.#kafkaSeen.has(key)) return;
    this.#kafkaSeen.set(key, { closeMs: result.windowEnd + this.#boundMs, atMs: nowMs });
  }

  /** The sink's bulk request acknowledged the final document of a window at `ackMs` (first acknowledgement kept). */
  observeAcknowledged(
    window: { pageUrl: string; windowStart: number; windowEnd: number },
    ackMs: number,
  ): void {
    const key = keyOf(window);
    if (this.#ackSeen.has(key)) return;
    this.#ackSeen.set(key, { closeMs: window.windowEnd + this.#boundMs, atMs: ackMs });
  }

  /** Windows whose final document was acknowledged so far. */
  get acknowledgedWindows(): number {
    return this.#ackSeen.size;
  }

  /** A final window document returned by a search at `nowMs`. */
  observeSearchable(doc: WindowCounts, nowMs: number): void {
    const key = keyOf(doc);
    this.#observed.set(key, doc);
    if (this.#searchableSeen.has(key)) return;
    this.#searchableSeen.set(key, { closeMs: doc.windowEnd + this.#boundMs, atMs: nowMs });
  }

  /**
   * Latency histograms of the windows that closed within `[measuredFromMs, steadyUntilMs]`. Windows closing after
   * `steadyUntilMs` (the intended time of the last event) can only be closed by the idle timeout once traffic
   * stops: they would measure that timeout, not the pipeline, and are counted in `drainWindows`. Windows closing
   * before `measuredFromMs` (end of the warm-up) are counted in `warmupWindows`. Omit the bounds to keep all.
   */
  latencies(
    steadyUntilMs = Number.POSITIVE_INFINITY,
    measuredFromMs = Number.NEGATIVE_INFINITY,
  ): WindowLatencies {
    const resultInKafka = new LatencyHistogram();
    const searchable = new LatencyHistogram();
    const kafkaToSearchable = new LatencyHistogram();
    const acknowledged = new LatencyHistogram();
    const inRange = (s: Sighting): boolean => s.closeMs >= measuredFromMs && s.closeMs <= steadyUntilMs;
    let drainWindows = 0;
    let warmupWindows = 0;
    for (const s of this.#kafkaSeen.values()) {
      if (inRange(s)) resultInKafka.recordMs(s.atMs - s.closeMs);
    }
    for (const s of this.#ackSeen.values()) {
      if (inRange(s)) acknowledged.recordMs(s.atMs - s.closeMs);
    }
    for (const [key, s] of this.#searchableSeen) {
      if (s.closeMs > steadyUntilMs) drainWindows++;
      if (s.closeMs < measuredFromMs) warmupWindows++;
      if (!inRange(s)) continue;
      searchable.recordMs(s.atMs - s.closeMs);
      const inKafka = this.#kafkaSeen.get(key);
      if (inKafka !== undefined) kafkaToSearchable.recordMs(s.atMs - inKafka.atMs);
    }
    return { resultInKafka, searchable, kafkaToSearchable, acknowledged, drainWindows, warmupWindows };
  }

  #counts(source: CountSource | undefined): ReadonlyMap<string, WindowCounts> {
    return source === COUNT_SOURCES.KAFKA ? this.#kafkaObserved : this.#observed;
  }

  #covers(w: WindowCounts, closingBy: number | undefined): boolean {
    return closingBy === undefined || w.windowEnd + this.#boundMs <= closingBy;
  }

  /** True once every expected window is searchable (or final in Kafka) with exactly the expected counts. */
  complete(expected: readonly WindowCounts[], options: CountCheckOptions = {}): boolean {
    const observed = this.#counts(options.source);
    return expected.every((w) => {
      if (!this.#covers(w, options.closingBy)) return true;
      const seen = observed.get(keyOf(w));
      return seen !== undefined && seen.clickCount === w.clickCount && seen.viewCount === w.viewCount;
    });
  }

  /**
   * The correctness line against the ground truth: per window and page, events missing from the searchable (or
   * Kafka) counts are lost and events counted beyond the truth are duplicated; windows nobody expected count as
   * duplicated. With `closingBy`, windows closing later are left out on both sides.
   */
  correctness(
    expected: readonly WindowCounts[],
    totals: { readonly produced: number; readonly late: number; readonly deadLettered: number },
    options: CountCheckOptions = {},
  ): Correctness {
    const observed = this.#counts(options.source);
    let counted = 0;
    let lost = 0;
    let duplicated = 0;
    const expectedKeys = new Set<string>();
    for (const w of expected) {
      const key = keyOf(w);
      expectedKeys.add(key);
      if (!this.#covers(w, options.closingBy)) continue;
      const seen = observed.get(key);
      const want = w.clickCount + w.viewCount;
      const got = seen === undefined ? 0 : seen.clickCount + seen.viewCount;
      counted += got;
      lost += Math.max(0, want - got);
      duplicated += Math.max(0, got - want);
    }
    for (const [key, seen] of observed) {
      if (expectedKeys.has(key) || !this.#covers(seen, options.closingBy)) continue;
      counted += seen.clickCount + seen.viewCount;
      duplicated += seen.clickCount + seen.viewCount;
    }
    return {
      produced: totals.produced,
      counted,
      late: totals.late,
      deadLettered: totals.deadLettered,
      lost,
      duplicated,
    };
  }
}
