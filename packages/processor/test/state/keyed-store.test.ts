import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../../src/state/codec.js';
import { KeyedStore } from '../../src/state/keyed-store.js';

interface V {
  n: number;
  until: number;
}

function store(): KeyedStore<V> {
  return new KeyedStore<V>({ name: 'counts', codec: jsonCodec<V>(), expiresAt: (v) => v.until });
}

describe('KeyedStore', () => {
  it('tracks dirty keys and drains the latest value per key, tombstones for deletes', () => {
    const s = store();
    s.set('a', { n: 1, until: 100 });
    s.set('a', { n: 2, until: 100 });
    s.set('b', { n: 1, until: 100 });
    s.delete('b');
    const entries = s.drainChangelog();
    expect(entries).toEqual([
      { store: 'counts', key: 'a', value: Buffer.from(JSON.stringify({ n: 2, until: 100 })) },
      { store: 'counts', key: 'b', value: null },
    ]);
    expect(s.dirty).toBe(false);
    expect(s.drainChangelog()).toEqual([]);
  });

  it('touch marks in-place mutations dirty', () => {
    const s = store();
    s.set('a', { n: 1, until: 100 });
    s.drainChangelog();
    s.get('a')!.n = 5;
    s.touch('a');
    expect(s.drainChangelog()[0]!.value!.toString()).toContain('"n":5');
  });

  it('restores from entries (last per key wins, tombstones delete) and ignores other stores', () => {
    const s = store();
    s.restoreEntry({ store: 'counts', key: 'a', value: Buffer.from('{"n":1,"until":10}') });
    s.restoreEntry({ store: 'counts', key: 'a', value: Buffer.from('{"n":3,"until":10}') });
    s.restoreEntry({ store: 'counts', key: 'b', value: Buffer.from('{"n":1,"until":10}') });
    s.restoreEntry({ store: 'counts', key: 'b', value: null });
    s.restoreEntry({ store: 'other', key: 'c', value: Buffer.from('{"n":1,"until":10}') });
    expect([...s.keys()]).toEqual(['a']);
    expect(s.get('a')).toEqual({ n: 3, until: 10 });
    expect(s.dirty).toBe(false);
    expect(s.size.entries).toBe(1);
    expect(s.size.approxBytes).toBeGreaterThan(0);
  });

  it('a corrupt entry fails restore with TRIB_PROC_STATE_CORRUPT', () => {
    const s = store();
    expect(() => s.restoreEntry({ store: 'counts', key: 'x', value: Buffer.from('{nope') })).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_STATE_CORRUPT' }),
    );
  });

  it('evicts entries once the watermark reaches their expiry, producing tombstones', () => {
    const s = store();
    s.set('early', { n: 1, until: 100 });
    s.set('late', { n: 1, until: 200 });
    s.set('moved', { n: 1, until: 100 });
    s.set('moved', { n: 2, until: 300 }); // rescheduled
    s.drainChangelog();
    expect(s.expire(99)).toEqual([]);
    expect(s.expire(100).map(([k]) => k)).toEqual(['early']);
    expect(s.expire(250).map(([k]) => k)).toEqual(['late']);
    expect([...s.keys()]).toEqual(['moved']);
    expect(s.drainChangelog()).toEqual([
      { store: 'counts', key: 'early', value: null },
      { store: 'counts', key: 'late', value: null },
    ]);
  });

  it('TTL survives restore (expiry derived from the value)', () => {
    const s = store();
    s.restoreEntry({ store: 'counts', key: 'a', value: Buffer.from('{"n":1,"until":10}') });
    expect(s.expire(10)).toHaveLength(1);
    expect(s.size.entries).toBe(0);
  });

  it('exposes size as entries × the mean encoded entry size', () => {
    const s = store();
    s.set('k1', { n: 1, until: 1 });
    s.set('k2', { n: 1, until: 1 });
    expect(s.size).toEqual({ entries: 2, approxBytes: 0 }); // nothing encoded yet
    s.drainChangelog();
    const entry = Buffer.byteLength('{"n":1,"until":1}') + 4;
    expect(s.size).toEqual({ entries: 2, approxBytes: 2 * entry });
    s.delete('k1');
    s.drainChangelog();
    expect(s.size).toEqual({ entries: 1, approxBytes: entry });
  });

  it('rejects an empty name', () => {
    expect(() => new KeyedStore({ name: '', codec: jsonCodec() })).toThrow(/name must be a non-empty string/);
  });

  it('markDirty marks an in-place mutation dirty without rescheduling its expiry, and ignores absent keys', () => {
    const s = store();
    s.set('a', { n: 1, until: 100 });
    s.drainChangelog();
    s.get('a')!.n = 2;
    s.markDirty('a');
    s.markDirty('missing');
    expect(s.drainChangelog().map((e) => e.key)).toEqual(['a']);
    expect(s.expire(100).map(([k]) => k)).toEqual(['a']);
  });
});
