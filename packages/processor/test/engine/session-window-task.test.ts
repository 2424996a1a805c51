import { describe, expect, it } from 'vitest';
import { sessionActivityAggregator, type SessionSummary } from '../../src/aggregate/session-activity.js';
import { ENGINE_DEFAULTS } from '../../src/engine/options.js';
import { SessionWindowTask } from '../../src/engine/session-window-task.js';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import type { SessionWindowTaskOptions } from '../../src/engine/session-window-task.js';
import type { SessionActivity } from '../../src/aggregate/session-activity.js';
import { decodeTestEvent, Log, messyEvents, type TestEvent, windowedResults } from './fixtures.js';
import { runUninterrupted, runWithRestart } from './restart.js';

const GAP = 1_800_000;

function task(o: Partial<SessionWindowTaskOptions<TestEvent, SessionActivity, SessionSummary>> = {}) {
  return new SessionWindowTask<TestEvent, SessionActivity, SessionSummary>({
    decode: decodeTestEvent,
    timestampOf: (e) => e.ts,
    keyOf: (e) => e.user,
    eventIdOf: (e) => e.id,
    gapMs: GAP,
    aggregator: sessionActivityAggregator<TestEvent>(
      (e) => e.page,
      (e) => e.ts,
    ),
    wallClockAdvance: false,
    ...o,
  });
}
const results = windowedResults<SessionSummary>;

