import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../src/retry/adaptive-concurrency.js';

const base = { initial: 4, min: 1, max: 8, latencyFactor: 2 };

describe('ConcurrencyLimit', () => {
  it('stays fixed when not adaptive', () => {
    const limit = new ConcurrencyLimit({ ...base, adaptive: false });
    limit.onOverload();
    for (let i = 0; i < 50; i++) limit.onSuccess(10);
    expect(limit.limit).toBe(4);
  });

  it('halves on overload, at most once per window, never below min', () => {
    const limit = new ConcurrencyLimit({ ...base, adaptive: true });
    limit.onOverload();
    expect(limit.limit).toBe(2);
    limit.onOverload();
    expect(limit.limit).toBe(2);
    limit.onOverload();
    limit.onOverload();
    expect(limit.limit).toBe(1);
    for (let i = 0; i < 10; i++) limit.onOverload();
    expect(limit.limit).toBe(1);
  });

  it('grows by about one per round trip of successes, up to max', () => {
    const limit = new ConcurrencyLimit({ ...base, adaptive: true });
    for (let i = 0; i < 5; i++) limit.onSuccess(10);
    expect(limit.limit).toBe(5);
    for (let i = 0; i < 200; i++) limit.onSuccess(10);
    expect(limit.limit).toBe(8);
  });

  it('backs off when latency rises well above the smoothed baseline', () => {
    const limit = new ConcurrencyLimit({ ...base, initial: 8, adaptive: true });
    for (let i = 0; i < 10; i++) limit.onSuccess(10);
    limit.onSuccess(100);
    expect(limit.limit).toBe(4);
  });
});
