import { describe, expect, it } from 'vitest';
import { LiveEntries } from '../../src/state/live-entries.js';

describe('LiveEntries', () => {
  it('keeps the latest value per key in the order of the last writes, tombstoned keys left out', () => {
    const live = new LiveEntries('s');
    live.apply('a', Buffer.from('1'));
    live.apply('b', Buffer.from('2'));
    live.apply('a', Buffer.from('3'));
    live.apply('c', Buffer.from('4'));
    live.apply('c', null);
    expect(live.size).toBe(2);
    expect(live.entries().map((e) => [e.store, e.key, e.value!.toString()])).toEqual([
      ['s', 'b', '2'],
      ['s', 'a', '3'],
    ]);
  });
});
