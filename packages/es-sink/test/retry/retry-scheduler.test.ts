import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetryPolicy } from '../../src/retry/retry-policy.js';
import { RetryScheduler } from '../../src/retry/retry-scheduler.js';

afterEach(() => {
  vi.useRealTimers();
});

function setup(random = 0.5) {
  let now = 1000;
  const policy = new RetryPolicy({ initialDelayMs: 100, maxDelayMs: 10_000, deadlineMs: 5000 }, () => random);
  const scheduler = new RetryScheduler<{ id: string; firstAttemptAt: number | undefined; retries: number }>(
    policy,
    5000,
    () => now,
  );
  return { scheduler, advance: (ms: number) => (now += ms) };
}

describe('RetryScheduler', () => {
  it('retries a group together, backing off by its largest attempt number', () => {
    vi.useFakeTimers();
    const { scheduler } = setup();
    const fired: string[][] = [];
    const a = { id: 'a', firstAttemptAt: 1000, retries: 0 };
    const b = { id: 'b', firstAttemptAt: 900, retries: 2 };
    const result = scheduler.schedule([a, b], (kept) => fired.push(kept.map((k) => k.id)));
    expect(result).toMatchObject({ expired: [], attempt: 3, delayMs: 200 });
    expect([a.retries, b.retries]).toEqual([1, 3]);
    expect(scheduler.waiting).toBe(1);
    vi.advanceTimersByTime(199);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([['a', 'b']]);
    expect(scheduler.waiting).toBe(0);
  });

  it('returns documents past their deadline as expired and caps the delay at the earliest deadline', () => {
    vi.useFakeTimers();
    const { scheduler, advance } = setup(0.99);
    advance(4990);
    const old = { id: 'old', firstAttemptAt: 0, retries: 9 };
    const young = { id: 'young', firstAttemptAt: 1000, retries: 9 };
    const result = scheduler.schedule([old, young], () => undefined);
    expect(result.expired).toEqual([old]);
    expect(result.kept).toEqual([young]);
    expect(result.delayMs).toBe(10);
  });

  it('clear() cancels pending retries', () => {
    vi.useFakeTimers();
    const { scheduler } = setup();
    let fired = false;
    scheduler.schedule([{ id: 'a', firstAttemptAt: 1000, retries: 0 }], () => (fired = true));
    scheduler.clear();
    vi.advanceTimersByTime(60_000);
    expect(fired).toBe(false);
    expect(scheduler.waiting).toBe(0);
  });
});
