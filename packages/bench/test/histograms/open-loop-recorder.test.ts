import { describe, expect, it } from 'vitest';
import { OpenLoopRecorder } from '../../src/histograms/open-loop-recorder.js';

/** HDR values are reported as the highest value equivalent at 3 significant digits: at most 0.1 % above. */
function expectHdr(actual: number, exact: number): void {
  expect(actual).toBeGreaterThanOrEqual(exact);
  expect(actual).toBeLessThanOrEqual(exact * 1.001 + 1);
}

describe('OpenLoopRecorder', () => {
  it('measures latency from the intended time and keeps schedule lag separate', () => {
    const r = new OpenLoopRecorder();
    // Intended every 10 ms; the sender stalls until 60 ms, so operations 2–4 all start late.
    const ops = [
      { intended: 0, start: 0, done: 2 },
      { intended: 10, start: 60, done: 62 },
      { intended: 20, start: 60, done: 62 },
      { intended: 30, start: 60, done: 62 },
    ];
    for (const op of ops) {
      r.recordStart(op.intended, op.start);
      r.recordCompletion(op.intended, op.start, op.done);
    }
    // Service time (closed-loop view) says every op took 2 ms; latency shows the stall.
    expect(r.serviceTime.maxUs).toBe(2000);
    expectHdr(r.latency.maxUs, 52_000);
    // Latencies sorted: 2, 32, 42, 52 ms; the median is the 2nd value.
    expectHdr(r.latency.valueAtPercentileUs(50), 32_000);
    expectHdr(r.scheduleLag.maxUs, 50_000);
    expect(r.scheduleLag.valueAtPercentileUs(25)).toBe(0);
    expect(r.latency.totalCount).toBe(4);
  });

  it('merges workers and survives the base64 transfer', () => {
    const a = new OpenLoopRecorder();
    const b = new OpenLoopRecorder();
    a.recordStart(0, 1);
    a.recordCompletion(0, 1, 3);
    b.recordStart(0, 0);
    b.recordCompletion(0, 0, 7);
    const moved = OpenLoopRecorder.decode(b.encode());
    a.add(moved);
    expect(a.latency.totalCount).toBe(2);
    expectHdr(a.latency.maxUs, 7000);
    expect(a.scheduleLag.maxUs).toBe(1000);
    a.destroy();
    moved.destroy();
  });
});
