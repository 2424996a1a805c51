import { describe, expect, it } from 'vitest';
import { EVENT_TIME_DEFAULTS } from '@tributary/schema';
import { processorOptions } from '../../src/config/option-schemas.js';
import { DEDUP_DEFAULTS } from '../../src/dedup/dedup-store.js';
import {
  ENGINE_DEFAULTS,
  EVENT_TIME_OPTION_SPECS,
  OUTPUT_NAMES,
  storePrefix,
} from '../../src/engine/options.js';

const options = processorOptions('test', {
  ...EVENT_TIME_OPTION_SPECS,
  outputs: OUTPUT_NAMES,
  storePrefix: storePrefix('test'),
});

describe('engine options', () => {
  it('event-time defaults come from EVENT_TIME_DEFAULTS, the rest from ENGINE_DEFAULTS', () => {
    expect(options.resolve({})).toEqual({
      outOfOrdernessMs: EVENT_TIME_DEFAULTS.outOfOrdernessMs,
      allowedLatenessMs: 0,
      dedupTtlMs: 600_000,
      idleTimeoutMs: 30_000,
      wallClockAdvance: true,
      idleAdvanceMode: 'wall-clock',
      outputs: { results: 'results', late: 'late', deadLetter: 'dead-letter', repartition: 'repartition' },
      storePrefix: 'test',
    });
    expect(options.resolve({ outputs: { late: 'l' } }).outputs).toMatchObject({
      results: 'results',
      late: 'l',
    });
  });

  it('bad values fail naming the option', () => {
    expect(() => options.resolve({ outOfOrdernessMs: -1 })).toThrow(
      'outOfOrdernessMs must be a non-negative integer (got -1)',
    );
    expect(() => options.resolve({ dedupTtlMs: 0 })).toThrow(/dedupTtlMs must be a positive integer/);
    expect(() => options.resolve({ wallClockAdvance: 'yes' as unknown as boolean })).toThrow(
      /wallClockAdvance must be a boolean/,
    );
    expect(() => options.resolve({ outputs: { results: '' } })).toThrow(
      expect.objectContaining({ option: 'outputs.results' }),
    );
    expect(() => options.resolve({ storePrefix: 'a/b' })).toThrow(/storePrefix must match/);
    expect(options.resolve({ storePrefix: 'app.v1_x-y' }).storePrefix).toBe('app.v1_x-y');
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
