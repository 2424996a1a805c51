/** The contract rules the clickstream tests generate, check and process events with (1-minute windows). */
export const CLICKSTREAM_RULES = {
  windowSizeMs: 60_000,
  windowOffsetMs: 0,
  outOfOrdernessMs: 5_000,
  allowedLatenessMs: 0,
  dedupTtlMs: 600_000,
};
