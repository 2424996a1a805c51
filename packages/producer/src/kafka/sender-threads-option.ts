import { availableParallelism } from 'node:os';

/** Sender threads for the `senderThreads` option: 'auto' = 1 when at least `cores` ≥ 2, else 0. */
export function senderThreadCount(option: number | 'auto', cores: number = availableParallelism()): number {
  return option === 'auto' ? (cores >= 2 ? 1 : 0) : option;
}
