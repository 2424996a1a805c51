import { describe, expect, it } from 'vitest';
import { PacingSchedule } from '@tributary/producer';
import { OpenLoopRecorder } from '../../src/histograms/open-loop-recorder.js';
import { runOpenLoop, type ScheduledOperation } from '../../src/pacing/open-loop-pacer.js';
import { FakeClock } from './fake-clock.js';

describe('runOpenLoop', () => {
  it('issues every operation at its intended time on an idle clock and records no lag', async () => {
    const clock = new FakeClock(0);
    const schedule = new PacingSchedule(1000, 0, 15);
    const recorder = new OpenLoopRecorder();
    const issuedAt: number[] = [];
    const stats = await runOpenLoop({
      schedule,
      warmupMs: 5,
      clock,
      sleep: clock.sleep,
      recorder,
      issue: async () => {
        issuedAt.push(clock.now());
      },
    });
    expect(stats).toEqual({ issued: 15, completed: 15, failed: 0, measured: 10, aborted: false });
    expect(issuedAt).toEqual(Array.from({ length: 15 }, (_, i) => i));
    // Warm-up operations are issued but not recorded.
    expect(recorder.latency.totalCount).toBe(10);
    expect(recorder.scheduleLag.maxUs).toBe(0);
  });

  it('keeps the schedule through a stall: late operations carry the stall as lag and latency', async () => {
    const clock = new FakeClock(0);
    const schedule = new PacingSchedule(1000, 0, 10);
    const recorder = new OpenLoopRecorder();
    const issued: ScheduledOperation[] = [];
    await runOpenLoop({
      schedule,
      clock,
      sleep: clock.sleep,
      recorder,
      issue: async (op) => {
        issued.push(op);
        if (op.index === 2) clock.advance(5); // the sender blocks 5 ms while issuing op 2
      },
    });
    // Ops 3..7 were due during the stall and go out in one burst at t = 7 (op 2 was issued at t = 2).
    expect(issued).toHaveLength(10);
    expect(recorder.scheduleLag.maxUs).toBe(4000); // op 3: intended 3, issued 7
    expect(recorder.scheduleLag.valueAtPercentileUs(30)).toBe(0);
    // Op 2 completes at t = 7: 5 ms of latency although its own issue was on time.
    expect(recorder.latency.maxUs).toBe(5000);
    expect(recorder.serviceTime.maxUs).toBe(5000);
  });

  it('does not wait for completions (open loop) but caps operations in flight', async () => {
    const clock = new FakeClock(0);
    const schedule = new PacingSchedule(1000, 0, 6);
    const resolvers: (() => void)[] = [];
    let maxSeen = 0;
    let inFlight = 0;
    const run = runOpenLoop({
      schedule,
      clock,
      sleep: clock.sleep,
      maxInFlight: 2,
      issue: () =>
        new Promise<void>((resolve) => {
          inFlight++;
          maxSeen = Math.max(maxSeen, inFlight);
          resolvers.push(() => {
            inFlight--;
            resolve();
          });
        }),
    });
    // Nothing is acknowledged until the pacer blocks on the cap; then one ack per macrotask.
    const drain = setInterval(() => resolvers.shift()?.(), 0);
    const stats = await run;
    clearInterval(drain);
    expect(stats.issued).toBe(6);
    expect(stats.completed).toBe(6);
    expect(maxSeen).toBe(2);
  });

  it('counts failures and keeps the first error', async () => {
    const clock = new FakeClock(0);
    const schedule = new PacingSchedule(1000, 0, 3);
    const stats = await runOpenLoop({
      schedule,
      clock,
      sleep: clock.sleep,
      issue: async (op) => {
        if (op.index > 0) throw new Error(`boom ${op.index}`);
      },
    });
    expect(stats.failed).toBe(2);
    expect(stats.completed).toBe(1);
    expect((stats.firstError as Error).message).toBe('boom 1');
  });

  it('stops on abort', async () => {
    const clock = new FakeClock(0);
    const schedule = new PacingSchedule(1000, 0, 100);
    const controller = new AbortController();
    const stats = await runOpenLoop({
      schedule,
      clock,
      sleep: clock.sleep,
      signal: controller.signal,
      issue: async (op) => {
        if (op.index === 9) controller.abort();
      },
    });
    expect(stats.aborted).toBe(true);
    expect(stats.issued).toBe(10);
  });

  it('validates maxInFlight', async () => {
    const clock = new FakeClock(0);
    const schedule = new PacingSchedule(1, 0, 1);
    await expect(
      runOpenLoop({ schedule, clock, sleep: clock.sleep, issue: async () => {}, maxInFlight: 0 }),
    ).rejects.toThrow(/^maxInFlight must be an integer >= 1/);
  });

  it('excludes the warm-up (operations intended before start + warmupMs) from the measured operations', async () => {
    const clock = new FakeClock(0);
    const issued: ScheduledOperation[] = [];
    const stats = await runOpenLoop({
      schedule: new PacingSchedule(100, 0, 250),
      warmupMs: 500,
      clock,
      sleep: clock.sleep,
      issue: async (op) => {
        issued.push(op);
      },
    });
    expect(stats).toMatchObject({ issued: 250, measured: 200 });
    expect(issued[49]).toEqual({ index: 49, intendedMs: 490, warmup: true });
    expect(issued[50]).toEqual({ index: 50, intendedMs: 500, warmup: false });
    expect(issued.filter((op) => op.warmup)).toHaveLength(50);
  });

  it('validates warmupMs', async () => {
    const clock = new FakeClock(0);
    const schedule = new PacingSchedule(1, 0, 1);
    await expect(
      runOpenLoop({ schedule, clock, sleep: clock.sleep, issue: async () => {}, warmupMs: Number.NaN }),
    ).rejects.toThrow(/^warmupMs must be/);
  });
});
