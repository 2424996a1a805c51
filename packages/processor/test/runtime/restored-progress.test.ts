import { describe, expect, it } from 'vitest';
import {
  checkRestoredProgress,
  settledCommittedOffset,
  type RestoredProgress,
} from '../../src/runtime/restored-progress.js';

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

describe('settledCommittedOffset', () => {
  const progress = {
    stageId: 'app-merge',
    topic: 'repartition',
    partition: 3,
    applied: 97,
    logEnd: 120,
    guarantee: 'exactly-once' as const,
  };
  /** A clock moved by the sleeps only; the committed offsets the fetches return, in order. */
  function fake(answers: Array<number | null>) {
    let now = 0;
    const slept: number[] = [];
    let fetches = 0;
    return {
      slept,
      fetches: () => fetches,
      options: {
        fetchCommitted: async () => answers[Math.min(fetches++, answers.length - 1)]!,
        now: () => now,
        sleep: async (ms: number) => {
          slept.push(ms);
          now += ms;
        },
        settleMs: 5_000,
      },
    };
  }

  it('reads again while the offsets of a just-completed transaction are not visible yet, then returns them', async () => {
    const f = fake([null, 90, 98]);
    await expect(settledCommittedOffset(progress, f.options)).resolves.toBe(98);
    expect(f.slept).toEqual([50, 100]);
  });

  it('returns at once when the offset is already past the state, or when there is nothing to settle', async () => {
    const f = fake([98]);
    await expect(settledCommittedOffset(progress, f.options)).resolves.toBe(98);
    const atLeastOnce = fake([null]);
    await expect(
      settledCommittedOffset({ ...progress, guarantee: 'at-least-once' }, atLeastOnce.options),
    ).resolves.toBeNull();
    expect([f.fetches(), atLeastOnce.fetches()]).toEqual([1, 1]);
  });

  it('fails with TOPIC_MISMATCH once the offset stayed behind for settleMs (offsets reset or expired)', async () => {
    const f = fake([null]);
    await expect(settledCommittedOffset(progress, f.options)).rejects.toMatchObject({
      code: 'TRIB_PROC_TOPIC_MISMATCH',
    });
    expect(f.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5_000);
    expect(Math.max(...f.slept)).toBe(1_000);
  });

  it('does not wait on a log that ends before the state (a recreated topic cannot settle)', async () => {
    const f = fake([98]);
    await expect(settledCommittedOffset({ ...progress, logEnd: 90 }, f.options)).rejects.toMatchObject({
      code: 'TRIB_PROC_TOPIC_MISMATCH',
    });
    expect(f.slept).toEqual([]);
  });
});
