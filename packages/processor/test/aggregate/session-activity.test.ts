import { describe, expect, it } from 'vitest';
import { sessionActivityAggregator } from '../../src/aggregate/session-activity.js';

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
});
