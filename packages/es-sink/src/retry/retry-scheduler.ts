import { deadlinePassed, type RetryPolicy } from './retry-policy.js';

/** What the scheduler needs to know about a retried document. */
export interface Retryable {
  /** When the document was first sent (same clock as the scheduler's). */
  firstAttemptAt: number | undefined;
  /** Retries so far; incremented for every document the scheduler keeps. */
  retries: number;
}

export interface ScheduledRetry<T> {
  /** Documents past their deadline: give them up. */
  expired: T[];
  /** Documents retried together after `delayMs`. */
  kept: T[];
  attempt: number;
  delayMs: number;
}

/**
 * Groups failed documents into one delayed retry: documents past their deadline (if there is one: `deadlineMs` 0 =
 * none) are returned as expired, the rest back off together by the group's largest attempt number (full jitter),
 * capped by its earliest deadline. Owns the timers so a sink can cancel them all on abort.
 *
 * Bounded: each call makes at most one timer, holding the documents of one failed request (the same objects, never
 * copies), and the timer is gone once it fired; a document is in at most one group at a time, so `waiting` never
 * exceeds the number of documents outstanding, however long the failures last.
 */
export class RetryScheduler<T extends Retryable> {
  readonly #policy: RetryPolicy;
  readonly #deadlineMs: number;
  readonly #now: () => number;
  readonly #timers = new Set<NodeJS.Timeout>();
  #waitingItems = 0;

  constructor(policy: RetryPolicy, deadlineMs: number, now: () => number) {
    this.#policy = policy;
    this.#deadlineMs = deadlineMs;
    this.#now = now;
  }

  /** Retry groups waiting for their timer. */
  get waiting(): number {
    return this.#timers.size;
  }

  /** Documents in those groups. */
  get waitingItems(): number {
    return this.#waitingItems;
  }

  schedule(items: readonly T[], fire: (kept: T[]) => void): ScheduledRetry<T> {
    const now = this.#now();
    const expired: T[] = [];
    const kept: T[] = [];
    let attempt = 1;
    let oldest = now;
    for (const item of items) {
      const first = item.firstAttemptAt ?? now;
      if (deadlinePassed(this.#deadlineMs, first, now)) {
        expired.push(item);
        continue;
      }
      item.retries++;
      attempt = Math.max(attempt, item.retries);
      oldest = Math.min(oldest, first);
      kept.push(item);
    }
    if (kept.length === 0) return { expired, kept, attempt, delayMs: 0 };
    const decision = this.#policy.decide(attempt, oldest, now);
    const delayMs = decision.retry ? decision.delayMs : 0;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#waitingItems -= kept.length;
      fire(kept);
    }, delayMs);
    this.#timers.add(timer);
    this.#waitingItems += kept.length;
    return { expired, kept, attempt, delayMs };
  }

  /** Cancels every pending retry. */
  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#waitingItems = 0;
  }
}
