import { Worker } from 'node:worker_threads';
import { ProducerError, ProducerErrorCodes } from '../errors.js';
import type { KafkaConnectionOptions } from './connection-options.js';
import { packBatch } from './batch-transfer.js';
import type { BatchSender, OutgoingRecord, SentBatch } from './kafka-batch-sender.js';
import { KafkaMessageFactory } from './kafka-message.js';
import { deserializeError } from './sender-protocol.js';
import type { FromSender, SerializedError, ToSender } from './sender-protocol.js';

/** Time a sender thread gets to disconnect its producers at close before it is terminated. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * The worker script: next to this module when running from dist/; from the package's dist/ when this module runs
 * from its TypeScript source (tests), since Node cannot start a worker from a .ts file — build first.
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/kafka/sender-worker.js', here)
    : new URL('./sender-worker.js', here);
}

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (err: Error) => void;
  /** What the batch was, for the error message. */
  what: string;
}

/**
 * A sender thread (worker_threads) seen from the main thread: it hosts one idempotent kafkajs producer per lane
 * opened on it; `openLane` gives a BatchSender whose batches are packed into a transferred buffer, sent there, and
 * acknowledged back with the time the acknowledgement arrived. A thread that dies fails whatever it had in hand
 * with TRIB_PRODUCER_SEND_FAILED.
 */
export class SenderThread {
  readonly #worker: Worker;
  readonly #sends = new Map<number, Waiter<SentBatch>>();
  readonly #opens = new Map<number, Waiter<void>>();
  readonly #keys = new KafkaMessageFactory();
  #nextId = 0;
  #dead: ProducerError | undefined;
  #closed: (() => void) | undefined;
  readonly #exited: Promise<void>;

  constructor() {
    this.#worker = new Worker(workerUrl());
    this.#worker.on('message', (m: FromSender) => this.#onMessage(m));
    this.#worker.on('error', (err) => this.#fail(err));
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        this.#fail(new Error(`sender thread exited with code ${code}`));
        this.#closed?.();
        resolve();
      });
    });
  }

  /** Connects a producer for one lane on this thread, running at most `maxInFlight` sends at once, in order. */
  openLane(lane: number, options: KafkaConnectionOptions, maxInFlight: number): Promise<BatchSender> {
    return new Promise<void>((resolve, reject) => {
      if (this.#dead !== undefined) return reject(this.#dead);
      this.#opens.set(lane, { resolve, reject, what: `lane ${lane}` });
      this.#post({ type: 'open', lane, options, maxInFlight });
    }).then(() => ({
      send: (records) => this.#send(lane, records),
      // The producers are disconnected when the thread closes.
      close: () => Promise.resolve(),
    }));
  }

  /** Disconnects the thread's producers and ends it (terminated if it does not finish in time). */
  async close(): Promise<void> {
    if (this.#dead === undefined) {
      const closed = new Promise<void>((resolve) => (this.#closed = resolve));
      this.#post({ type: 'close' });
      const timer = setTimeout(() => void this.#worker.terminate(), CLOSE_TIMEOUT_MS);
      await closed;
      clearTimeout(timer);
    }
    await this.#exited;
  }

  #send(lane: number, records: readonly OutgoingRecord[]): Promise<SentBatch> {
    return new Promise<SentBatch>((resolve, reject) => {
      if (this.#dead !== undefined) return reject(this.#dead);
      const id = this.#nextId++;
      const batch = packBatch(records, (key) => this.#keys.keyBytes(key));
      this.#sends.set(id, { resolve, reject, what: `send of ${records.length} records` });
      this.#post({ type: 'send', lane, id, batch }, [batch.buffer]);
    });
  }

  #post(m: ToSender, transfer: ArrayBuffer[] = []): void {
    this.#worker.postMessage(m, transfer);
  }

  #onMessage(m: FromSender): void {
    switch (m.type) {
      case 'opened':
        this.#take(this.#opens, m.lane)?.resolve();
        break;
      case 'open-failed':
        this.#take(this.#opens, m.lane)?.reject(
          this.#error(m.error, ProducerErrorCodes.CONNECT_FAILED, 'cannot connect to Kafka'),
        );
        break;
      case 'acked':
        this.#take(this.#sends, m.id)?.resolve({ acks: m.acks, ackedAtEpochMs: m.ackedAtEpochMs });
        break;
      case 'failed': {
        const w = this.#take(this.#sends, m.id);
        w?.reject(this.#error(m.error, ProducerErrorCodes.SEND_FAILED, `${w.what} failed`));
        break;
      }
      case 'closed':
        this.#dead = new ProducerError(ProducerErrorCodes.SEND_FAILED, 'sender thread closed');
        this.#closed?.();
        break;
    }
  }

  #error(
    s: SerializedError,
    code: typeof ProducerErrorCodes.SEND_FAILED | typeof ProducerErrorCodes.CONNECT_FAILED,
    message: string,
  ): ProducerError {
    return deserializeError(s, code, message);
  }

  #take<T>(waiters: Map<number, Waiter<T>>, key: number): Waiter<T> | undefined {
    const w = waiters.get(key);
    waiters.delete(key);
    return w;
  }

  /** The thread is gone: everything in hand fails, and so does anything asked of it later. */
  #fail(err: Error): void {
    if (this.#dead === undefined) {
      this.#dead = new ProducerError(ProducerErrorCodes.SEND_FAILED, `sender thread failed: ${err.message}`, {
        retriable: false,
        cause: err,
      });
    }
    const dead = this.#dead;
    for (const w of this.#sends.values())
      w.reject(new ProducerError(dead.code, `${w.what} failed: ${dead.message}`, { cause: err }));
    for (const w of this.#opens.values())
      w.reject(
        new ProducerError(ProducerErrorCodes.CONNECT_FAILED, `${w.what}: ${dead.message}`, { cause: err }),
      );
    this.#sends.clear();
    this.#opens.clear();
  }
}
