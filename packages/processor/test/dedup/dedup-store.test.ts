import { describe, expect, it } from 'vitest';
import { DEDUP_DEFAULTS, DedupStore } from '../../src/dedup/dedup-store.js';

describe('DedupStore', () => {
  it('defaults to a 10 minute TTL', () => {
    expect(new DedupStore({ name: 'd' }).ttlMs).toBe(DEDUP_DEFAULTS.ttlMs);
    expect(DEDUP_DEFAULTS.ttlMs).toBe(600_000);
  });

  it('a second occurrence at another offset is a duplicate until wm >= ts_of_first + ttl', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 1000 });
    expect(d.check('e1', '5', 0)).toBe('new');
    d.accept('e1', '5', 10_000);
    expect(d.check('e1', '9', 10_999)).toBe('duplicate');
    expect(d.check('e1', '9', 11_000)).toBe('new'); // expired (verdict independent of physical eviction)
  });

  it('the same id at the same offset is a replay, not a duplicate', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 1000 });
    d.accept('e1', '42', 10_000);
    expect(d.check('e1', '42', 10_000)).toBe('replay');
    expect(d.check('e1', '43', 10_000)).toBe('duplicate');
  });

  it('evicts by watermark and checkpoints through the changelog', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 1000 });
    d.accept('a', '1', 100);
    d.accept('b', '2', 500);
    const log = d.drainChangelog();
    expect(log.map((e) => e.key)).toEqual(['a', 'b']);
    const restored = new DedupStore({ name: 'd', ttlMs: 1000 });
    for (const e of log) restored.restoreEntry(e);
    expect(restored.check('b', '3', 600)).toBe('duplicate');
    expect(restored.check('b', '2', 600)).toBe('replay');
    expect(restored.expire(1100)).toBe(1);
    expect(restored.size.entries).toBe(1);
    expect(restored.drainChangelog()).toEqual([{ store: 'd', key: 'a', value: null }]);
  });

  it('rejects a bad ttl naming dedupTtlMs', () => {
    expect(() => new DedupStore({ name: 'd', ttlMs: 0 })).toThrow(/dedupTtlMs must be a positive integer/);
  });
});
