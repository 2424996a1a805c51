/**
 * What a stable offset fetch does with an answer: return the offsets, ask again (a transactional offset commit is
 * pending, or the coordinator is loading or has moved), or fail; and how long it waits before asking again. Pure
 * logic, driven by an injected clock.
 */
import type { OffsetFetchV7Response } from './offset-fetch-v7.js';

/** The broker error codes an OffsetFetch is retried on (Apache Kafka's `Errors`). */
export const OffsetFetchRetryCodes = {
  /** The coordinator is loading the group's offsets: ask it again. */
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  /** The coordinator is not available: find it again. */
  COORDINATOR_NOT_AVAILABLE: 15,
  /** The broker is not (any longer) the group's coordinator: find it again. */
  NOT_COORDINATOR: 16,
  /** A transactional offset commit is pending for the partition (`require_stable`, KIP-447): ask again. */
  UNSTABLE_OFFSET_COMMIT: 88,
} as const;

const FIND_COORDINATOR_AGAIN: ReadonlySet<number> = new Set([
  OffsetFetchRetryCodes.COORDINATOR_NOT_AVAILABLE,
  OffsetFetchRetryCodes.NOT_COORDINATOR,
]);
const RETRIED: ReadonlySet<number> = new Set(Object.values(OffsetFetchRetryCodes));

export type OffsetFetchOutcome =
  | { readonly kind: 'offsets' }
  | {
      readonly kind: 'retry';
      readonly errorCode: number;
      /** The coordinator moved or is unavailable: refresh the metadata and find it again. */
      readonly findCoordinator: boolean;
      /** `'group'`, or `topic partition n`. */
      readonly where: string;
    }
  | { readonly kind: 'fail'; readonly errorCode: number; readonly where: string };

/**
 * The outcome of a response: the top-level error first; then an error no retry fixes on any partition fails the
 * whole fetch (as the Java consumer does), else a retriable one on any partition retries it.
 */
export function offsetFetchOutcome(response: OffsetFetchV7Response): OffsetFetchOutcome {
  if (response.errorCode !== 0) return outcomeOf(response.errorCode, 'group');
  let retry: OffsetFetchOutcome | undefined;
  for (const { topic, partitions } of response.topics) {
    for (const { partition, errorCode } of partitions) {
      if (errorCode === 0) continue;
      const outcome = outcomeOf(errorCode, `${topic} partition ${partition}`);
      if (outcome.kind === 'fail') return outcome;
      retry ??= outcome;
    }
  }
  return retry ?? { kind: 'offsets' };
}

function outcomeOf(errorCode: number, where: string): OffsetFetchOutcome {
  if (!RETRIED.has(errorCode)) return { kind: 'fail', errorCode, where };
  return { kind: 'retry', errorCode, findCoordinator: FIND_COORDINATOR_AGAIN.has(errorCode), where };
}

/** kafkajs errors that pass with time although kafkajs marks them non-retriable (as after a broker restart). */
const PASSING_KAFKAJS_ERRORS: ReadonlySet<string> = new Set([
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSNumberOfRetriesExceeded',
]);

/**
 * True when an error thrown while finding the coordinator or sending the request may pass: kafkajs' retriable errors
 * (connection lost or refused, request timeout, a broker missing from the metadata) and its coordinator lookup
 * giving up. Tributary's own errors (a malformed response) and the rest (authentication, a caller's bug) do not.
 */
export function isRetriableFetchError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, retriable, code } = error as { name?: unknown; retriable?: unknown; code?: unknown };
  if (typeof code === 'string' && code.startsWith('TRIB_')) return false;
  return retriable === true || (typeof name === 'string' && PASSING_KAFKAJS_ERRORS.has(name));
}

export interface OffsetFetchBackoffOptions {
  /** Attempts start until this long after the first one. */
  readonly timeoutMs: number;
  /** The first delay, doubled after every retry up to `maxRetryMs`. */
  readonly initialRetryMs: number;
  readonly maxRetryMs: number;
}

/**
 * The delays between the attempts of one fetch: doubling from `initialRetryMs` up to `maxRetryMs`, the last one cut
 * so that an attempt starts at the deadline, then none.
 */
export class OffsetFetchBackoff {
  readonly #options: OffsetFetchBackoffOptions;
  readonly #now: () => number;
  readonly #deadline: number;
  #retries = 0;

  constructor(options: OffsetFetchBackoffOptions, now: () => number) {
    this.#options = options;
    this.#now = now;
    this.#deadline = now() + options.timeoutMs;
  }

  /** The delay before the next attempt, or undefined when the time is up. */
  next(): number | undefined {
    const left = this.#deadline - this.#now();
    if (left <= 0) return undefined;
    const { initialRetryMs, maxRetryMs } = this.#options;
    const delay = Math.min(maxRetryMs, initialRetryMs * 2 ** Math.min(this.#retries, 30));
    this.#retries += 1;
    return Math.min(delay, left);
  }

  /** The attempts retried so far. */
  get retries(): number {
    return this.#retries;
  }
}
