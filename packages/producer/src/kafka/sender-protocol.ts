import { ProducerError, wrapKafkaError } from '../errors.js';
import type { ProducerErrorCode } from '../errors.js';
import type { KafkaConnectionOptions } from './connection-options.js';
import type { TransferBatch } from './batch-transfer.js';
import type { PartitionAck } from './kafka-batch-sender.js';

/** Messages from the main thread to a sender thread. */
export type ToSender =
  /**
   * Connect an idempotent producer for `lane` (one lane = one producer = a disjoint set of partitions) that runs at
   * most `maxInFlight` sends at once, in the order they were handed over.
   */
  | { type: 'open'; lane: number; options: KafkaConnectionOptions; maxInFlight: number }
  | { type: 'send'; lane: number; id: number; batch: TransferBatch }
  /** Disconnect every producer, answer 'closed', let the thread end. */
  | { type: 'close' };

/** Messages from a sender thread to the main thread. */
export type FromSender =
  | { type: 'opened'; lane: number }
  | { type: 'open-failed'; lane: number; error: SerializedError }
  | { type: 'acked'; id: number; acks: PartitionAck[]; ackedAtEpochMs: number }
  | { type: 'failed'; id: number; error: SerializedError }
  | { type: 'closed' };

/** An error as it crosses threads: what wrapKafkaError and our callers look at. */
export interface SerializedError {
  name: string;
  message: string;
  retriable: boolean;
  /** Set when the error already was a ProducerError. */
  code: ProducerErrorCode | undefined;
}

export function serializeError(err: unknown): SerializedError {
  const e = err as { name?: unknown; message?: unknown; retriable?: unknown; code?: unknown } | undefined;
  const isOurs = err instanceof ProducerError;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(err),
    retriable: e?.retriable === true,
    code: isOurs ? err.code : undefined,
  };
}

/**
 * The error on the main thread: a ProducerError with the thread's code when it was one, else the kafkajs error (its
 * name and retriable flag kept) wrapped in `code`.
 */
export function deserializeError(
  s: SerializedError,
  code: ProducerErrorCode,
  message: string,
): ProducerError {
  if (s.code !== undefined) return new ProducerError(s.code, s.message, { retriable: s.retriable });
  const cause = Object.assign(new Error(s.message), { name: s.name, retriable: s.retriable });
  return wrapKafkaError(code, message, cause);
}

/** Wall-clock-anchored high-resolution time, comparable between threads (each has its own performance.now()). */
export function crossThreadNow(): number {
  return performance.timeOrigin + performance.now();
}
