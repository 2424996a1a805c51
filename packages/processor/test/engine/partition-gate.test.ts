import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { FILTERED } from '../../src/engine/decoder.js';
import { ENGINE_CHANNELS } from '../../src/engine/diagnostics.js';
import { PartitionGate, type PartitionGateOptions } from '../../src/engine/partition-gate.js';
import { processorOptions } from '../../src/config/option-schemas.js';
import { EVENT_TIME_OPTION_SPECS } from '../../src/engine/options.js';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import type { OutputRecord } from '../../src/task/partition-task.js';
import { TumblingWindows } from '../../src/windows/tumbling.js';
import { decodeTestEvent, Log, type TestEvent } from './fixtures.js';

const EVENT_TIME = processorOptions('test', EVENT_TIME_OPTION_SPECS);

function gate(eventTime = {}, extra: Partial<PartitionGateOptions<TestEvent>> = {}) {
  const outs: OutputRecord[] = [];
  const windows = new TumblingWindows({ sizeMs: 1000 });
  const g = new PartitionGate<TestEvent>({
    taskName: 't',
    storePrefix: 't',
    decode: decodeTestEvent,
    timestampOf: (e) => e.ts,
    eventIdOf: (e) => e.id,
    windowsOf: (ts) => windows.assign(ts),
    eventTime: EVENT_TIME.resolve({ outOfOrdernessMs: 100, ...eventTime }),
    lateOutput: 'late',
    deadLetterOutput: 'dlq',
    emit: (r) => outs.push(r),
    ...extra,
  });
  return { g, outs };
}

