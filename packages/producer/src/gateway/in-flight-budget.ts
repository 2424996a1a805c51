/** The limits of {@link InFlightBudget}. */
export interface InFlightLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

/**
 * Events and bytes the gateway holds, against their limits: the bodies of requests being read and the records
 * handed to Kafka and not yet acknowledged. Each request holds one {@link InFlightReservation}, from the moment its
 * body starts being read until it is answered or, once its events are handed to Kafka, until Kafka answers (even
 * after the client got an ack timeout), so memory stays bounded by `maxBytes` whatever the number of connections.
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

  /** No request can be admitted until something is released: checked before a body is read. */
  get full(): boolean {
    return this.#events >= this.#limits.maxEvents || this.#bytes >= this.#limits.maxBytes;
  }

  /**
   * Opens a request's reservation of `bytes` (its declared Content-Length, or 0 for a body of unknown length) when
   * they fit beside what is held; else changes nothing and returns undefined.
   */
  tryReserve(bytes: number): InFlightReservation | undefined {
    if (!this.#tryAdd(0, bytes)) return undefined;
    return new InFlightReservation(bytes, (events, delta) => this.#tryAdd(events, delta));
  }

  /** Adds the deltas when each increase fits under its limit (a decrease always does); else changes nothing. */
  #tryAdd(events: number, bytes: number): boolean {
    if (events > 0 && this.#events + events > this.#limits.maxEvents) return false;
    if (bytes > 0 && this.#bytes + bytes > this.#limits.maxBytes) return false;
    this.#events += events;
    this.#bytes += bytes;
    return true;
  }
}

/**
 * What one request holds in an {@link InFlightBudget}: its body's bytes while it is read, then its records' events
 * and bytes once handed to Kafka. Released once; a second release changes nothing.
 */
export class InFlightReservation {
  readonly #adjust: (events: number, bytes: number) => boolean;
  #events = 0;
  #bytes: number;
  #handedOff = false;
  #released = false;

  /** Made by {@link InFlightBudget.tryReserve}, which has counted `bytes` in already. */
  constructor(bytes: number, adjust: (events: number, bytes: number) => boolean) {
    this.#bytes = bytes;
    this.#adjust = adjust;
  }

  get events(): number {
    return this.#events;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** True once {@link tryHandOff} succeeded: Kafka's answer releases the reservation, not the request's. */
  get handedOff(): boolean {
    return this.#handedOff;
  }

  get released(): boolean {
    return this.#released;
  }

  /** More body bytes arrived than reserved: counts `bytes` more in when they fit, else returns false. */
  tryGrow(bytes: number): boolean {
    if (this.#released || this.#handedOff) return false;
    if (!this.#adjust(0, bytes)) return false;
    this.#bytes += bytes;
    return true;
  }

  /**
   * The body is parsed into `events` records of `bytes` bytes, about to be handed to Kafka: they replace the body in
   * the count when they fit (the records' bytes may be fewer or more than the body's), else nothing changes and this
   * returns false.
   */
  tryHandOff(events: number, bytes: number): boolean {
    if (this.#released || this.#handedOff) return false;
    if (!this.#adjust(events, bytes - this.#bytes)) return false;
    this.#events = events;
    this.#bytes = bytes;
    this.#handedOff = true;
    return true;
  }

  /** Counts everything held out of the budget, once: when the request is answered, or Kafka answered. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#adjust(-this.#events, -this.#bytes);
  }
}
