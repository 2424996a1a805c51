import type { Consumer, ConsumerRunConfig } from 'kafkajs';

/** What to do about a consumer crash. */
export type CrashDecision =
  | { readonly action: 'kafkajs-restarts' }
  | { readonly action: 'restart'; readonly delayMs: number; readonly attempt: number }
  | { readonly action: 'fail'; readonly reason: 'permanent' | 'timeout' };

export interface CrashPolicyOptions {
  /** Crashes in a row for this long fail for good (Kafka Streams' `task.timeout.ms` plays the same part). */
  readonly restartTimeoutMs: number;
  readonly now: () => number;
  /** @defaultValue 250 ms, doubling up to `maxDelayMs` */
  readonly initialDelayMs?: number;
  /** @defaultValue 5 s */
  readonly maxDelayMs?: number;
}

/**
 * Decides what follows a kafkajs consumer crash. kafkajs restarts a consumer itself only after a retriable error;
 * after a broker restart it also crashes for good on errors that pass with time (`KafkaJSGroupCoordinatorNotFound`
 * while the coordinator loads, an unknown member, a rebalance): those are restarted here with a doubling delay, until
 * the crashes have lasted `restartTimeoutMs`. Errors no restart can fix (authentication, authorization, a bug in the
 * caller) fail at once.
 */
export class ConsumerCrashPolicy {
  readonly #o: Required<CrashPolicyOptions>;
  #attempt = 0;
  #failingSince: number | undefined;

  constructor(options: CrashPolicyOptions) {
    this.#o = { initialDelayMs: 250, maxDelayMs: 5_000, ...options };
  }

  /** A crash, with kafkajs' own `restart` verdict. */
  crashed(error: unknown, kafkajsRestarts: boolean): CrashDecision {
    if (kafkajsRestarts) return { action: 'kafkajs-restarts' };
    if (isPermanentConsumerError(error)) return { action: 'fail', reason: 'permanent' };
    return this.#retry();
  }

  /** Connecting or running the consumer again failed. */
  restartFailed(error: unknown): CrashDecision {
    if (isPermanentConsumerError(error)) return { action: 'fail', reason: 'permanent' };
    return this.#retry();
  }

  /** The consumer joined its group again: the next crash starts a new count. */
  recovered(): void {
    this.#attempt = 0;
    this.#failingSince = undefined;
  }

  #retry(): CrashDecision {
    const now = this.#o.now();
    this.#failingSince ??= now;
    if (now - this.#failingSince >= this.#o.restartTimeoutMs) return { action: 'fail', reason: 'timeout' };
    this.#attempt += 1;
    const delayMs = Math.min(this.#o.maxDelayMs, this.#o.initialDelayMs * 2 ** (this.#attempt - 1));
    return { action: 'restart', delayMs, attempt: this.#attempt };
  }
}

/** Broker error types that say the client is not allowed, or misconfigured: the same on every retry. */
const PERMANENT_TYPES: ReadonlySet<string> = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'INVALID_SESSION_TIMEOUT',
  'INVALID_GROUP_ID',
  'UNSUPPORTED_VERSION',
]);

const PERMANENT_NAMES: ReadonlySet<string> = new Set([
  'KafkaJSSASLAuthenticationError',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
]);

/** True when `error` or one of its causes cannot pass with time (authentication, authorization, a caller's bug). */
export function isPermanentConsumerError(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 8 && typeof e === 'object' && e !== null; depth++) {
    const { name, type } = e as { name?: unknown; type?: unknown };
    if (typeof name === 'string' && PERMANENT_NAMES.has(name)) return true;
    if (typeof type === 'string' && PERMANENT_TYPES.has(type)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export interface KeepRunningOptions {
  readonly restartTimeoutMs: number;
  /** @defaultValue Date.now */
  readonly now?: () => number;
  /** False once the owner stops: no restart is attempted after that. */
  readonly active: () => boolean;
  /** A restart is scheduled (for logs and metrics). */
  readonly onRestart?: (error: unknown, attempt: number, delayMs: number) => void;
  /** The consumer is given up: a permanent error, or crashes for `restartTimeoutMs`. */
  readonly onFail: (error: unknown, reason: 'permanent' | 'timeout') => void;
}

/**
 * Runs a subscribed, connected consumer with `run`, and keeps it running through crashes kafkajs does not restart
 * (see `ConsumerCrashPolicy`): connect and `run(config)` again on the same consumer, as kafkajs' own restart does.
 * Returns a function that cancels a pending restart.
 */
export async function runConsumerKeptAlive(
  consumer: Consumer,
  config: ConsumerRunConfig,
  options: KeepRunningOptions,
): Promise<() => void> {
  const policy = new ConsumerCrashPolicy({
    restartTimeoutMs: options.restartTimeoutMs,
    now: options.now ?? Date.now,
  });
  let timer: NodeJS.Timeout | undefined;
  const decide = (error: unknown, decision: CrashDecision): void => {
    if (!options.active() || decision.action === 'kafkajs-restarts') return;
    if (decision.action === 'fail') {
      options.onFail(error, decision.reason);
      return;
    }
    options.onRestart?.(error, decision.attempt, decision.delayMs);
    timer = setTimeout(() => {
      timer = undefined;
      if (!options.active()) return;
      consumer
        .connect()
        .then(() => consumer.run(config))
        .catch((restartError: unknown) => decide(restartError, policy.restartFailed(restartError)));
    }, decision.delayMs);
  };
  consumer.on(consumer.events.GROUP_JOIN, () => policy.recovered());
  consumer.on(consumer.events.CRASH, (event) => {
    decide(event.payload.error, policy.crashed(event.payload.error, event.payload.restart));
  });
  await consumer.run(config);
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
}
