import { availableParallelism } from 'node:os';

/** Sender threads that 'auto' gives on a machine with at least 2 cores (1 and 2 measured equal on 2 cores, 1 with less CPU: bench/README.md). */
export const AUTO_SENDER_THREADS = 1;

/**
 * Sender threads for the `senderThreads` option: 'auto' = AUTO_SENDER_THREADS when `cores` ≥ 2, else 0 (a single
 * core gains nothing from handing batches over).
 */
export function senderThreadCount(option: number | 'auto', cores: number = availableParallelism()): number {
  return option === 'auto' ? (cores >= 2 ? AUTO_SENDER_THREADS : 0) : option;
}
