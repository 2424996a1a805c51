import { describe, expect, it } from 'vitest';
import { EVENT_TIME_DEFAULTS } from '../src/event-time.js';

describe('EVENT_TIME_DEFAULTS', () => {
  it("keeps the reference clickstream job's contract: 1-minute windows, B = 5 s, L = 0, 10-minute dedup, 30 s idle", () => {
    expect(EVENT_TIME_DEFAULTS).toEqual({
      windowSizeMs: 60_000,
      windowOffsetMs: 0,
      outOfOrdernessMs: 5_000,
      allowedLatenessMs: 0,
      dedupTtlMs: 600_000,
      idleTimeoutMs: 30_000,
    });
  });
});
