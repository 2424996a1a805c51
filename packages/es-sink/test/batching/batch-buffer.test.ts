import { describe, expect, it } from 'vitest';
import { BatchBuffer } from '../../src/batching/batch-buffer.js';

function setup(limits = { maxDocs: 3, maxBytes: 100, maxAgeMs: 1000 }) {
  let now = 0;
  const buffer = new BatchBuffer<string>(limits, () => now);
  return { buffer, tick: (ms: number) => (now += ms) };
}

describe('BatchBuffer', () => {
  it('closes a batch when it reaches maxDocs', () => {
    const { buffer } = setup();
    expect(buffer.add('a', 1)).toEqual([]);
    expect(buffer.add('b', 1)).toEqual([]);
    expect(buffer.add('c', 1)).toEqual([{ items: ['a', 'b', 'c'], bytes: 3, reason: 'docs' }]);
    expect(buffer.docs).toBe(0);
  });

  it('closes the current batch before a document that would exceed maxBytes', () => {
    const { buffer } = setup();
    buffer.add('a', 60);
    expect(buffer.add('b', 50)).toEqual([{ items: ['a'], bytes: 60, reason: 'bytes' }]);
    expect(buffer.bytes).toBe(50);
  });

  it('sends an oversized document alone', () => {
    const { buffer } = setup();
    buffer.add('a', 10);
    expect(buffer.add('big', 500)).toEqual([
      { items: ['a'], bytes: 10, reason: 'bytes' },
      { items: ['big'], bytes: 500, reason: 'bytes' },
    ]);
  });

  it('flushes on the age of the OLDEST document, not on idleness', () => {
    const { buffer, tick } = setup();
    buffer.add('a', 1);
    tick(600);
    buffer.add('b', 1);
    expect(buffer.msUntilDue()).toBe(400);
    tick(399);
    expect(buffer.takeDue()).toBeUndefined();
    tick(1);
    expect(buffer.takeDue()).toEqual({ items: ['a', 'b'], bytes: 2, reason: 'age' });
    expect(buffer.msUntilDue()).toBeUndefined();
  });

  it('starts the age clock at the first document of a new batch', () => {
    const { buffer, tick } = setup();
    buffer.add('a', 1);
    buffer.add('b', 1);
    buffer.add('c', 1);
    tick(5000);
    buffer.add('d', 1);
    expect(buffer.msUntilDue()).toBe(1000);
  });

  it('drains everything on demand and reports empty as undefined', () => {
    const { buffer } = setup();
    expect(buffer.drain()).toBeUndefined();
    buffer.add('a', 2);
    expect(buffer.drain()).toEqual({ items: ['a'], bytes: 2, reason: 'flush' });
  });
});