describe('PartitionGate', () => {
  it('decides in order: invalid, late, duplicate, accepted — and maxTs moves for late and duplicate events too', () => {
    const { g, outs } = gate();
    const log = new Log();
    expect(g.admit(log.raw(null)).kind).toBe('invalid');
    expect(g.dataWatermark).toBe(Number.NEGATIVE_INFINITY);
    expect(g.admit(log.event({ id: 'a', ts: 5000 })).kind).toBe('accepted');
    expect(g.admit(log.event({ id: 'b', ts: 3999 })).kind).toBe('late'); // end 4000 <= wm 4900
    expect(g.admit(log.event({ id: 'a', ts: 5500 })).kind).toBe('duplicate');
    expect(g.dataWatermark).toBe(5400);
    expect(g.admit(log.event({ id: '', ts: 5500 })).kind).toBe('accepted');
    expect(g.admit(log.event({ id: '', ts: 5500 })).kind).toBe('accepted'); // no id: never a duplicate
    expect(outs.map((o) => o.output)).toEqual(['dlq', 'late']);
    expect(g.counters).toEqual({
      accepted: 3,
      late: 1,
      duplicates: 1,
      deadLettered: 1,
      skippedReplays: 0,
      limited: 0,
      dedupEvictions: 0,
      filtered: 0,
    });
  });

  it('drops a filtered record before the contract: no output, no watermark, no dedup, offset applied', () => {
    const log = new Log();
    const { g, outs } = gate(
      {},
      {
        decode: (record) => {
          const r = decodeTestEvent(record);
          return r.ok && r.event.page === '/drop' ? FILTERED : r;
        },
      },
    );
    g.tick(0);
    expect(g.admit(log.event({ id: 'a', ts: 9000, page: '/drop' })).kind).toBe('filtered');
    expect(g.dataWatermark).toBe(Number.NEGATIVE_INFINITY);
    expect(g.lastOffset).toBe(0);
    // Not remembered by dedup, not activity: the same id is new, and the first accepted one.
    expect(g.admit(log.event({ id: 'a', ts: 5000 })).kind).toBe('accepted');
    expect(g.dataWatermark).toBe(4900);
    expect(outs).toEqual([]);
    expect(g.counters).toMatchObject({ accepted: 1, filtered: 1, deadLettered: 0 });
    expect(g.drainChangelog().map((e) => e.store)).toContain('t-progress');
  });

  it('takes the event time and id a decoder decided over timestampOf and eventIdOf', () => {
    const log = new Log();
    const { g } = gate(
      {},
      {
        decode: (record) => {
          const r = decodeTestEvent(record);
          return r.ok ? { ok: true, event: r.event, timestamp: r.event.ts * 2, eventId: r.event.user } : r;
        },
      },
    );
    expect(g.admit(log.event({ id: 'a', user: 'u1', ts: 5000 })).kind).toBe('accepted');
    expect(g.dataWatermark).toBe(9900);
    expect(g.admit(log.event({ id: 'b', user: 'u1', ts: 5000 })).kind).toBe('duplicate');
  });

  it('checkpoints progress once per drain and skips records at or below the restored offset', () => {
    const { g } = gate();
    const log = new Log();
    g.admit(log.event({ id: 'a', ts: 5000 }));
    g.admit(log.event({ id: 'b', ts: 6000 }));
    const entries = g.drainChangelog();
    expect(entries.filter((e) => e.store === 't-progress')).toHaveLength(1);
    expect(JSON.parse(entries.find((e) => e.store === 't-progress')!.value!.toString())).toEqual({
      maxTs: 6000,
      offset: 1,
      emitWm: null,
    });
    const restored = gate().g;
    for (const e of entries) restored.restoreEntry(e);
    expect(restored.dataWatermark).toBe(5900);
    expect(restored.admit(log.records[1]!).kind).toBe('skipped');
    expect(restored.admit(log.event({ id: 'a', ts: 6000 })).kind).toBe('duplicate');
    // A progress checkpoint written when offsets were decimal strings restores the same.
    const legacy = gate().g;
    legacy.restoreEntry({
      store: 't-progress',
      key: 'partition',
      value: Buffer.from('{"maxTs":6000,"offset":"1","emitWm":null}'),
    });
    expect(legacy.admit(log.records[1]!).kind).toBe('skipped');
    expect(legacy.admit(log.records[2]!).kind).not.toBe('skipped');
  });

  it('idle + wall clock (default): emission watermark = now - B - idleTimeout', () => {
    const { g } = gate({ idleTimeoutMs: 1000 });
    const log = new Log();
    g.tick(0);
    g.admit(log.event({ ts: 5000 }));
    expect(g.tick(50_000)).toBe(50_000 - 100 - 1000);
    expect(g.dataWatermark).toBe(4900);
  });

  it('idle + data-anchored: emission watermark = wm + (now - lastRecord) - idleTimeout, never backwards, data watermark untouched', () => {
    const { g } = gate({ idleTimeoutMs: 1000, idleAdvanceMode: 'data-anchored' });
    const log = new Log();
    g.tick(0);
    g.admit(log.event({ ts: 5000 }));
    expect(g.tick(999)).toBe(4900);
    expect(g.isIdle()).toBe(false);
    expect(g.tick(50_000)).toBe(4900 + (50_000 - 0) - 1000);
    expect(g.isIdle()).toBe(true);
    expect(g.dataWatermark).toBe(4900);
    g.admit(log.event({ ts: 6000 }));
    expect(g.tick(50_001)).toBe(53_900); // active again: stays, never goes back
  });

  it('counts only valid events as activity: a partition fed nothing but invalid records goes idle', () => {
    const { g } = gate({ idleTimeoutMs: 1000 });
    const log = new Log();
    g.tick(0);
    g.admit(log.event({ ts: 5000 }));
    for (let now = 500; now <= 3000; now += 500) {
      g.tick(now);
      g.admit(log.raw(Buffer.from('not an event'))); // a dead letter every 500 ms
    }
    expect(g.isIdle()).toBe(true);
    g.admit(log.event({ ts: 6000 }));
    g.tick(3100);
    expect(g.isIdle()).toBe(false);
  });

  it('a state limit refuses an on-time, new event after dedup: dead-lettered with its code, id remembered, maxTs moved', () => {
    const { g, outs } = gate(
      {},
      {
        limit: (event, windows, record) =>
          event.page === '/full'
            ? {
                code: 'TRIB_PROC_WINDOW_KEY_LIMIT',
                reason: `full: ${windows[0]!.start} p${record.partition}`,
              }
            : undefined,
      },
    );
    const log = new Log('events', 3);
    expect(g.admit(log.event({ id: 'a', ts: 5000, page: '/full' })).kind).toBe('limited');
    expect(g.dataWatermark).toBe(4900);
    expect(g.admit(log.event({ id: 'a', ts: 5000, page: '/ok' })).kind).toBe('duplicate'); // its id was remembered
    expect(g.admit(log.event({ id: 'b', ts: 3000, page: '/full' })).kind).toBe('late'); // lateness comes first
    expect(g.admit(log.event({ id: 'c', ts: 5000, page: '/ok' })).kind).toBe('accepted');
    expect(outs.map((o) => [o.output, o.headers[SIDE_OUTPUT_HEADERS.errorCode]])).toEqual([
      ['dlq', 'TRIB_PROC_WINDOW_KEY_LIMIT'],
      ['late', undefined],
    ]);
    expect(outs[0]!.headers[SIDE_OUTPUT_HEADERS.errorReason]).toBe('full: 5000 p3');
    expect(g.counters).toMatchObject({ accepted: 1, late: 1, duplicates: 1, deadLettered: 1, limited: 1 });
  });

  it('counts dedup evictions at maxDedupEntries and publishes them on the dedup-evicted channel', () => {
    const { g } = gate({}, { maxDedupEntries: 2 });
    const messages: unknown[] = [];
    const listen = (m: unknown) => messages.push(m);
    subscribe(ENGINE_CHANNELS.dedupEvicted.name as string, listen);
    try {
      const log = new Log();
      g.admit(log.event({ id: 'a', ts: 5000 }));
      g.admit(log.event({ id: 'b', ts: 6000 }));
      g.admit(log.event({ id: 'c', ts: 7000 })); // 3 > 2: the oldest bucket (a) is forgotten
      expect(g.admit(log.event({ id: 'a', ts: 7000 })).kind).toBe('accepted'); // ... so a is new again (b goes)
      expect(g.admit(log.event({ id: 'c', ts: 7000 })).kind).toBe('duplicate');
    } finally {
      unsubscribe(ENGINE_CHANNELS.dedupEvicted.name as string, listen);
    }
    expect(g.counters.dedupEvictions).toBe(2);
    expect(messages).toEqual([
      { task: 't', topic: 'events', partition: 0, offset: 2, ids: 1 },
      { task: 't', topic: 'events', partition: 0, offset: 3, ids: 1 },
    ]);
    expect(g.dedupSize?.entries).toBe(2);
    expect(() => gate({}, { maxDedupEntries: -1 })).toThrow(/maxDedupEntries must be a positive integer/);
  });
});
