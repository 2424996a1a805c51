import { describe, expect, it } from 'vitest';
import { rng } from '../engine/fixtures.js';
import { DEDUP_DEFAULTS, DedupStore } from '../../src/dedup/dedup-store.js';
import type { ChangelogEntry } from '../../src/task/partition-task.js';

describe('DedupStore', () => {
  it('defaults to a 10 minute TTL', () => {
    expect(new DedupStore({ name: 'd' }).ttlMs).toBe(DEDUP_DEFAULTS.ttlMs);
    expect(DEDUP_DEFAULTS.ttlMs).toBe(600_000);
  });

  it('a second occurrence at another offset is a duplicate until wm >= ts_of_first + ttl', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 1000 });
    expect(d.check('e1', 5, 0)).toBe('new');
    d.accept('e1', 5, 10_000);
    expect(d.check('e1', 9, 10_999)).toBe('duplicate');
    expect(d.check('e1', 9, 11_000)).toBe('new'); // expired (verdict independent of physical eviction)
  });

  it('the same id at the same offset is a replay, not a duplicate', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 1000 });
    d.accept('e1', 42, 10_000);
    expect(d.check('e1', 42, 10_000)).toBe('replay');
    expect(d.check('e1', 43, 10_000)).toBe('duplicate');
  });

  it('evicts by watermark and checkpoints through the changelog', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 1000 });
    d.accept('a', 1, 100);
    d.accept('b', 2, 500);
    const log = d.drainChangelog();
    expect(log.map((e) => e.key)).toEqual(['a', 'b']);
    const restored = new DedupStore({ name: 'd', ttlMs: 1000 });
    for (const e of log) restored.restoreEntry(e);
    expect(restored.check('b', 3, 600)).toBe('duplicate');
    expect(restored.check('b', 2, 600)).toBe('replay');
    expect(restored.expire(1100)).toBe(1);
    expect(restored.size.entries).toBe(1);
    expect(restored.drainChangelog()).toEqual([{ store: 'd', key: 'a', value: null }]);
  });

  it('rejects a bad ttl naming dedupTtlMs', () => {
    expect(() => new DedupStore({ name: 'd', ttlMs: 0 })).toThrow(/dedupTtlMs must be a positive integer/);
  });

  it('defaults the bucket to ttl / 60000 (at least 1 ms) and rejects bad bucket and entry-size options', () => {
    expect(new DedupStore({ name: 'd' }).bucketMs).toBe(500);
    expect(new DedupStore({ name: 'd', ttlMs: 1000 }).bucketMs).toBe(1);
    expect(new DedupStore({ name: 'd', ttlMs: 60_000 }).bucketMs).toBe(50);
    expect(DEDUP_DEFAULTS.maxEntryBytes).toBe(65_536);
    expect(() => new DedupStore({ name: 'd', bucketMs: 0 })).toThrow(
      /dedupBucketMs must be a positive integer/,
    );
    expect(() => new DedupStore({ name: 'd', maxEntryBytes: -1 })).toThrow(
      /dedupMaxEntryBytes must be a positive integer/,
    );
  });

  it('writes one changelog record per changed bucket, not one per id', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 60_000, bucketMs: 1_000 });
    for (let i = 0; i < 100; i++) d.accept(`id${i}`, i, 10_000 + i * 20); // buckets 10 and 11
    const first = d.drainChangelog();
    expect(first.map((e) => e.key)).toEqual(['id0', 'id50']);
    expect(d.drainChangelog()).toEqual([]);
    d.accept('late', 100, 10_999); // only bucket 10 changed
    const second = d.drainChangelog();
    expect(second.map((e) => e.key)).toEqual(['id0']);
    const restored = new DedupStore({ name: 'd', ttlMs: 60_000, bucketMs: 1_000 });
    for (const e of [...first, ...second]) restored.restoreEntry(e);
    expect(restored.size.entries).toBe(101);
    expect(restored.check('id7', 7, 0)).toBe('replay');
    expect(restored.check('id7', 8, 0)).toBe('duplicate');
    expect(restored.check('late', 100, 0)).toBe('replay');
    expect(restored.check('other', 1, 0)).toBe('new');
  });

  it('evicts a bucket as a whole with one tombstone once its newest id expired; verdicts stay per id', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 1_000, bucketMs: 100 });
    d.accept('a', 1, 100);
    d.accept('b', 2, 150);
    d.drainChangelog();
    expect(d.check('a', 9, 1_100)).toBe('new'); // a expired though its bucket is still held for b
    expect(d.expire(1_100)).toBe(0);
    expect(d.expire(1_150)).toBe(2);
    expect(d.size.entries).toBe(0);
    expect(d.drainChangelog()).toEqual([{ store: 'd', key: 'a', value: null }]);
  });

  it('splits a bucket into records of about maxEntryBytes', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 60_000, bucketMs: 60_000, maxEntryBytes: 300 });
    for (let i = 0; i < 50; i++) d.accept(`event-${i}`, i, 1_000);
    const log = d.drainChangelog();
    expect(log).toHaveLength(5); // 11 ids of 28 encoded bytes reach 300 bytes
    for (const e of log) expect(e.value!.length).toBeLessThanOrEqual(300 + 28);
    const restored = new DedupStore({ name: 'd', ttlMs: 60_000, bucketMs: 60_000, maxEntryBytes: 300 });
    for (const e of log) restored.restoreEntry(e);
    expect(restored.size.entries).toBe(50);
    for (let i = 0; i < 50; i++) expect(restored.check(`event-${i}`, i, 0)).toBe('replay');
  });

  it('a re-accepted expired id moves to its new bucket; the old bucket is rewritten or tombstoned', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 1_000, bucketMs: 100 });
    d.accept('x', 1, 100);
    d.accept('y', 2, 110);
    d.accept('solo', 3, 250);
    const first = d.drainChangelog();
    d.accept('x', 10, 1_500); // x expired at 1_100; the key 'x' stays with its first bucket (still holds y)
    d.accept('solo', 11, 1_600); // its first bucket is now empty
    const second = d.drainChangelog();
    expect(second.map((e) => [e.key, e.value === null ? 'tombstone' : 'value'])).toEqual([
      ['x', 'value'],
      ['x\u000015\u00000', 'value'],
      ['solo', 'tombstone'],
      ['solo\u000016\u00000', 'value'],
    ]);
    const compacted = new Map([...first, ...second].map((e) => [e.key, e]));
    for (const log of [[...first, ...second], [...compacted.values()]]) {
      const r = new DedupStore({ name: 'd', ttlMs: 1_000, bucketMs: 100 });
      for (const e of log) r.restoreEntry(e);
      expect(r.size.entries).toBe(3);
      expect([r.check('x', 10, 1_500), r.check('y', 2, 1_000), r.check('solo', 11, 1_600)]).toEqual([
        'replay',
        'replay',
        'replay',
      ]);
      expect(r.check('x', 1, 1_500)).toBe('duplicate');
    }
  });

  it('restores a legacy one-id-per-record changelog and fails on a corrupt record', () => {
    const legacy = Buffer.alloc(16);
    legacy.writeDoubleBE(500, 0);
    legacy.writeDoubleBE(3, 8);
    const d = new DedupStore({ name: 'd', ttlMs: 1_000 });
    d.restoreEntry({ store: 'd', key: 'old', value: legacy });
    d.restoreEntry({ store: 'other', key: 'ignored', value: Buffer.alloc(3) });
    expect(d.check('old', 3, 600)).toBe('replay');
    expect(d.expire(1_500)).toBe(1);
    expect(() => d.restoreEntry({ store: 'd', key: 'bad', value: Buffer.from([7, 7, 7]) })).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_STATE_CORRUPT' }),
    );
  });

  it('restore from any checkpoint gives the verdicts of the live store (random workload, compacted log)', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const opts = { name: 'd', ttlMs: 2_000, bucketMs: 50, maxEntryBytes: 200 };
    const live = new DedupStore(opts);
    const log = new Map<string, { store: string; key: string; value: Buffer | null }>();
    let wm = 0;
    for (let offset = 0; offset < 3_000; offset++) {
      const id = `e${rand(400)}`;
      const ts = offset * 2 + rand(300);
      const verdict = live.check(id, offset, wm);
      if (verdict === 'new') live.accept(id, offset, ts);
      wm = Math.max(wm, ts - 100);
      live.expire(wm);
      if (rand(10) === 0) {
        for (const e of live.drainChangelog()) {
          log.delete(e.key); // compaction keeps the latest record per key, in the order of the latest write
          log.set(e.key, e);
        }
        const restored = new DedupStore(opts);
        for (const e of log.values()) restored.restoreEntry(e);
        for (let probe = 0; probe < 20; probe++) {
          const pid = `e${rand(400)}`;
          const at = rand(offset + 1);
          expect(restored.check(pid, at, wm)).toBe(live.check(pid, at, wm));
        }
      }
    }
  });

  it('checkAndAccept gives the verdicts of check and records like accept, except duplicates', () => {
    const a = new DedupStore({ name: 'd', ttlMs: 1_000, bucketMs: 100 });
    const b = new DedupStore({ name: 'd', ttlMs: 1_000, bucketMs: 100 });
    const steps: Array<[string, number, number, number]> = [
      ['e1', 1, 0, 10],
      ['e1', 2, 500, 20], // duplicate
      ['e1', 1, 500, 10], // replay of the same record
      ['e2', 3, 600, 30],
      ['e1', 4, 1_010, 1_100], // expired: new again
    ];
    for (const [id, offset, wm, ts] of steps) {
      const expected = b.check(id, offset, wm);
      if (expected !== 'duplicate') b.accept(id, offset, ts);
      expect(a.checkAndAccept(id, offset, wm, ts)).toBe(expected);
    }
    expect(a.size.entries).toBe(b.size.entries);
    expect(a.drainChangelog()).toEqual(b.drainChangelog());
  });
});

