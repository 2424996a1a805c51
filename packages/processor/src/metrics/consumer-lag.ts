/**
 * Offsets a partition's consumer is behind: high watermark − position. Before the first record with no committed
 * offset (`position` null) the whole retained log (high − low) is ahead. Never negative.
 */
export function partitionLag(high: number, low: number, position: number | null): number {
  return Math.max(0, high - (position ?? low));
}

/** How often the stage asks the broker for end offsets, so lag is fresh even when no batch arrives. */
export const LAG_REFRESH_MS = 5_000;
