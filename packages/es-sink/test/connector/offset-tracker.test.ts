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

  it('reports when the oldest unacknowledged record was delivered, over all partitions (injected clock)', () => {
    let now = 1000;
    const tracker = new OffsetTracker(() => now);
    expect(tracker.oldestPendingSince()).toBeUndefined();
    const a = tracker.track(0, 1);
    now = 2000;
    const b = tracker.track(0, 2);
    const c = tracker.track(1, 7);
    now = 3000;
    const d = tracker.track(1, 8);
    expect(tracker.oldestPendingSince()).toBe(1000);
    tracker.ack(b); // not contiguous: record 1 still waits
    expect(tracker.oldestPendingSince()).toBe(1000);
    tracker.ack(a);
    expect(tracker.oldestPendingSince()).toBe(2000);
    tracker.ack(c);
    expect(tracker.oldestPendingSince()).toBe(3000);
    tracker.ack(d);
    expect(tracker.oldestPendingSince()).toBeUndefined();
    now = 4000;
    tracker.track(1, 9);
    tracker.retain([0]);
    expect(tracker.oldestPendingSince()).toBeUndefined();
  });

  it('keeps delivery times aligned with offsets when it compacts its arrays', () => {
    let now = 0;
    const tracker = new OffsetTracker(() => now);
    const tokens = Array.from({ length: 3000 }, (_, i) => {
      now = i;
      return tracker.track(0, i);
    });
    for (const token of tokens.slice(0, 2500)) tracker.ack(token);
    expect(tracker.oldestPendingSince()).toBe(2500);
    expect(tracker.pending).toBe(500);
  });
});
