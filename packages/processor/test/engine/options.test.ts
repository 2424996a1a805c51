import { describe, expect, it } from 'vitest';
import { DEDUP_DEFAULTS } from '../../src/dedup/dedup-store.js';
import {
  checkStorePrefix,
  ENGINE_DEFAULTS,
  resolveEventTime,
  resolveOutputs,
} from '../../src/engine/options.js';

describe('engine options', () => {
  it('defaults come from ENGINE_DEFAULTS', () => {
    expect(resolveEventTime({})).toEqual({
      outOfOrdernessMs: ENGINE_DEFAULTS.outOfOrdernessMs,
      allowedLatenessMs: 0,
      dedupTtlMs: 600_000,
      idleTimeoutMs: 30_000,
      wallClockAdvance: true,
      idleAdvanceMode: 'wall-clock',
    });
    expect(resolveOutputs()).toEqual({
      results: 'results',
      late: 'late',
      deadLetter: 'dead-letter',
      repartition: 'repartition',
    });
  });

  it('bad values fail naming the option', () => {
    expect(() => resolveEventTime({ outOfOrdernessMs: -1 })).toThrow(
      /outOfOrdernessMs must be a non-negative integer/,
    );
    expect(() => resolveEventTime({ dedupTtlMs: 0 })).toThrow(/dedupTtlMs must be a positive integer/);
    expect(() => resolveEventTime({ wallClockAdvance: 'yes' as unknown as boolean })).toThrow(
      /wallClockAdvance must be a boolean/,
    );
    expect(() => resolveOutputs({ results: '' })).toThrow(/outputs.results/);
    expect(() => checkStorePrefix('a/b')).toThrow(/storePrefix must match/);
    expect(checkStorePrefix('app.v1_x-y')).toBe('app.v1_x-y');
  });

  it('state caps default per input partition, dedup from the dedup store', () => {
    expect(ENGINE_DEFAULTS).toMatchObject({
      maxKeysPerWindow: 100_000,
      maxOpenSessions: 100_000,
      maxDedupEntries: 2_000_000,
    });
    expect(ENGINE_DEFAULTS.maxDedupEntries).toBe(DEDUP_DEFAULTS.maxEntries);
  });
});
