import { describe, expect, it } from 'vitest';
import { clickstreamAggregator } from '../../src/aggregate/clickstream.js';

describe('clickstreamAggregator', () => {
  const agg = clickstreamAggregator<{ eventType: string }>();

  it('counts clicks and views, ignores other types', () => {
    let acc = agg.create();
    for (const t of ['CLICK', 'VIEW', 'VIEW', 'SCROLL', 'CLICK', 'VIEW'])
      acc = agg.add(acc, { eventType: t });
    expect(agg.result(acc)).toEqual({ clickCount: 2, viewCount: 3 });
  });

  it('merges and round-trips through 16 bytes', () => {
    const a = agg.add(agg.create(), { eventType: 'CLICK' });
    const b = agg.add(agg.add(agg.create(), { eventType: 'VIEW' }), { eventType: 'CLICK' });
    const m = agg.merge(a, b);
    expect(m).toEqual({ clickCount: 2, viewCount: 1 });
    const bytes = agg.serialize(m);
    expect(bytes.length).toBe(16);
    expect(agg.deserialize(bytes)).toEqual(m);
    expect(() => agg.deserialize(Buffer.alloc(3))).toThrow(/16 bytes/);
  });
});
