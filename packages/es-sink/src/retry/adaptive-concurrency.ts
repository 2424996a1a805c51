export interface ConcurrencyOptions {
  /** Starting (and, when not adaptive, fixed) number of in-flight bulk requests. */
  initial: number;
  /** Lower bound when adaptive. */
  min: number;
  /** Upper bound when adaptive. */
  max: number;
  /** AIMD: additive increase on fast successes, halve on 429s and on latency above `latencyFactor` × baseline. */
  adaptive: boolean;
  /** A request slower than this multiple of the smoothed latency counts as congestion. */
  latencyFactor: number;
}

/**
 * The in-flight request limit. With `adaptive`, an AIMD controller: +1/limit per successful request (so +1 per
 * round trip), ×0.5 on overload (429s, rejected executions, latency spikes), at most one decrease per round trip.
 */
export class ConcurrencyLimit {
  readonly #options: ConcurrencyOptions;
  #limit: number;
  #smoothedLatencyMs: number | undefined;
  #samples = 0;
  #completionsSinceDecrease = Number.POSITIVE_INFINITY;

  constructor(options: ConcurrencyOptions) {
    this.#options = options;
    this.#limit = options.initial;
  }

  /** Current whole number of requests allowed in flight. */
  get limit(): number {
    return Math.max(1, Math.floor(this.#limit));
  }

  /** Reports a request that completed without overload signals. */
  onSuccess(latencyMs: number): void {
    if (!this.#options.adaptive) return;
    const baseline = this.#smoothedLatencyMs;
    this.#samples++;
    this.#smoothedLatencyMs = baseline === undefined ? latencyMs : baseline * 0.9 + latencyMs * 0.1;
    if (baseline !== undefined && this.#samples > 5 && latencyMs > baseline * this.#options.latencyFactor) {
      this.#decrease();
      this.#completionsSinceDecrease++;
      return;
    }
    this.#completionsSinceDecrease++;
    this.#limit = Math.min(this.#options.max, this.#limit + 1 / this.#limit);
  }

  /** Reports an overload signal (request 429, or items rejected with 429 / rejected execution). */
  onOverload(): void {
    if (!this.#options.adaptive) return;
    this.#decrease();
    this.#completionsSinceDecrease++;
  }

  #decrease(): void {
    // At most one multiplicative decrease per "window" of in-flight requests.
    if (this.#completionsSinceDecrease < this.limit) return;
    this.#completionsSinceDecrease = 0;
    this.#limit = Math.max(this.#options.min, this.#limit / 2);
  }
}