describe('DedupStore at maxEntries', () => {
  it('defaults to 2 000 000 ids and rejects a bad cap naming maxDedupEntries', () => {
    expect(new DedupStore({ name: 'd' }).maxEntries).toBe(DEDUP_DEFAULTS.maxEntries);
    expect(DEDUP_DEFAULTS.maxEntries).toBe(2_000_000);
    expect(() => new DedupStore({ name: 'd', maxEntries: 0 })).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_INVALID_OPTION',
        option: 'maxDedupEntries',
        message: 'maxDedupEntries must be a positive integer (got 0)',
      }),
    );
  });

  it('forgets the oldest event-time bucket, whole, when an id takes it over the cap; evictions are counted', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 60_000, bucketMs: 100, maxEntries: 4 });
    d.accept('a', 1, 150); // bucket 1
    d.accept('b', 2, 120); // bucket 1
    d.accept('c', 3, 250); // bucket 2
    d.accept('x', 4, 80); // bucket 0: older than a and b, though accepted after them
    d.drainChangelog();
    expect([d.size.entries, d.evictedIds, d.evictedBuckets]).toEqual([4, 0, 0]);
    d.accept('d', 5, 260); // 5 ids > 4: bucket 0 (x) goes
    expect([d.size.entries, d.evictedIds, d.evictedBuckets]).toEqual([4, 1, 1]);
    expect(d.check('x', 9, 0)).toBe('new'); // forgotten before its TTL: a duplicate of it is accepted
    expect(d.check('a', 9, 0)).toBe('duplicate');
    d.accept('e', 6, 270); // bucket 1 (a and b) goes as a whole: 3 ids left
    expect([d.size.entries, d.evictedIds, d.evictedBuckets]).toEqual([3, 3, 2]);
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => d.check(id, 9, 0))).toEqual([
      'new',
      'new',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    // The evicted buckets' chunks are tombstoned; bucket 2 (c, d, e) is rewritten.
    expect(d.drainChangelog().map((e) => [e.key, e.value === null ? 'tombstone' : 'value'])).toEqual([
      ['c', 'value'],
      ['x', 'tombstone'],
      ['a', 'tombstone'],
    ]);
  });

  it('evicts the bucket of the id just accepted when it is the oldest: the cap is a hard bound', () => {
    const d = new DedupStore({ name: 'd', ttlMs: 60_000, bucketMs: 1_000, maxEntries: 3 });
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) d.accept(id, i, 500); // one bucket
    expect(d.size.entries).toBe(0);
    expect(d.evictedIds).toBe(4);
    d.accept('e', 5, 1_500);
    d.accept('f', 6, 2_500);
    d.accept('old', 7, 10); // the oldest bucket: goes at once (3 ids: e, f, old — not over)
    expect(d.size.entries).toBe(3);
    d.accept('g', 8, 3_500); // 4 > 3: bucket 0 (old) goes
    expect(d.check('old', 9, 0)).toBe('new');
    expect(d.check('e', 9, 0)).toBe('duplicate');
  });

  it('a store restored over a lowered cap evicts down to it at its next accepted id', () => {
    const live = new DedupStore({ name: 'd', ttlMs: 60_000, bucketMs: 100 });
    for (let i = 0; i < 10; i++) live.accept(`id${i}`, i, i * 100);
    const restored = new DedupStore({ name: 'd', ttlMs: 60_000, bucketMs: 100, maxEntries: 5 });
    for (const e of live.drainChangelog()) restored.restoreEntry(e);
    expect(restored.size.entries).toBe(10);
    restored.accept('new', 10, 1_000);
    expect(restored.size.entries).toBe(5);
    expect(restored.evictedIds).toBe(6);
    expect(restored.check('id5', 0, 0)).toBe('new');
    expect(restored.check('id6', 0, 0)).toBe('duplicate');
  });

  it('makes the same verdicts and evictions with a restore (from a compacted log) anywhere in the run', () => {
    // A busy random workload: ids repeat (duplicates, and re-accepts after expiry or eviction), timestamps jitter
    // across buckets, chunks split (maxEntryBytes), buckets expire and the cap forgets the oldest ones in bursts.
    const opts = { name: 'd', ttlMs: 150, bucketMs: 50, maxEntryBytes: 120, maxEntries: 60 };
    const steps = Array.from({ length: 4_000 }, (_, offset) => {
      const r = rng(offset + 1);
      return { id: `e${Math.floor(r() * 150)}`, ts: offset * 2 + Math.floor(r() * 400) };
    });
    const run = (restoreAt: readonly number[]) => {
      let store = new DedupStore(opts);
      const log = new Map<string, ChangelogEntry>();
      const verdicts: string[] = [];
      let evicted = 0;
      let expired = 0;
      let wm = Number.NEGATIVE_INFINITY;
      let maxTs = Number.NEGATIVE_INFINITY;
      for (const [offset, { id, ts }] of steps.entries()) {
        if (offset % 7 === 0 || restoreAt.includes(offset)) {
          for (const e of store.drainChangelog()) {
            log.delete(e.key); // compaction keeps the latest record per key, in the order of the latest write
            log.set(e.key, e);
          }
        }
        if (restoreAt.includes(offset)) {
          evicted += store.evictedIds;
          store = new DedupStore(opts);
          for (const e of log.values()) store.restoreEntry(e);
        }
        const before = store.evictedIds;
        verdicts.push(`${store.checkAndAccept(id, offset, wm, ts)}/${store.evictedIds - before}`);
        maxTs = Math.max(maxTs, ts);
        wm = maxTs - 100;
        expired += store.expire(wm);
        verdicts.push(`size ${store.size.entries}`);
      }
      return { verdicts, evicted: evicted + store.evictedIds, expired };
    };
    const uninterrupted = run([]);
    expect(uninterrupted.evicted).toBeGreaterThan(100);
    expect(uninterrupted.expired).toBeGreaterThan(1_000);
    expect(uninterrupted.verdicts.filter((v) => v.startsWith('duplicate')).length).toBeGreaterThan(500);
    for (const restoreAt of [[1], [500], [1_234, 2_345], [3, 999, 2_000, 3_998]])
      expect(run(restoreAt)).toEqual(uninterrupted);
  });
});
