import { describe, expect, it } from 'vitest';
import { EVENT_TIME_DEFAULTS } from '@tributary/schema';
import { PartitionWatermark, WatermarkCombiner } from '../../src/time/watermarks.js';

describe('PartitionWatermark', () => {
  it('is maxTs - B, −∞ before any event, and never goes back', () => {
    const w = new PartitionWatermark();
    expect(w.outOfOrdernessMs).toBe(EVENT_TIME_DEFAULTS.outOfOrdernessMs);
    expect(w.current).toBe(Number.NEGATIVE_INFINITY);
    w.observe(10_000);
    expect(w.current).toBe(5_000);
    w.observe(8_000);
    expect(w.current).toBe(5_000);
    w.observe(12_000);
    expect(w.current).toBe(7_000);
  });

  it('becomes idle after idleTimeout of processing time without events', () => {
    const w = new PartitionWatermark({ outOfOrdernessMs: 0, idleTimeoutMs: 100 });
    expect(w.isIdle(1000)).toBe(false); // starts the timer
    expect(w.isIdle(1099)).toBe(false);
    expect(w.isIdle(1100)).toBe(true);
    w.observe(5, 1100);
    expect(w.isIdle(1150)).toBe(false);
    expect(w.isIdle(1200)).toBe(true);
  });

  it('rejects bad options', () => {
    expect(() => new PartitionWatermark({ outOfOrdernessMs: -1 })).toThrow(/outOfOrdernessMs/);
    expect(() => new PartitionWatermark({ idleTimeoutMs: 0.5 })).toThrow(/idleTimeoutMs/);
  });
});

describe('WatermarkCombiner', () => {
  it('is the min across active inputs', () => {
    const c = new WatermarkCombiner({ inputs: 3, idleTimeoutMs: 1000 });
    c.update(0, 100, false, 0);
    c.update(1, 50, false, 0);
    expect(c.advance(0)).toBe(Number.NEGATIVE_INFINITY); // input 2 never reported, not idle yet
    c.update(2, 70, false, 10);
    expect(c.advance(10)).toBe(50);
    c.update(1, 200, false, 20);
    expect(c.advance(20)).toBe(70);
  });

  it('an input that never sent anything holds the watermark back until idle', () => {
    const c = new WatermarkCombiner({ inputs: 2, idleTimeoutMs: 1000 });
    c.update(0, 500, false, 0);
    expect(c.advance(0)).toBe(Number.NEGATIVE_INFINITY);
    c.update(0, 600, false, 999);
    expect(c.advance(999)).toBe(Number.NEGATIVE_INFINITY);
    expect(c.advance(1000)).toBe(600); // input 1 idle since the combiner started at 0
  });

  it('ignores inputs that report themselves idle and honours silence', () => {
    const c = new WatermarkCombiner({ inputs: 2, idleTimeoutMs: 1000 });
    c.update(0, 500, false, 0);
    c.update(1, 100, true, 0);
    expect(c.advance(0)).toBe(500);
    c.update(1, 100, false, 10);
    // never goes backwards although input 1 is active again
    expect(c.advance(10)).toBe(500);
    expect(c.isIdle(1, 1009)).toBe(false);
    expect(c.isIdle(1, 1010)).toBe(true);
  });

  it('when all inputs are idle it advances with the wall clock: now - B - idleTimeout (default mode)', () => {
    const c = new WatermarkCombiner({ inputs: 2, outOfOrdernessMs: 5000, idleTimeoutMs: 1000 });
    expect(c.idleAdvanceMode).toBe('wall-clock');
    c.update(0, 10_000, true, 0);
    c.update(1, 20_000, true, 0);
    expect(c.advance(0)).toBe(20_000); // max of idle inputs
    expect(c.advance(100_000)).toBe(100_000 - 5000 - 1000);
    expect(() => new WatermarkCombiner({ inputs: 1, idleAdvanceMode: 'x' as 'wall-clock' })).toThrow(
      /idleAdvanceMode/,
    );
  });

  it('data-anchored: when all inputs are idle, event time flows with the wall clock from where the data stopped', () => {
    const c = new WatermarkCombiner({
      inputs: 2,
      outOfOrdernessMs: 5000,
      idleTimeoutMs: 1000,
      idleAdvanceMode: 'data-anchored',
    });
    c.update(0, 10_000, false, 0);
    c.update(1, 20_000, false, 500); // last activity at 500
    expect(c.advance(500)).toBe(10_000);
    expect(c.advance(1500)).toBe(20_000); // all idle, M = 20000: 20000 + (1500 - 500) - 1000
    expect(c.advance(100_500)).toBe(20_000 + 100_000 - 1000);
    // historical event time does not jump to the present: the advance is relative to the data
    const h = new WatermarkCombiner({ inputs: 1, idleTimeoutMs: 1000, idleAdvanceMode: 'data-anchored' });
    h.update(0, 1_000, true, 1_700_000_000_000);
    expect(h.advance(1_700_000_060_000)).toBe(1_000 + 60_000 - 1000);
  });

  it('dataWatermark has no wall-clock term: min over active inputs, max over all when all are idle', () => {
    const c = new WatermarkCombiner({ inputs: 2, outOfOrdernessMs: 0, idleTimeoutMs: 100 });
    c.update(0, 10, false, 0);
    c.update(1, 30, false, 0);
    expect(c.dataWatermark(50)).toBe(10);
    expect(c.advance(1_000_000)).toBe(1_000_000 - 100);
    expect(c.dataWatermark(1_000_000)).toBe(30);
  });

  it('minimumOfAll ignores idleness; restore brings back state', () => {
    const c = new WatermarkCombiner({ inputs: 2 });
    c.update(0, 10, true);
    c.update(1, 30);
    expect(c.minimumOfAll).toBe(10);
    const d = new WatermarkCombiner({ inputs: 2 });
    d.restore(
      new Map([
        [0, 10],
        [1, 30],
      ]),
      25,
    );
    expect(d.watermarkOf(1)).toBe(30);
    expect(d.current).toBe(25);
    expect(d.advanceWithoutClock()).toBe(25);
  });

  it('validates inputs', () => {
    expect(() => new WatermarkCombiner({ inputs: 0 })).toThrow(/inputs must be a positive integer/);
    const c = new WatermarkCombiner({ inputs: 1 });
    expect(() => c.update(1, 0)).toThrow(/input must be an integer in \[0, 1\)/);
  });
});
