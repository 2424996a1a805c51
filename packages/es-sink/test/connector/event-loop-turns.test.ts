import { describe, expect, it } from 'vitest';
import { EventLoopTurns } from '../../src/connector/event-loop-turns.js';

describe('EventLoopTurns', () => {
  it('hands the event loop back every n-th record: callbacks queued meanwhile run before the loop goes on', async () => {
    const turns = new EventLoopTurns(3);
    const order: string[] = [];
    setImmediate(() => order.push('other task'));
    for (let record = 1; record <= 4; record++) {
      const turn = turns.count();
      order.push(`record ${record}${turn === undefined ? '' : ' (turn)'}`);
      if (turn !== undefined) await turn;
    }
    expect(order).toEqual(['record 1', 'record 2', 'record 3 (turn)', 'other task', 'record 4']);
  });

  it('refuses a count that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => new EventLoopTurns(bad)).toThrow(/every must be/);
  });
});
