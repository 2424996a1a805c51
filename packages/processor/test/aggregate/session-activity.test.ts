import { describe, expect, it } from 'vitest';
import { SESSION_PAGES_MAX_CHARS, sessionActivityAggregator } from '../../src/aggregate/session-activity.js';

describe('sessionActivityAggregator', () => {
  const agg = sessionActivityAggregator<{ p: string; t: number }>(
    (e) => e.p,
    (e) => e.t,
  );

  it('collects distinct pages in first-visit order, counts events, measures duration', () => {
    let acc = agg.create();
    for (const e of [
      { p: '/a', t: 100 },
      { p: '/b', t: 50 },
      { p: '/a', t: 300 },
    ])
      acc = agg.add(acc, e);
    expect(agg.result(acc)).toEqual({
      eventCount: 3,
      pages: ['/a', '/b'],
      firstEventMs: 50,
      lastEventMs: 300,
      durationMs: 250,
    });
  });

  it('merges two sessions and round-trips', () => {
    const a = agg.add(agg.create(), { p: '/x', t: 1000 });
    const b = agg.add(agg.add(agg.create(), { p: '/y', t: 10 }), { p: '/x', t: 20 });
    const m = agg.merge(a, b);
    expect(agg.result(m)).toMatchObject({ eventCount: 3, pages: ['/y', '/x'], durationMs: 990 });
    expect(agg.deserialize(agg.serialize(m))).toEqual(m);
  });

  it('lists at most SESSION_PAGES_MAX_CHARS of page URLs, flagging the rest (a bot cannot grow one session without bound)', () => {
    const agg = sessionActivityAggregator<{ page: string; ts: number }>(
      (e) => e.page,
      (e) => e.ts,
    );
    let acc = agg.create();
    for (let i = 0; i < 2_000; i++) acc = agg.add(acc, { page: `/${String(i).padStart(99, 'x')}`, ts: i });
    expect(acc.eventCount).toBe(2_000);
    expect(acc.pages.join('').length).toBeLessThanOrEqual(SESSION_PAGES_MAX_CHARS);
    expect(acc.pages).toHaveLength(Math.floor(SESSION_PAGES_MAX_CHARS / 100));
    expect(acc.pagesTruncated).toBe(true);
    const merged = agg.merge(acc, agg.add(agg.create(), { page: '/late', ts: 5_000 }));
    expect(merged.pagesTruncated).toBe(true);
    expect(agg.deserialize(agg.serialize(merged))).toEqual(merged);
    // A normal session is not flagged.
    expect(agg.add(agg.create(), { page: '/a', ts: 1 }).pagesTruncated).toBeUndefined();
  });
});