describe('SessionWindowTask', () => {
  it('groups a user’s events into sessions separated by the gap and emits them when the watermark passes the end', () => {
    const t = task();
    const log = new Log();
    t.process(log.event({ user: 'ann', page: '/a', ts: 0 }));
    t.process(log.event({ user: 'ann', page: '/b', ts: 600_000 }));
    t.process(log.event({ user: 'bob', page: '/a', ts: 700_000 }));
    t.process(log.event({ user: 'ann', page: '/c', ts: 600_000 + GAP + 1 })); // new session for ann
    expect(t.sessionsOf('ann')).toEqual([
      { start: 0, end: 600_000 + GAP },
      { start: 600_000 + GAP + 1, end: 600_000 + 2 * GAP + 1 },
    ]);
    // wm = 2_400_001 - 5000 = 2_395_001 >= 2_400_000? no. Push the watermark past ann's first session.
    t.process(log.event({ user: 'cid', page: '/z', ts: 2_405_000 }));
    const r = results(t.drainOutputs());
    expect(r).toEqual([
      {
        key: 'ann',
        windowStart: 0,
        windowEnd: 600_000 + GAP,
        result: {
          eventCount: 2,
          pages: ['/a', '/b'],
          firstEventMs: 0,
          lastEventMs: 600_000,
          durationMs: 600_000,
        },
        isFinal: true,
        version: 1,
      },
    ]);
  });

  it('an event bridging two sessions merges them into one', () => {
    const t = task();
    const log = new Log();
    t.process(log.event({ user: 'ann', page: '/a', ts: 0 }));
    t.process(log.event({ user: 'ann', page: '/b', ts: GAP + 1000 }));
    expect(t.sessionsOf('ann')).toHaveLength(2);
    t.process(log.event({ user: 'ann', page: '/c', ts: GAP / 2 })); // touches both
    expect(t.sessionsOf('ann')).toEqual([{ start: 0, end: 2 * GAP + 1000 }]);
    t.process(log.event({ user: 'x', ts: 2 * GAP + 6000 }));
    const r = results(t.drainOutputs());
    expect(r).toHaveLength(1);
    expect(r[0]!.result).toMatchObject({ eventCount: 3, durationMs: GAP + 1000 });
    expect([...r[0]!.result.pages].sort()).toEqual(['/a', '/b', '/c']);
  });

  it('late when ts + gap + L <= watermark', () => {
    const t = task();
    const log = new Log();
    t.process(log.event({ user: 'a', ts: 10 * GAP }));
    t.process(log.event({ user: 'b', ts: 10 * GAP - GAP - 5000 })); // ts + gap = wm → late
    t.process(log.event({ user: 'b', ts: 10 * GAP - GAP - 4999 })); // on time
    expect(t.counters).toMatchObject({ late: 1, accepted: 2 });
    expect(t.drainOutputs().filter((o) => o.output === 'late')).toHaveLength(1);
  });

  it('idle close then extension: the extended session inherits the version and is re-emitted', () => {
    const t = task({ wallClockAdvance: true, idleTimeoutMs: 1000, outOfOrdernessMs: 0 });
    const log = new Log();
    t.tick(0);
    t.process(log.event({ user: 'ann', ts: 1000 }));
    t.tick(1000 + GAP + 1000 + 1000); // emission wm = now - 0 - 1000 = 1000 + GAP + 1000 >= end
    expect(results(t.drainOutputs())).toEqual([
      expect.objectContaining({ windowStart: 1000, version: 1, isFinal: true }),
    ]);
    t.process(log.event({ user: 'ann', ts: 2000 })); // still accepted by the data watermark (1000)
    const r = results(t.drainOutputs());
    expect(r).toEqual([
      expect.objectContaining({ windowStart: 1000, windowEnd: 2000 + GAP, version: 2, isFinal: true }),
    ]);
    expect(r[0]!.result.eventCount).toBe(2);
  });

  it('snapshot + restore + replay gives identical outputs', () => {
    const events = messyEvents(3, 250).map((e) =>
      e === 'malformed' ? e : { ...e, ts: 1_700_000_000_000 + (e.ts - 1_700_000_000_000) * 200 },
    );
    const log = new Log();
    const records = events.map((e) => (e === 'malformed' ? log.raw(Buffer.from('x')) : log.event(e)));
    const refOut = runUninterrupted(task(), records);
    expect(results(refOut).length).toBeGreaterThan(3);
    for (const cut of [1, 100, 200]) {
      const out = runWithRestart(task, records, cut, 9);
      expect(out).toEqual(refOut);
    }
  });

  it('rejects a bad gap naming gapMs', () => {
    expect(() => task({ gapMs: 0 })).toThrow(/gapMs must be a positive integer/);
    expect(() => task({ maxOpenSessions: 0 })).toThrow(/maxOpenSessions must be a positive integer/);
  });

  it('maxOpenSessions: an event that would open one more session is dead-lettered; extending or merging is not', () => {
    expect(ENGINE_DEFAULTS.maxOpenSessions).toBe(100_000);
    const t = task({ maxOpenSessions: 2 });
    const log = new Log('events', 2);
    t.process(log.event({ user: 'ann', ts: 0 }));
    t.process(log.event({ user: 'bob', ts: 1_000 }));
    t.process(log.event({ user: 'cid', ts: 2_000 })); // a third session: refused
    t.process(log.event({ user: 'ann', ts: 3_000 })); // extends ann's
    t.process(log.event({ user: 'bob', ts: 1_000 + GAP + 1 })); // a second session of bob: refused
    t.process(log.event({ user: 'bob', ts: 1_000 + GAP })); // touches bob's first: extends it
    expect(t.counters).toMatchObject({ accepted: 4, deadLettered: 2, limited: 2 });
    expect(t.sessionsOf('cid')).toEqual([]);
    expect(t.sessionsOf('bob')).toEqual([{ start: 1_000, end: 1_000 + 2 * GAP }]);
    const dlq = t.drainOutputs().filter((o) => o.output === 'dead-letter');
    expect(dlq.map((o) => o.headers[SIDE_OUTPUT_HEADERS.errorCode])).toEqual([
      'TRIB_PROC_SESSION_LIMIT',
      'TRIB_PROC_SESSION_LIMIT',
    ]);
    expect(dlq[0]!.headers[SIDE_OUTPUT_HEADERS.errorReason]).toBe(
      'partition 2 already holds 2 open sessions (maxOpenSessions)',
    );
    // A refused event still moves the watermark: here past the end of ann's session, which closes and is purged...
    t.process(log.event({ user: 'eve', ts: 3_000 + GAP + 5_000 }));
    expect(t.counters.limited).toBe(3);
    expect(t.sessionsOf('ann')).toEqual([]);
    // ... so a new session has room.
    t.process(log.event({ user: 'dan', ts: 3_000 + GAP + 5_000 }));
    expect(t.counters).toMatchObject({ accepted: 5, limited: 3 });
    expect(t.sessionsOf('dan')).toHaveLength(1);
  });

  it('at maxOpenSessions, snapshot + restore + replay gives identical outputs', () => {
    const events = messyEvents(8, 300).map((e) =>
      e === 'malformed' ? e : { ...e, ts: 1_700_000_000_000 + (e.ts - 1_700_000_000_000) * 200 },
    );
    const log = new Log();
    const records = events.map((e) => (e === 'malformed' ? log.raw(Buffer.from('x')) : log.event(e)));
    const first = task({ maxOpenSessions: 3 });
    const refOut = runUninterrupted(first, records);
    expect(first.counters.limited).toBeGreaterThan(10);
    for (const cut of [1, 100, 200, 299]) {
      const out = runWithRestart(() => task({ maxOpenSessions: 3 }), records, cut, 9);
      expect(out).toEqual(refOut);
    }
  });
});
