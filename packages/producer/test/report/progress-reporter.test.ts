import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ProgressReporter } from '../../src/report/progress-reporter.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ProgressReporter', () => {
  it('prints a line per interval with the interval rate and p99s, then resets them', () => {
    vi.useFakeTimers();
    const clock = new ManualClock(0);
    const lines: string[] = [];
    const reporter = new ProgressReporter(5000, clock, (line) => lines.push(line));
    const counters = { sent: 0, acked: 0, errors: 0 };
    reporter.start(0, () => counters);
    expect(reporter.active).toBe(true);
    for (let i = 0; i < 100; i++) reporter.recordLatencyMs(i < 99 ? 2 : 40);
    reporter.recordLagMs(1);
    counters.sent = 50_000;
    counters.acked = 49_000;
    clock.advance(5000);
    vi.advanceTimersByTime(5000);
    counters.sent = 60_000;
    clock.advance(5000);
    vi.advanceTimersByTime(5000);
    reporter.stop();
    expect(lines).toEqual([
      '[5.0s] 10000.0 records/sec, sent 50000, acked 49000, errors 0, p99 ack latency 2.0 ms, p99 schedule lag 1.0 ms',
      '[10.0s] 2000.0 records/sec, sent 60000, acked 49000, errors 0, p99 ack latency 0.0 ms, p99 schedule lag 0.0 ms',
    ]);
    expect(reporter.active).toBe(false);
  });

  it('stays idle without a listener or with interval 0', () => {
    const idle = new ProgressReporter(1000, new ManualClock(), undefined);
    idle.start(0, () => ({ sent: 0, acked: 0, errors: 0 }));
    expect(idle.active).toBe(false);
    const off = new ProgressReporter(0, new ManualClock(), () => undefined);
    off.start(0, () => ({ sent: 0, acked: 0, errors: 0 }));
    expect(off.active).toBe(false);
  });
});
