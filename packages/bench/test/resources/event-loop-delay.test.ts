import { describe, expect, it } from 'vitest';
import { EventLoopDelayMonitor, eventLoopDelayFigures } from '../../src/resources/event-loop-delay.js';

describe('eventLoopDelayFigures', () => {
  it('converts the ns histogram of monitorEventLoopDelay to ms', () => {
    const fake = {
      count: 300,
      max: 48_000_000,
      percentile: (p: number) => (p === 50 ? 10_100_000 : p === 99 ? 20_500_000 : Number.NaN),
    };
    expect(eventLoopDelayFigures(fake)).toEqual({ p50: 10.1, p99: 20.5, max: 48, samples: 300 });
  });

  it('is null without samples', () => {
    expect(eventLoopDelayFigures({ count: 0, max: 0, percentile: () => 0 })).toBeNull();
  });
});

describe('EventLoopDelayMonitor', () => {
  it('sees a blocked event loop', async () => {
    const monitor = new EventLoopDelayMonitor(1);
    await new Promise((r) => setTimeout(r, 20));
    const until = performance.now() + 60;
    while (performance.now() < until) {
      // Block the loop for 60 ms.
    }
    await new Promise((r) => setTimeout(r, 20));
    const f = monitor.figures();
    monitor.stop();
    expect(f).not.toBeNull();
    expect(f!.max).toBeGreaterThanOrEqual(50);
    expect(f!.p50).toBeLessThanOrEqual(f!.p99);
    expect(f!.p99).toBeLessThanOrEqual(f!.max);
  });
});
