import { LatencyHistogram } from '../histograms/latency-histogram.js';
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

/**
 * Follows window results through the pipeline and turns first sightings into latencies, all in wall-clock epoch ms:
 *
 * - `resultInKafka`: final result readable (read_committed) in the results topic − window close time;
 * - `searchable`: final document returned by an Elasticsearch search − window close time (end-to-end);
 * - `kafkaToSearchable`: searchable − readable in Kafka, per window (the Elasticsearch leg).
 *
 * Window close time = window end + the out-of-orderness bound. Each window is recorded once, at its first sighting
 * with final counts; the latest counts seen are kept for the correctness line.
 */
export class WindowTracker {
  readonly resultInKafka = new LatencyHistogram();
  readonly searchable = new LatencyHistogram();
  readonly kafkaToSearchable = new LatencyHistogram();
  readonly #boundMs: number;
  readonly #kafkaSeenAt = new Map<string, number>();
  readonly #searchableSeenAt = new Map<string, number>();
  readonly #observed = new Map<string, WindowCounts>();

  constructor(options: WindowTrackerOptions) {
    this.#boundMs = options.outOfOrdernessMs;
  }

  /** Windows seen searchable so far. */
  get searchableWindows(): number {
    return this.#searchableSeenAt.size;
  }

  /** Wall time of the last first sighting in Elasticsearch, or undefined. */
  get lastSearchableAt(): number | undefined {
    let last: number | undefined;
    for (const t of this.#searchableSeenAt.values()) last = last === undefined ? t : Math.max(last, t);
    return last;
  }

  /** A final window result read from the results topic at `nowMs`. */
  observeKafkaResult(result: WindowCounts, nowMs: number): void {
    const key = keyOf(result);
    if (this.#kafkaSeenAt.has(key)) return;
    this.#kafkaSeenAt.set(key, nowMs);
    this.resultInKafka.recordMs(nowMs - (result.windowEnd + this.#boundMs));
  }

  /** A final window document returned by a search at `nowMs`. */
  observeSearchable(doc: WindowCounts, nowMs: number): void {
    const key = keyOf(doc);
    this.#observed.set(key, doc);
    if (this.#searchableSeenAt.has(key)) return;
    this.#searchableSeenAt.set(key, nowMs);
    this.searchable.recordMs(nowMs - (doc.windowEnd + this.#boundMs));
    const inKafka = this.#kafkaSeenAt.get(key);
    if (inKafka !== undefined) this.kafkaToSearchable.recordMs(nowMs - inKafka);
  }

  /** True once every expected window is searchable with exactly the expected counts. */
  complete(expected: readonly WindowCounts[]): boolean {
    return expected.every((w) => {
      const seen = this.#observed.get(keyOf(w));
      return seen !== undefined && seen.clickCount === w.clickCount && seen.viewCount === w.viewCount;
    });
  }

  /**
   * The correctness line against the ground truth: per window and page, events missing from the searchable counts
   * are lost and events counted beyond the truth are duplicated; windows nobody expected count as duplicated.
   */
  correctness(
    expected: readonly WindowCounts[],
    totals: { readonly produced: number; readonly late: number; readonly deadLettered: number },
  ): Correctness {
    let counted = 0;
    let lost = 0;
    let duplicated = 0;
    const expectedKeys = new Set<string>();
    for (const w of expected) {
      const key = keyOf(w);
      expectedKeys.add(key);
      const seen = this.#observed.get(key);
      const want = w.clickCount + w.viewCount;
      const got = seen === undefined ? 0 : seen.clickCount + seen.viewCount;
      counted += got;
      lost += Math.max(0, want - got);
      duplicated += Math.max(0, got - want);
    }
    for (const [key, seen] of this.#observed) {
      if (expectedKeys.has(key)) continue;
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
