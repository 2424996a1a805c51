import { describe, expect, it } from 'vitest';
import { OffsetTracker } from '../../src/connector/offset-tracker.js';

describe('OffsetTracker', () => {
  it('commits only up to the highest CONTIGUOUS acknowledged offset, per partition', () => {
    const tracker = new OffsetTracker();
    const t = [0, 1, 2, 3].map((o) => tracker.track(0, o));
    const other = tracker.track(1, 40);
    tracker.ack(t[1]!);
    tracker.ack(t[3]!);
    expect(tracker.committable()).toEqual([]);
    tracker.ack(t[0]!);
    expect(tracker.committable()).toEqual([{ partition: 0, offset: 2 }]);
    tracker.ack(t[2]!);
    tracker.ack(other);
    expect(tracker.committable()).toEqual([
      { partition: 0, offset: 4 },
      { partition: 1, offset: 41 },
    ]);
    expect(tracker.pending).toBe(0);
  });

  it('handles offset gaps (transaction markers) and reports only moved partitions after a commit', () => {
    const tracker = new OffsetTracker();
    const a = tracker.track(0, 10);
    const b = tracker.track(0, 12);
    tracker.ack(a);
    tracker.ack(b);
    expect(tracker.committable()).toEqual([{ partition: 0, offset: 13 }]);
    tracker.markCommitted(0, 13);
    expect(tracker.committable()).toEqual([]);
  });

  it('ignores acks from before a reset (seek or revoked partition)', () => {
    const tracker = new OffsetTracker();
    const old = tracker.track(0, 5);
    tracker.track(0, 6);
    const fresh = tracker.track(0, 5);
    expect(tracker.pending).toBe(1);
    tracker.ack(old);
    expect(tracker.committable()).toEqual([]);
    tracker.ack(fresh);
    expect(tracker.committable()).toEqual([{ partition: 0, offset: 6 }]);
    tracker.track(1, 0);
    tracker.retain([0]);
    expect(tracker.pending).toBe(0);
    expect(tracker.committable().map((c) => c.partition)).toEqual([0]);
  });

  it('counts a double ack once', () => {
    const tracker = new OffsetTracker();
    const a = tracker.track(0, 1);
    tracker.track(0, 2);
    tracker.ack(a);
    tracker.ack(a);
    expect(tracker.pending).toBe(1);
  });
});
