import { describe, expect, it } from 'vitest';
import type { PageCounts } from '../../src/aggregate/clickstream.js';
import { encodeRepartitionRecord } from '../../src/engine/repartition-format.js';
import type { WindowedResult } from '../../src/engine/window-result.js';
import type { ChangelogEntry } from '../../src/task/partition-task.js';
import { changelogToV1, partsToV1, repartitionValueToV1 } from './format-1.js';
import { hash, TwoStage } from './two-stage.js';
import {
  latestByWindow,
  Log,
  messyEvents,
  referenceCounts,
  type TestEvent,
  windowedResults,
} from './fixtures.js';
import { runUninterrupted, runWithRestart } from './restart.js';

type Result = WindowedResult<PageCounts>;
const results = windowedResults<PageCounts>;
const flat = (rs: Result[]) =>
  latestByWindow(rs).map((r) => ({
    key: r.key,
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    ...r.result,
  }));

const ev = (id: string, page: string, ts: number, eventType: 'CLICK' | 'VIEW' = 'CLICK'): TestEvent => ({
  id,
  user: 'u',
  page,
  ts,
  eventType,
});

describe('MergeTask (partial/merge over a repartition topic)', () => {
  it('results over several upstream partitions and keys equal a direct computation of the contract', () => {
    const UP = 3;
    const events = messyEvents(21, 900);
    const perPartition: Array<Array<TestEvent | 'malformed'>> = [[], [], []];
    for (const e of events) perPartition[e === 'malformed' ? 0 : hash(e.user) % UP]!.push(e);
    const s = new TwoStage(UP, 2, {}, { wallClockAdvance: true });
    const cursors = [0, 0, 0];
    let step = 0;
    while (cursors.some((c, p) => c < perPartition[p]!.length)) {
      const p = step++ % UP;
      for (let k = 0; k < 1 + (step % 4) && cursors[p]! < perPartition[p]!.length; k++) {
        s.feed(p, perPartition[p]![cursors[p]!++]!);
      }
      if (step % 5 === 0) s.commit(p);
    }
    for (let p = 0; p < UP; p++) s.commit(p);
    s.tickMerges(0);
    s.tickMerges(Number.MAX_SAFE_INTEGER / 2); // everything idle: the wall clock closes all windows
    const expected = referenceCounts(perPartition, (e) => e.page, {
      sizeMs: 60_000,
      boundMs: 5000,
      latenessMs: 0,
      ttlMs: 600_000,
    });
    const got = results(s.results);
    expect(flat(got)).toEqual(expected);
    // keys are spread over both merge partitions, and every window ended final
    expect(new Set(got.map((r) => hash(r.key) % 2)).size).toBe(2);
    expect(latestByWindow(got).every((r) => r.isFinal)).toBe(true);
    const versions = new Map<string, number>();
    for (const r of got) {
      const id = `${r.windowStart}|${r.key}`;
      expect(r.version).toBe((versions.get(id) ?? 0) + 1);
      versions.set(id, r.version);
    }
  });

  it('closes a window only when every upstream watermark passed its end', () => {
    const s = new TwoStage(2, 1);
    s.feed(0, ev('a', '/x', 1000));
    s.feed(0, ev('b', '/x', 70_000));
    s.commit(0);
    expect(s.merges[0]!.watermark).toBe(Number.NEGATIVE_INFINITY); // upstream 1 never reported
    expect(results(s.results)).toEqual([]);
    s.feed(1, ev('c', '/x', 2000));
    s.commit(1); // upstream 1 wm = -3000
    expect(results(s.results)).toEqual([]);
    s.feed(1, ev('d', '/x', 80_000));
    s.commit(1);
    expect(s.merges[0]!.watermark).toBe(65_000);
    expect(results(s.results)).toEqual([
      {
        key: '/x',
        windowStart: 0,
        windowEnd: 60_000,
        result: { clickCount: 2, viewCount: 0 },
        isFinal: true,
        version: 1,
      },
    ]);
  });

  it('an upstream that never sent anything holds the watermark back until idle; late partials update with version + 1', () => {
    const s = new TwoStage(2, 1, {}, { wallClockAdvance: true, idleTimeoutMs: 10_000 });
    const m = s.merges[0]!;
    m.tick(0);
    s.feed(0, ev('a', '/x', 1000));
    s.feed(0, ev('b', '/x', 70_000));
    s.commit(0);
    m.tick(9_999);
    expect(m.watermark).toBe(Number.NEGATIVE_INFINITY);
    m.tick(10_000); // upstream 1 idle since start: combined = upstream 0's 65_000
    s.collect();
    expect(m.watermark).toBe(65_000);
    expect(results(s.results)).toEqual([
      expect.objectContaining({
        windowStart: 0,
        isFinal: true,
        version: 1,
        result: { clickCount: 1, viewCount: 0 },
      }),
    ]);
    s.feed(1, ev('c', '/x', 3000, 'VIEW')); // upstream 1 wakes up with data for the closed window
    s.commit(1);
    expect(results(s.results).at(-1)).toEqual(
      expect.objectContaining({
        windowStart: 0,
        isFinal: true,
        version: 2,
        result: { clickCount: 1, viewCount: 1 },
      }),
    );
  });

  it('while every upstream is idle, the wall-clock advance alone writes no checkpoint (no idle transactions)', () => {
    const s = new TwoStage(1, 1, {}, { wallClockAdvance: true, idleTimeoutMs: 1_000 });
    const m = s.merges[0]!;
    m.tick(0);
    s.feed(0, ev('a', '/x', 1_000));
    s.commit(0);
    m.drainChangelog();
    m.tick(5_000); // idle: combined follows the wall clock but no window closes yet
    s.collect();
    expect(m.watermark).toBeGreaterThan(-4_000);
    expect(m.drainChangelog()).toEqual([]);
    m.tick(70_000); // the advance closes [0, 60000): output + checkpoint in the same commit
    s.collect();
    expect(results(s.results)).toEqual([expect.objectContaining({ windowStart: 0, isFinal: true })]);
    expect(m.drainChangelog().map((e) => e.store)).toContain('merge-progress');
    m.tick(80_000);
    expect(m.drainChangelog()).toEqual([]);
  });

  it('a wall-clock jump closes windows but never purges them: later partials still merge with earlier ones', () => {
    const s = new TwoStage(
      2,
      1,
      {},
      { wallClockAdvance: true, idleTimeoutMs: 1000, closedWindowRetentionMs: 60_000 },
    );
    const m = s.merges[0]!;
    m.tick(0);
    s.feed(0, ev('a', '/x', 1000));
    s.commit(0);
    s.feed(1, ev('b', '/x', 2000));
    s.commit(1);
    m.tick(10_000_000_000_000); // all idle: combined jumps to the wall clock, the window is emitted final
    s.collect();
    expect(results(s.results)).toEqual([
      expect.objectContaining({ version: 1, isFinal: true, result: { clickCount: 2, viewCount: 0 } }),
    ]);
    s.feed(0, ev('c', '/x', 3000, 'VIEW')); // upstream 0 resumes in the same event-time window
    s.commit(0);
    expect(results(s.results).at(-1)).toEqual(
      expect.objectContaining({ version: 2, isFinal: true, result: { clickCount: 2, viewCount: 1 } }),
    );
  });

  it('after a restore, records before the first tick never purge from a checkpointed wall-clock advance', () => {
    const opts = { wallClockAdvance: true, idleTimeoutMs: 1_000 };
    const s = new TwoStage(2, 1, {}, opts);
    const m = s.merges[0]!;
    m.tick(0);
    s.feed(0, ev('a', '/x', 1_000));
    s.commit(0);
    s.feed(1, ev('b', '/x', 2_000));
    s.commit(1);
    m.tick(10_000_000_000_000); // all idle: the window closes at the wall clock, which is checkpointed
    s.collect();
    expect(results(s.results)).toEqual([
      expect.objectContaining({ version: 1, result: { clickCount: 2, viewCount: 0 } }),
    ]);
    const restored = s.newMerge(2, opts);
    restored.restore(m.drainChangelog());
    s.merges[0] = restored;
    // A crash-restart: stage 1 sends before the merge's first tick — a watermark record first, then a partial. The
    // window is still there to update (the restored wall-clock advance purged nothing).
    restored.process(
      s.repartition[0]!.raw(
        encodeRepartitionRecord({ type: 'watermark', upstreamPartition: 1, watermark: -3_000, idle: false }),
      ),
    );
    s.feed(0, ev('c', '/x', 3_000, 'VIEW'));
    s.commit(0);
    expect(results(s.results).at(-1)).toEqual(
      expect.objectContaining({ version: 2, result: { clickCount: 2, viewCount: 1 } }),
    );
    expect(restored.counters.beyondRetention).toBe(0);
  });

  it('a stage-1 partition fed only invalid records goes idle: it does not hold back the windows of every key', () => {
    const s = new TwoStage(2, 1, { idleTimeoutMs: 1_000 }, { idleTimeoutMs: 1_000, wallClockAdvance: false });
    const m = s.merges[0]!;
    const tickAll = (now: number) => {
      for (const p of s.partials) p.tick(now);
      m.tick(now);
    };
    tickAll(0);
    s.feed(0, ev('a', '/x', 1_000));
    s.feed(0, ev('b', '/y', 70_000));
    s.commit(0);
    // Partition 1 receives nothing but dead letters, every 250 ms; partition 0 goes on.
    for (let now = 250; now <= 3_000; now += 250) {
      s.feed(1, 'malformed');
      tickAll(now);
      s.commit(1);
      s.commit(0);
      s.tickMerges(now);
    }
    expect(s.side.filter((o) => o.output === 'dead-letter')).toHaveLength(12);
    expect(results(s.results)).toEqual([
      expect.objectContaining({
        key: '/x',
        windowStart: 0,
        isFinal: true,
        result: { clickCount: 1, viewCount: 0 },
      }),
    ]);
  });

  it('a re-delivered identical partial does not create a new version', () => {
    const s = new TwoStage(1, 1);
    s.feed(0, ev('a', '/x', 1000));
    const outs = s.partials[0]!.drainOutputs();
    const log = new Log('repartition', 0);
    const m = s.merges[0]!;
    for (const o of outs) m.process(log.raw(o.value, o.key));
    for (const o of outs) m.process(log.raw(o.value, o.key)); // at-least-once duplicate delivery
    expect(m.counters.unchangedPartials).toBe(1);
    m.process(
      log.raw(
        encodeRepartitionRecord({ type: 'watermark', upstreamPartition: 0, watermark: 60_000, idle: false }),
      ),
    );
    expect(results(m.drainOutputs())).toEqual([expect.objectContaining({ version: 1, isFinal: true })]);
  });

  it('dead-letters undecodable records and absurd upstream partitions', () => {
    const s = new TwoStage(2, 1);
    const m = s.merges[0]!;
    const log = new Log('repartition', 0);
    m.process(log.raw(Buffer.from('junk')));
    m.process(
      log.raw(
        encodeRepartitionRecord({ type: 'watermark', upstreamPartition: 500_000, watermark: 1, idle: false }),
      ),
    );
    const outs = m.drainOutputs();
    expect(outs.map((o) => o.output)).toEqual(['dead-letter', 'dead-letter']);
    expect(outs[0]!.headers['tributary.error.code']).toBe('TRIB_PROC_REPARTITION_RECORD_INVALID');
    expect(outs[1]!.headers['tributary.error.reason']).toMatch(/upstream partition 500000/);
    expect(m.counters.deadLettered).toBe(2);
  });

  it('takes in an upstream partition added after start (the input topic grew): merged, not dead-lettered', () => {
    const s = new TwoStage(2, 1, {}, { wallClockAdvance: true, idleTimeoutMs: 10_000 });
    const m = s.merges[0]!;
    m.tick(0);
    s.feed(0, ev('a', '/x', 1_000));
    s.commit(0);
    s.feed(1, ev('b', '/x', 2_000));
    s.commit(1);
    const added = s.addUpstream(); // partition 2, created while the job runs
    s.feed(added, ev('c', '/x', 3_000));
    s.commit(added);
    // The new upstream reports like the others: the window waits for its watermark too.
    for (const p of [0, 1]) s.feed(p, ev(`late-${p}`, '/y', 70_000));
    s.commit(0);
    s.commit(1);
    expect(results(s.results)).toEqual([]);
    s.feed(added, ev('d', '/y', 70_000));
    s.commit(added);
    expect(results(s.results)).toEqual([
      expect.objectContaining({ windowStart: 0, version: 1, result: { clickCount: 3, viewCount: 0 } }),
    ]);
    expect(m.counters.deadLettered).toBe(0);
    // Restored, it still knows three upstreams (the upstreams store holds all of them).
    const restored = s.newMerge(2, { wallClockAdvance: true, idleTimeoutMs: 10_000 });
    restored.restore(m.drainChangelog());
    expect(restored.watermark).toBe(m.watermark);
  });

  it('an idle upstream waking with on-time data past the retention horizon never re-fires a window from a subset', () => {
    const s = new TwoStage(
      2,
      1,
      {},
      { wallClockAdvance: true, idleTimeoutMs: 1_000, closedWindowRetentionMs: 60_000 },
    );
    const m = s.merges[0]!;
    m.tick(0);
    s.feed(0, ev('a', '/x', 1_000));
    s.commit(0);
    s.feed(1, ev('b', '/x', 2_000)); // upstream 1 then goes quiet: its watermark stays at -3 000
    s.commit(1);
    s.feed(0, ev('next', '/z', 200_000)); // upstream 0 runs 3 minutes ahead
    s.commit(0);
    m.tick(5_000); // upstream 1 idle: the window closes on upstream 0 alone, then is purged by retention
    s.collect();
    expect(results(s.results)).toEqual([
      expect.objectContaining({
        windowStart: 0,
        isFinal: true,
        version: 1,
        result: { clickCount: 2, viewCount: 0 },
      }),
    ]);
    const snapshot = m.drainChangelog();
    // Upstream 1 wakes with an event on time for its own watermark, for the purged window.
    s.feed(1, ev('c', '/x', 3_000, 'VIEW'));
    s.commit(1);
    // No result from upstream 1's partial alone (that would be version 1 again, counting 1 click and 1 view).
    expect(results(s.results)).toHaveLength(1);
    const late = m
      .drainOutputs()
      .concat(s.results)
      .filter((o) => o.output === 'late');
    expect(late).toHaveLength(1);
    expect(late[0]!.headers).toMatchObject({
      'tributary.late.reason': 'merge-retention-exceeded',
      'tributary.late.window-end': '60000',
    });
    expect(m.counters.beyondRetention).toBe(1);
    // The horizon is checkpointed: a restored merge decides the same.
    const restored = s.newMerge(2, {
      wallClockAdvance: true,
      idleTimeoutMs: 1_000,
      closedWindowRetentionMs: 60_000,
    });
    restored.restore(snapshot);
    const log = new Log('repartition', 0);
    for (let i = 0; i < 100; i++) log.raw(null); // offsets past the snapshot's
    const again = s.partials[1]!;
    again.tick(10_000);
    s.feed(1, ev('d', '/x', 4_000, 'VIEW'));
    for (const out of again.drainOutputs())
      if (out.output === 'repartition' && out.destination.kind === 'by-key')
        restored.process(log.raw(out.value, out.key));
    const outs = restored.drainOutputs();
    expect(outs.filter((o) => o.output === 'results')).toEqual([]);
    expect(outs.filter((o) => o.output === 'late')).toHaveLength(1);
  });

  it('snapshot + restore + replay gives the same outputs as an uninterrupted merge', () => {
    const UP = 2;
    const { s, records } = throughStageOne(UP, messyEvents(5, 300), 7);
    const refOut = runUninterrupted(s.newMerge(UP), records);
    expect(results(refOut).length).toBeGreaterThan(0);
    for (const cut of [0, 13, Math.floor(records.length / 2), records.length]) {
      const out = runWithRestart(() => s.newMerge(UP), records, cut, 5);
      expect(out).toEqual(refOut);
    }
  });

  it('upgrade in place: format-1 records already on the topic, then format-2 ones, merge to the same results', () => {
    const UP = 2;
    const { s, records } = throughStageOne(UP, messyEvents(5, 300), 7);
    const refOut = runUninterrupted(s.newMerge(UP), records);
    expect(results(refOut).length).toBeGreaterThan(0);
    for (const upgradeAt of [records.length, Math.floor(records.length / 3)]) {
      const mixed = records.map((r, i) =>
        i < upgradeAt ? { ...r, value: repartitionValueToV1(r.value) } : r,
      );
      expect(mixed[0]!.value![0]).toBe('{'.charCodeAt(0));
      expect(runUninterrupted(s.newMerge(UP), mixed)).toEqual(refOut);
    }
  });

  it('a changelog written by the previous version (format 1) restores to the same outputs', () => {
    const UP = 3;
    const { s, records } = throughStageOne(UP, messyEvents(8, 300), 5);
    const refOut = runUninterrupted(s.newMerge(UP), records);
    const toV1 = (c: ChangelogEntry[]) => {
      const v1 = changelogToV1(c, partsToV1);
      expect(v1.some((e) => e.store === 'merge-windows' && e.value?.[0] === '{'.charCodeAt(0))).toBe(
        c.some((e) => e.store === 'merge-windows' && e.value !== null),
      );
      return v1;
    };
    for (const cut of [0, 13, Math.floor(records.length / 2), records.length]) {
      expect(runWithRestart(() => s.newMerge(UP), records, cut, 5, toV1)).toEqual(refOut);
    }
  });

  it('validates options naming them', () => {
    expect(() => new TwoStage(1, 1, {}, { upstreamPartitions: 0 })).toThrow(
      /upstreamPartitions must be a positive integer/,
    );
    expect(() => new TwoStage(1, 1, {}, { closedWindowRetentionMs: -1 })).toThrow(/closedWindowRetentionMs/);
  });
});

/** `events` through `up` stage-1 partitions (by user; the fed partition commits every `every` events): the merge's log. */
function throughStageOne(up: number, events: ReturnType<typeof messyEvents>, every: number) {
  const s = new TwoStage(up, 1);
  events.forEach((e, i) => {
    const p = e === 'malformed' ? 0 : hash(e.user) % up;
    s.feed(p, e);
    if (i % every === 0) s.commit(p);
  });
  for (let p = 0; p < up; p++) s.commit(p);
  return { s, records: s.repartition[0]!.records };
}
