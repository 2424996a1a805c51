import { describe, expect, it } from 'vitest';
import { RUN_DEFAULTS, resolveRunOptions } from '../../src/cli/run-options.js';

describe('resolveRunOptions', () => {
  it('fills the defaults', () => {
    expect(resolveRunOptions()).toEqual({ ...RUN_DEFAULTS });
    expect(RUN_DEFAULTS).toMatchObject({
      durationMs: 30_000,
      warmupMs: 5_000,
      scenarios: ['table', 'gateway', 'queries', 'peers', 'max-throughput'],
      partitions: 4,
      runs: 3,
      outDir: 'bench-results',
      html: true,
    });
  });

  it('names the option, or the flag when asked', () => {
    expect(() => resolveRunOptions({ ratePerSec: 0 })).toThrow(/^ratePerSec must be > 0/);
    expect(() => resolveRunOptions({ ratePerSec: 0 }, 'flag')).toThrow(/^--rate must be > 0/);
    expect(() => resolveRunOptions({ partitions: 0 }, 'flag')).toThrow(
      /^--partitions must be an integer from 1 to 1024/,
    );
    expect(() => resolveRunOptions({ runs: 1.5 }, 'flag')).toThrow(/^--runs must be an integer/);
    expect(() => resolveRunOptions({ durationMs: 10 }, 'flag')).toThrow(/^--duration must be at least 1s/);
    expect(() => resolveRunOptions({ warmupMs: -1 }, 'flag')).toThrow(/^--warmup must be 0 or more/);
    expect(() => resolveRunOptions({ outDir: ' ' }, 'flag')).toThrow(/^--out must be a non-empty/);
    expect(() => resolveRunOptions({ scenarios: [] }, 'flag')).toThrow(/^--scenarios must list/);
  });
});
