import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../../src/state/codec.js';
import { WindowSlots } from '../../src/engine/window-slots.js';
import type { WindowedResult } from '../../src/engine/window-result.js';

function slots(allowedLatenessMs = 0, onTimeResults?: boolean) {
  const emitted: WindowedResult<number>[] = [];
  const s = new WindowSlots<number, number>({
    storeName: 'w',
    allowedLatenessMs,
    ...(onTimeResults === undefined ? {} : { onTimeResults }),
    contentCodec: jsonCodec<number>(),
    resultOf: (n) => n,
    emit: (r) => emitted.push(r),
  });
  return { s, emitted };
}

const w = (start: number, end: number) => ({ start, end });
const add = (n: number) => (prev: number | undefined) => (prev ?? 0) + n;

describe('WindowSlots', () => {
  it('fires final at end with L = 0, in (end, key) order, once', () => {
    const { s, emitted } = slots();
    s.upsert('b', w(0, 10), add(1));
    s.upsert('a', w(0, 10), add(2));
    s.upsert('a', w(10, 20), add(3));
    s.advance(9);
    expect(emitted).toEqual([]);
    s.advance(10);
    s.advance(15);
    expect(emitted.map((r) => [r.key, r.windowStart, r.result, r.isFinal, r.version])).toEqual([
      ['a', 0, 2, true, 1],
      ['b', 0, 1, true, 1],
    ]);
  });

  it('with L > 0: on-time firing, coalesced updates, final at end + L', () => {
    const { s, emitted } = slots(5);
    s.upsert('k', w(0, 10), add(1));
    s.advance(10);
    s.upsert('k', w(0, 10), add(1));
    s.upsert('k', w(0, 10), add(1));
    s.flushUpdates();
    s.advance(15);
    expect(emitted.map((r) => [r.result, r.isFinal, r.version])).toEqual([
      [1, false, 1],
      [3, false, 2],
      [3, true, 3],
    ]);
  });

  it('onTimeResults false with L > 0: one final result at end + L, late changes included', () => {
    const { s, emitted } = slots(5, false);
    s.upsert('k', w(0, 10), add(1));
    s.advance(10);
    s.upsert('k', w(0, 10), add(1));
    s.flushUpdates();
    s.advance(14);
    expect(emitted).toEqual([]);
    s.advance(15);
    s.flushUpdates();
    expect(emitted.map((r) => [r.result, r.isFinal, r.version])).toEqual([[2, true, 1]]);
  });

  it('onTimeResults false with L = 0 emits exactly as the default', () => {
    const runs = [undefined, false].map((onTime) => {
      const { s, emitted } = slots(0, onTime);
      s.upsert('b', w(0, 10), add(1));
      s.upsert('a', w(0, 10), add(2));
      s.upsert('a', w(10, 20), add(3));
      s.advance(10);
      s.upsert('a', w(0, 10), add(1)); // a correction after the final result
      s.flushUpdates();
      s.advance(25);
      return emitted;
    });
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]).toHaveLength(4);
  });

  it('a pending update that is then closed is emitted once, as final', () => {
    const { s, emitted } = slots(5);
    s.upsert('k', w(0, 10), add(1));
    s.advance(10);
    s.upsert('k', w(0, 10), add(1));
    s.advance(20);
    s.flushUpdates();
    expect(emitted.map((r) => [r.result, r.isFinal, r.version])).toEqual([
      [1, false, 1],
      [2, true, 2],
    ]);
  });

  it('early updates only for changed, unfired windows', () => {
    const { s, emitted } = slots();
    s.upsert('k', w(0, 10), add(1));
    s.emitEarly();
    s.emitEarly();
    expect(emitted.map((r) => [r.isFinal, r.version])).toEqual([[false, 1]]);
  });

  it('a window created behind the watermark fires at once; take removes and returns the version', () => {
    const { s, emitted } = slots();
    s.advance(100);
    s.upsert('k', w(0, 10), add(4), 7);
    expect(emitted.map((r) => [r.result, r.version, r.isFinal])).toEqual([[4, 8, true]]);
    expect(s.take('k', w(0, 10))).toEqual({ content: 4, version: 8 });
    expect(s.get('k', w(0, 10))).toBeUndefined();
    expect(s.drainChangelog()).toEqual([{ store: 'w', key: '0:10:k', value: null }]);
  });

  it('purge evicts windows past end + L (closing unclosed ones first) and restore rebuilds the index', () => {
    const { s, emitted } = slots();
    s.upsert('k', w(0, 10), add(1));
    s.upsert('k', w(10, 20), add(1));
    const log = s.drainChangelog();
    expect(s.purge(10)).toEqual([{ key: 'k', window: w(0, 10) }]);
    expect(emitted.map((r) => [r.windowStart, r.isFinal])).toEqual([[0, true]]);
    const restored = slots();
    for (const e of log) restored.s.restoreEntry(e);
    expect([...restored.s.windows()]).toHaveLength(2);
    restored.s.advance(20);
    expect(restored.emitted.map((r) => [r.windowStart, r.version])).toEqual([
      [0, 1],
      [10, 1],
    ]);
    expect(restored.s.size.entries).toBe(2);
  });
});
