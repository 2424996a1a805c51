import { describe, expect, it } from 'vitest';
import {
  NO_RETRY_DEADLINE,
  RETRY_DEADLINE_EXCEEDED,
  RetryPolicy,
  deadlinePassed,
} from '../../src/retry/retry-policy.js';

const options = { initialDelayMs: 100, maxDelayMs: 30_000, deadlineMs: 300_000 };

describe('RetryPolicy', () => {
  it('doubles the backoff window per attempt up to the cap', () => {
    const policy = new RetryPolicy(options);
    expect([1, 2, 3, 4].map((a) => policy.windowMs(a))).toEqual([100, 200, 400, 800]);
    expect(policy.windowMs(20)).toBe(30_000);
    expect(policy.windowMs(10_000)).toBe(30_000);
  });

  it('draws the delay uniformly from the whole window (full jitter)', () => {
    const draws = [0, 0.5, 0.999];
    const policy = new RetryPolicy(options, () => draws.shift() ?? 0);
    expect(policy.decide(3, 0, 0)).toEqual({ retry: true, delayMs: 0 });
    expect(policy.decide(3, 0, 0)).toEqual({ retry: true, delayMs: 200 });
    expect(policy.decide(3, 0, 0)).toEqual({ retry: true, delayMs: 399 });
  });

  it('never schedules past the deadline and gives up once it has passed', () => {
    const policy = new RetryPolicy(options, () => 0.99);
    expect(policy.decide(20, 0, 299_990)).toEqual({ retry: true, delayMs: 10 });
    expect(policy.decide(1, 0, 300_000)).toEqual({ retry: false, reason: RETRY_DEADLINE_EXCEEDED });
  });

  it('without a deadline (0) retries for ever, with the full capped window', () => {
    const policy = new RetryPolicy({ ...options, deadlineMs: NO_RETRY_DEADLINE }, () => 0.99);
    const week = 7 * 24 * 3_600_000;
    expect(policy.decide(1, 0, week)).toEqual({ retry: true, delayMs: 99 });
    expect(policy.decide(10_000, 0, 100 * week)).toEqual({ retry: true, delayMs: 29_700 });
    expect(deadlinePassed(NO_RETRY_DEADLINE, 0, Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(deadlinePassed(1000, 0, 999)).toBe(false);
    expect(deadlinePassed(1000, 0, 1000)).toBe(true);
  });
});
