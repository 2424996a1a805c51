import { describe, expect, it } from 'vitest';
import { LogOrderFeeder } from '../../src/kafka/log-order.js';

describe('LogOrderFeeder', () => {
  it('feeds chunks in offset order per partition, whatever order they are acknowledged in', () => {
    const fed: string[] = [];
    const feeder = new LogOrderFeeder<string>([10, 0], (p, item) => fed.push(`${p}:${item}`));
    feeder.add(0, 13, ['d', 'e']);
    feeder.add(1, 0, ['x']);
    expect(fed).toEqual(['1:x']);
    expect(feeder.buffered).toBe(2);
    feeder.add(0, 12, ['c']);
    expect(fed).toEqual(['1:x']);
    feeder.add(0, 10, ['a', 'b']);
    expect(fed).toEqual(['1:x', '0:a', '0:b', '0:c', '0:d', '0:e']);
    expect(feeder.buffered).toBe(0);
    feeder.add(0, 15, ['f']);
    expect(fed.at(-1)).toBe('0:f');
  });

  it('flushes what is left in offset order when offsets have gaps', () => {
    const fed: string[] = [];
    const feeder = new LogOrderFeeder<string>([0], (_p, item) => fed.push(item));
    feeder.add(0, 9, ['z']);
    feeder.add(0, 5, ['y']);
    feeder.flush();
    expect(fed).toEqual(['y', 'z']);
    expect(feeder.buffered).toBe(0);
    expect(() => feeder.add(3, 0, ['q'])).toThrow(/partition 3/);
  });
});
