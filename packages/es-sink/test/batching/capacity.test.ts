import { describe, expect, it } from 'vitest';
import { Capacity } from '../../src/batching/capacity.js';

describe('Capacity', () => {
  it('has room below both limits and wakes a waiter when a release makes room', async () => {
    const capacity = new Capacity(2, 100);
    capacity.take(10);
    expect(capacity.hasRoom()).toBe(true);
    capacity.take(10);
    expect(capacity.hasRoom()).toBe(false);
    let woke = false;
    const waiting = capacity.waitForRoom().then(() => (woke = true));
    expect(capacity.waiting).toBe(1);
    await Promise.resolve();
    expect(woke).toBe(false);
    capacity.release(10);
    await waiting;
    expect(woke).toBe(true);
  });

  it('limits by bytes too', () => {
    const capacity = new Capacity(10, 100);
    capacity.take(100);
    expect(capacity.hasRoom()).toBe(false);
  });

  it('resolves waitForIdle once nothing is outstanding', async () => {
    const capacity = new Capacity(10, 100);
    await capacity.waitForIdle();
    capacity.take(1);
    const idle = capacity.waitForIdle();
    capacity.release(1);
    await expect(idle).resolves.toBeUndefined();
  });

  it('clear() rejects every waiter and reports what was dropped', async () => {
    const capacity = new Capacity(1, 100);
    capacity.take(1);
    const room = capacity.waitForRoom();
    const idle = capacity.waitForIdle();
    expect(capacity.clear(new Error('aborted'))).toBe(1);
    await expect(room).rejects.toThrow('aborted');
    await expect(idle).rejects.toThrow('aborted');
    expect(capacity.docs).toBe(0);
  });
});
