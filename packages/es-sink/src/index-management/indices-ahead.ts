import type { Client } from '@elastic/elasticsearch';
import { formatIndexPattern, patternTokens } from './index-name.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** The longest wait between two passes. */
const MAX_INTERVAL_MS = 10 * MINUTE_MS;
/** After a failed pass (the node still starting, the template not installed yet), the next one comes this soon. */
export const INDICES_AHEAD_RETRY_MS = 5_000;

/** The start of the period after the one `now` is in, for the pattern's finest date part (UTC). */
function nextPeriod(pattern: string, now: number): number {
  const parts = patternTokens(pattern).join(' ');
  if (parts.includes('mm')) return now + MINUTE_MS;
  if (parts.includes('HH')) return now + HOUR_MS;
  if (parts.includes('dd')) return now + DAY_MS;
  const date = new Date(now);
  if (parts.includes('MM')) return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return Date.UTC(date.getUTCFullYear() + 1, 0, 1);
}

/**
 * The indices a date pattern names for the period `now` is in and for the next one, by the pattern's finest date part
 * (UTC): `metrics-{yyyy.MM.dd}` gives today's and tomorrow's index, `m-{yyyy.MM.dd.HH}` this hour's and the next
 * hour's. Empty for a constant index name.
 */
export function indicesAhead(pattern: string, now: number): string[] {
  if (patternTokens(pattern).length === 0) return [];
  const names = [now, nextPeriod(pattern, now)].map((t) => formatIndexPattern(pattern, new Date(t)));
  return [...new Set(names)];
}

/** How often to make sure they exist: every 10 minutes, or twice per period for finer patterns. */
export function indicesAheadIntervalMs(pattern: string): number {
  if (patternTokens(pattern).join(' ').includes('mm')) return MINUTE_MS / 2;
  return MAX_INTERVAL_MS;
}

export interface IndicesAheadOptions {
  readonly client: Client;
  readonly pattern: string;
  readonly now: () => number;
  /** Installs the index template first (so the indices get its mappings); rejects when it could not. */
  readonly beforeCreate: () => Promise<void>;
}

/**
 * Creates the indices of now and the next period ahead of their documents — at `start()`, then every interval, and
 * again soon after a failed pass — so that no bulk request waits while Elasticsearch creates an index. Failures are
 * never thrown: the first bulk into a missing index still creates it. `stop()` cancels a request in flight.
 */
export class IndicesAhead {
  readonly #o: IndicesAheadOptions;
  readonly #abort = new AbortController();
  #started = false;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> = Promise.resolve();

  constructor(options: IndicesAheadOptions) {
    this.#o = options;
  }

  /** Starts the passes (idempotent); resolves when the first one has finished, whatever its outcome. */
  start(): Promise<void> {
    if (!this.#started && !this.#abort.signal.aborted) {
      this.#started = true;
      this.#run();
    }
    return this.#pass;
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    clearTimeout(this.#timer);
    await this.#pass;
  }

  #run(): void {
    this.#pass = this.#createAll().then((ok) => {
      if (this.#abort.signal.aborted) return;
      const wait = ok ? indicesAheadIntervalMs(this.#o.pattern) : INDICES_AHEAD_RETRY_MS;
      this.#timer = setTimeout(() => this.#run(), wait).unref();
    });
  }

  async #createAll(): Promise<boolean> {
    const { client, pattern, now, beforeCreate } = this.#o;
    try {
      await beforeCreate();
      for (const index of indicesAhead(pattern, now())) {
        if (this.#abort.signal.aborted) return false;
        // 400: the index exists already (resource_already_exists_exception) — the usual answer after the first pass
        await client.indices.create({ index }, { ignore: [400], signal: this.#abort.signal });
      }
      return true;
    } catch {
      return false;
    }
  }
}
