export interface RetryPolicyOptions {
  /** Cap of the first backoff window. */
  initialDelayMs: number;
  /** Largest backoff window. */
  maxDelayMs: number;
  /**
   * Time from the first attempt after which a document is given up (dead-lettered); `0` (`NO_RETRY_DEADLINE`) =
   * never: retry until it succeeds.
   */
  deadlineMs: number;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/** Reason given to documents whose retries ran out of time. */
export const RETRY_DEADLINE_EXCEEDED = 'retry deadline exceeded';

/** `deadlineMs` (and the sink's `retryDeadlineMs`) meaning "no deadline": transient failures are retried forever. */
export const NO_RETRY_DEADLINE = 0;

/** Whether a deadline of `deadlineMs` has passed for a document first sent at `firstAttemptAt`. */
export function deadlinePassed(deadlineMs: number, firstAttemptAt: number, now: number): boolean {
  return deadlineMs !== NO_RETRY_DEADLINE && now - firstAttemptAt >= deadlineMs;
}

/**
 * Exponential backoff with full jitter (delay uniform in [0, min(max, initial * 2^(attempt-1)))), optionally bounded
 * by a deadline counted from the first attempt (none when `deadlineMs` is 0). The random source is injected so tests
 * are deterministic.
 */
export class RetryPolicy {
  readonly #options: RetryPolicyOptions;
  readonly #random: () => number;

  constructor(options: RetryPolicyOptions, random: () => number = Math.random) {
    this.#options = options;
    this.#random = random;
  }

  /** Upper bound of the backoff window before retry number `attempt` (1-based). */
  windowMs(attempt: number): number {
    const exp = this.#options.initialDelayMs * 2 ** Math.min(Math.max(attempt - 1, 0), 52);
    return Math.min(this.#options.maxDelayMs, exp);
  }

  /**
   * Decides the retry after a failed attempt. `attempt` is the retry about to be made (1 for the first retry),
   * `firstAttemptAt` when the document was first sent, `now` the current time on the same clock.
   */
  decide(attempt: number, firstAttemptAt: number, now: number): RetryDecision {
    const { deadlineMs } = this.#options;
    if (deadlinePassed(deadlineMs, firstAttemptAt, now))
      return { retry: false, reason: RETRY_DEADLINE_EXCEEDED };
    const delayMs = Math.floor(this.#random() * this.windowMs(attempt));
    if (deadlineMs === NO_RETRY_DEADLINE) return { retry: true, delayMs };
    return { retry: true, delayMs: Math.min(delayMs, firstAttemptAt + deadlineMs - now) };
  }
}
