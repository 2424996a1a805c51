interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Bounded count of documents (and their bytes) accepted but not yet completed: the sink's memory bound and the
 * source of backpressure. `waitForRoom()` resolves when both counts are below their limits again, `waitForIdle()`
 * when nothing is outstanding.
 */
export class Capacity {
  readonly #maxDocs: number;
  readonly #maxBytes: number;
  #docs = 0;
  #bytes = 0;
  #roomWaiters: Waiter[] = [];
  #idleWaiters: Waiter[] = [];

  constructor(maxDocs: number, maxBytes: number) {
    this.#maxDocs = maxDocs;
    this.#maxBytes = maxBytes;
  }

  get docs(): number {
    return this.#docs;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Callers waiting for room. */
  get waiting(): number {
    return this.#roomWaiters.length;
  }

  hasRoom(): boolean {
    return this.#docs < this.#maxDocs && this.#bytes < this.#maxBytes;
  }

  /** Counts one accepted document. */
  take(bytes: number): void {
    this.#docs++;
    this.#bytes += bytes;
  }

  /** Counts one completed document and wakes whoever can proceed. */
  release(bytes: number): void {
    this.#docs--;
    this.#bytes -= bytes;
    if (this.#roomWaiters.length > 0 && this.hasRoom()) {
      const waiters = this.#roomWaiters;
      this.#roomWaiters = [];
      for (const w of waiters) w.resolve();
    }
    if (this.#docs === 0 && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const w of waiters) w.resolve();
    }
  }

  waitForRoom(): Promise<void> {
    return new Promise((resolve, reject) => this.#roomWaiters.push({ resolve, reject }));
  }

  waitForIdle(): Promise<void> {
    if (this.#docs === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#idleWaiters.push({ resolve, reject }));
  }

  /** Forgets everything outstanding and rejects every waiter with `error`; returns how many documents were dropped. */
  clear(error: unknown): number {
    const dropped = this.#docs;
    const waiters = [...this.#roomWaiters, ...this.#idleWaiters];
    this.#roomWaiters = [];
    this.#idleWaiters = [];
    this.#docs = 0;
    this.#bytes = 0;
    for (const w of waiters) w.reject(error);
    return dropped;
  }
}
