/** The limits of {@link InFlightBudget}. */
export interface InFlightLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

/**
 * Events and bytes handed to Kafka and not yet acknowledged, against their limits. A request is admitted only when
 * its events and bytes fit beside what is already in flight; what is admitted is counted until Kafka answers (even
 * after the client got an ack timeout), so memory stays bounded.
 */
export class InFlightBudget {
  readonly #limits: InFlightLimits;
  #events = 0;
  #bytes = 0;

  constructor(limits: InFlightLimits) {
    this.#limits = limits;
  }

  get events(): number {
    return this.#events;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** No request can be admitted until something is acknowledged: checked before a body is read. */
  get full(): boolean {
    return this.#events >= this.#limits.maxEvents || this.#bytes >= this.#limits.maxBytes;
  }

  /** Counts the request in and returns true when it fits; else changes nothing and returns false. */
  tryAcquire(events: number, bytes: number): boolean {
    if (this.#events + events > this.#limits.maxEvents || this.#bytes + bytes > this.#limits.maxBytes)
      return false;
    this.#events += events;
    this.#bytes += bytes;
    return true;
  }

  /** Counts out what {@link tryAcquire} admitted, once Kafka answered. */
  release(events: number, bytes: number): void {
    this.#events -= events;
    this.#bytes -= bytes;
  }
}
