import type { Client } from '@elastic/elasticsearch';
import { LatencyHistogram } from '@tributary/producer';
import { PollingLoop } from './polling-loop.js';

/** A `date_histogram` bucket of event time: its start (epoch ms) and the documents a search counted in it. */
export interface TimeBucket {
  readonly key: number;
  readonly count: number;
}

/**
 * The pure step of raw-event searchability: the documents counted per bucket now minus those counted before are
 * newly searchable; each is recorded as `nowMs − (bucket start + bucketMs / 2)` (an event's time is known to the
 * bucket, so a value is off by at most half a bucket). Updates `seen` and returns the newly searchable count.
 */
export function recordNewlySearchable(
  buckets: readonly TimeBucket[],
  seen: Map<number, number>,
  nowMs: number,
  bucketMs: number,
  histogram: LatencyHistogram,
): number {
  let added = 0;
  for (const b of buckets) {
    const before = seen.get(b.key) ?? 0;
    if (b.count <= before) continue;
    histogram.recordMs(nowMs - (b.key + bucketMs / 2), b.count - before);
    seen.set(b.key, b.count);
    added += b.count - before;
  }
  return added;
}

export interface RawSearchablePollerOptions {
  /** Only events with a timestamp ≥ this are counted (the end of the warm-up), epoch ms. */
  readonly fromMs: number;
  /** Width of the event-time buckets, ms. */
  readonly bucketMs?: number;
  readonly intervalMs: number;
}

/**
 * Raw event → searchable: searches the enriched-events alias every `intervalMs` for the number of documents per
 * `bucketMs` of event time (the event's timestamp, which is its intended send time) and records the documents that
 * became searchable since the previous search. One small aggregation per poll, whatever the event rate.
 */
export class RawSearchablePoller {
  readonly #es: Client;
  readonly #alias: string;
  readonly #fromMs: number;
  readonly #bucketMs: number;
  readonly #loop: PollingLoop;
  readonly #seen = new Map<number, number>();
  readonly histogram = new LatencyHistogram();
  #searchable = 0;

  constructor(es: Client, alias: string, options: RawSearchablePollerOptions) {
    this.#es = es;
    this.#alias = alias;
    this.#fromMs = options.fromMs;
    this.#bucketMs = options.bucketMs ?? 50;
    this.#loop = new PollingLoop(() => this.pollOnce(), options.intervalMs);
  }

  /** Measured events searchable so far. */
  get searchable(): number {
    return this.#searchable;
  }

  start(): void {
    this.#loop.start();
  }

  /** One search; failures (the alias does not exist yet) count as nothing new. */
  async pollOnce(): Promise<void> {
    try {
      const response = await this.#es.search(
        {
          index: this.#alias,
          size: 0,
          query: { range: { timestamp: { gte: this.#fromMs } } },
          aggs: {
            t: {
              date_histogram: { field: 'timestamp', fixed_interval: `${this.#bucketMs}ms`, min_doc_count: 1 },
            },
          },
        },
        { ignore: [404] },
      );
      const now = Date.now();
      const raw = (
        response.aggregations?.['t'] as { buckets?: { key: number; doc_count: number }[] } | undefined
      )?.buckets;
      if (raw === undefined) return;
      this.#searchable += recordNewlySearchable(
        raw.map((b) => ({ key: Number(b.key), count: b.doc_count })),
        this.#seen,
        now,
        this.#bucketMs,
        this.histogram,
      );
    } catch {
      // The alias appears with the first document; until then searches fail.
    }
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }
}
