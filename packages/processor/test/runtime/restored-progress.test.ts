import { describe, expect, it } from 'vitest';
import { checkRestoredProgress, type RestoredProgress } from '../../src/runtime/restored-progress.js';

const base: RestoredProgress = {
  stageId: 'app',
  topic: 'events',
  partition: 1,
  applied: 9,
  committed: 10,
  logEnd: 12,
  guarantee: 'exactly-once',
};

describe('checkRestoredProgress', () => {
  it('accepts a state whose committed offset and log are past its progress, or a task without progress', () => {
    expect(() => checkRestoredProgress(base)).not.toThrow();
    expect(() => checkRestoredProgress({ ...base, applied: undefined, committed: null })).not.toThrow();
  });

  it('refuses a log that ends at or before the applied offset (recreated topic)', () => {
    expect(() => checkRestoredProgress({ ...base, logEnd: 9 })).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_TOPIC_MISMATCH',
        message: expect.stringMatching(/ends at offset 9/),
      }),
    );
  });

  it('under exactly-once refuses a committed offset missing or at or below the applied offset', () => {
    for (const committed of [null, 9]) {
      expect(() => checkRestoredProgress({ ...base, committed })).toThrow(
        expect.objectContaining({
          code: 'TRIB_PROC_TOPIC_MISMATCH',
          message: expect.stringMatching(/--to-offset 10/),
        }),
      );
    }
    expect(() =>
      checkRestoredProgress({ ...base, committed: null, guarantee: 'at-least-once' }),
    ).not.toThrow();
  });
});
