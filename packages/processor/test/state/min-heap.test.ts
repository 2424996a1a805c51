import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/state/min-heap.js';

describe('MinHeap', () => {
  it('pops in ascending order', () => {
    const h = new MinHeap<number>((a, b) => a - b);
    const input = [5, 3, 9, 1, 1, 7, 2, 8, 6, 4, 0];
    for (const n of input) h.push(n);
    expect(h.size).toBe(input.length);
    const out: number[] = [];
    while (h.size > 0) out.push(h.pop()!);
    expect(out).toEqual([...input].sort((a, b) => a - b));
    expect(h.pop()).toBeUndefined();
    expect(h.peek()).toBeUndefined();
  });
});
