import type { Message } from '@tributary/kafka';
import { SINK_ERROR_CODES, SinkError } from '../errors.js';
import type { RetryPolicy } from '../retry/retry-policy.js';

export interface DeadLetterWriterOptions {
  /** Writes messages to the dead-letter topic (the connector's kafkajs producer); rejects when that failed. */
  send: (messages: Message[]) => Promise<void>;
  /** Backoff between failed attempts. Its deadline should be none: an unreachable Kafka is waited out. */
  policy: RetryPolicy;
  /** Whether a failed send can never succeed, so its writes fail instead of being retried. */
  isPermanent?: (error: unknown) => boolean;
  /** Called after each failed attempt that will be retried after `delayMs`, with the messages waiting. */
  onRetry?: (error: unknown, attempt: number, delayMs: number, waiting: number) => void;
  /**
   * Largest sum of key, value and header bytes sent in one request (one larger message goes alone).
   * @defaultValue 512 KiB (half of the broker's default `message.max.bytes`)
   */
  maxBatchBytes?: number;
}

interface Entry {
  message: Message;
  bytes: number;
  resolve: () => void;
  reject: (error: SinkError) => void;
}

const DEFAULT_MAX_BATCH_BYTES = 512 * 1024;

function messageBytes(message: Message): number {
  const size = (v: unknown): number =>
    typeof v === 'string' ? Buffer.byteLength(v) : Buffer.isBuffer(v) ? v.length : 0;
  let bytes = size(message.key) + size(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) bytes += name.length + size(value);
  return bytes;
}

/**
 * Whether a kafkajs error can never succeed on retry: somewhere in its `cause` chain a broker error kafkajs marks
 * non-retriable (`MESSAGE_TOO_LARGE`, `TOPIC_AUTHORIZATION_FAILED`, …) or a programming error (TypeError,
 * RangeError). Connection errors, timeouts and exhausted retries (`KafkaJSNumberOfRetriesExceeded` of a retriable
 * error: Kafka down) are not permanent.
 */
export function isPermanentKafkaError(error: unknown): boolean {
  let e = error;
  for (let depth = 0; depth < 8 && typeof e === 'object' && e !== null; depth++) {
    const { name, type, retriable } = e as { name?: unknown; type?: unknown; retriable?: unknown };
    if (name === 'KafkaJSNumberOfRetriesExceeded') return false;
    if (typeof type === 'string' && retriable === false) return true;
    if (name === 'TypeError' || name === 'RangeError') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Writes dead letters in order, batched, and retries a failed send with backoff until it succeeds: `write()`
 * resolves only once its message is on the topic, so the caller acknowledges the source record after that and
 * never before. A permanent failure (see `isPermanent`) rejects the writes of that send with
 * TRIB_SINK_DEAD_LETTER_FAILED (`retriable: false`); after a permanent failure of a batch its messages are sent one by
 * one, so one oversized message fails alone. `close()` stops retrying and rejects what is not written
 * (`retriable: true`: the source records are not acknowledged and come again after a restart).
 *
 * Memory: one entry per waiting message, and the caller bounds those (the connector's high-water mark counts every
 * record not acknowledged, dead letters included).
 */
export class DeadLetterWriter {
  readonly #send: (messages: Message[]) => Promise<void>;
  readonly #policy: RetryPolicy;
  readonly #isPermanent: (error: unknown) => boolean;
  readonly #onRetry: DeadLetterWriterOptions['onRetry'];
  readonly #maxBatchBytes: number;
  #queue: Entry[] = [];
  /** Entries of the send in progress (removed from `#queue`). */
  #sending: Entry[] = [];
  /** Messages still to send one at a time (after a permanent failure of a batch). */
  #isolate = 0;
  #running = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #idleWaiters: Array<() => void> = [];

  constructor(options: DeadLetterWriterOptions) {
    this.#send = options.send;
    this.#policy = options.policy;
    this.#isPermanent = options.isPermanent ?? isPermanentKafkaError;
    this.#onRetry = options.onRetry;
    this.#maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  }

  /** Messages accepted and not written yet (waiting, being sent or backing off). */
  get waiting(): number {
    return this.#queue.length + this.#sending.length;
  }

  /** Resolves once `message` is on the dead-letter topic; rejects with TRIB_SINK_DEAD_LETTER_FAILED otherwise. */
  write(message: Message): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError());
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ message, bytes: messageBytes(message), resolve, reject });
      if (!this.#running) void this.#run();
    });
  }

  /** Resolves when nothing is waiting (immediately when idle). */
  idle(): Promise<void> {
    if (this.waiting === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops: no more retries; the writes not sent yet reject (retriable). A send already in progress settles on its
   * own (its messages may still be written).
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#wake?.();
    const queued = this.#queue;
    this.#queue = [];
    for (const entry of queued) entry.reject(this.#closedError());
    this.#settleIdle();
  }

  async #run(): Promise<void> {
    this.#running = true;
    let attempt = 0;
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const isolated = this.#isolate > 0;
        const batch = this.#takeBatch();
        this.#sending = batch;
        let failure: unknown;
        let failed = false;
        try {
          await this.#send(batch.map((e) => e.message));
        } catch (error) {
          failed = true;
          failure = error;
        }
        this.#sending = [];
        if (!failed) {
          attempt = 0;
          for (const entry of batch) entry.resolve();
          continue;
        }
        if (this.#closed) {
          for (const entry of batch) entry.reject(this.#closedError(failure));
          break;
        }
        if (this.#isPermanent(failure)) {
          if (batch.length > 1) {
            // One message may be the culprit (too large): put them back and send them one by one.
            this.#queue.unshift(...batch);
            this.#isolate = batch.length;
            continue;
          }
          attempt = 0;
          for (const entry of batch)
            entry.reject(
              new SinkError(
                SINK_ERROR_CODES.DEAD_LETTER_FAILED,
                `the dead-letter topic refused the record: ${describe(failure)}`,
                { cause: failure, retriable: false },
              ),
            );
          continue;
        }
        this.#queue.unshift(...batch);
        if (isolated) this.#isolate++;
        attempt++;
        const decision = this.#policy.decide(attempt, 0, 0);
        const delayMs = decision.retry ? decision.delayMs : 0;
        this.#onRetry?.(failure, attempt, delayMs, this.waiting);
        await this.#sleep(delayMs);
      }
    } finally {
      this.#running = false;
      this.#settleIdle();
    }
  }

  /** The next messages to send: in order, at most `maxBatchBytes` (at least one), one at a time when isolating. */
  #takeBatch(): Entry[] {
    if (this.#isolate > 0) {
      this.#isolate--;
      return this.#queue.splice(0, 1);
    }
    let count = 0;
    let bytes = 0;
    for (const entry of this.#queue) {
      if (count > 0 && bytes + entry.bytes > this.#maxBatchBytes) break;
      bytes += entry.bytes;
      count++;
    }
    return this.#queue.splice(0, count);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = () => {
        this.#wake = undefined;
        resolve();
      };
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#wake?.();
      }, ms);
    });
  }

  #settleIdle(): void {
    if (this.waiting > 0 && !this.#closed) return;
    if (this.#sending.length > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }

  #closedError(cause?: unknown): SinkError {
    return new SinkError(
      SINK_ERROR_CODES.DEAD_LETTER_FAILED,
      'stopped before the dead letter was written (the record is not acknowledged and comes again after a restart)',
      { retriable: true, ...(cause === undefined ? {} : { cause }) },
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
