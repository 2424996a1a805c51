import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetryPolicy } from '../../src/retry/retry-policy.js';
import { RetryScheduler } from '../../src/retry/retry-scheduler.js';

afterEach(() => {
  vi.useRealTimers();
});

function setup(random = 0.5, deadlineMs = 5000) {
  let now = 1000;
  const policy = new RetryPolicy({ initialDelayMs: 100, maxDelayMs: 10_000, deadlineMs }, () => random);
  const scheduler = new RetryScheduler<{ id: string; firstAttemptAt: number | undefined; retries: number }>(
    policy,
    deadlineMs,
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

  it('without a deadline never expires a document, and stays bounded over a long outage', () => {
    vi.useFakeTimers();
    const { scheduler, advance } = setup(0.99, 0);
    // Three requests of 4 documents keep failing for a simulated week: each failure re-schedules the same
    // documents (same objects) as one group, so groups and documents waiting never exceed what is outstanding.
    type Doc = { id: string; firstAttemptAt: number | undefined; retries: number };
    const docs: Doc[] = Array.from({ length: 12 }, (_, i) => ({
      id: `d${i}`,
      firstAttemptAt: 1000,
      retries: 0,
    }));
    const groups = [docs.slice(0, 4), docs.slice(4, 8), docs.slice(8)];
    let fired = 0;
    const fail = (group: Doc[]): void => {
      const result = scheduler.schedule(group, (kept) => {
        fired++;
        advance(result.delayMs);
        fail(kept);
      });
      expect(result.expired).toEqual([]);
      expect(result.kept.every((doc, i) => doc === group[i])).toBe(true);
    };
    for (const group of groups) fail(group);
    let maxGroups = 0;
    let maxItems = 0;
    for (let i = 0; i < 2000; i++) {
      vi.advanceTimersByTime(10_000);
      maxGroups = Math.max(maxGroups, scheduler.waiting);
      maxItems = Math.max(maxItems, scheduler.waitingItems);
    }
    expect(fired).toBeGreaterThan(3 * 1000);
    expect(maxGroups).toBe(3);
    expect(maxItems).toBe(12);
    expect(docs.every((d) => d.retries > 1000)).toBe(true);
    scheduler.clear();
    expect([scheduler.waiting, scheduler.waitingItems]).toEqual([0, 0]);
  });
});
