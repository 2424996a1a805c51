import { describe, expect, it } from 'vitest';
import { InFlightBudget } from '../../src/gateway/in-flight-budget.js';

describe('InFlightBudget', () => {
  it('admits what fits in both events and bytes, and counts it until released', () => {
    const budget = new InFlightBudget({ maxEvents: 10, maxBytes: 1000 });
    expect(budget.tryAcquire(6, 500)).toBe(true);
    expect(budget.tryAcquire(5, 10)).toBe(false); // events
    expect(budget.tryAcquire(1, 501)).toBe(false); // bytes
    expect([budget.events, budget.bytes]).toEqual([6, 500]);
    expect(budget.full).toBe(false);
    expect(budget.tryAcquire(4, 500)).toBe(true);
    expect(budget.full).toBe(true);
    budget.release(6, 500);
    expect([budget.events, budget.bytes, budget.full]).toEqual([4, 500, false]);
  });

  it('is full when either limit is reached', () => {
    const byBytes = new InFlightBudget({ maxEvents: 10, maxBytes: 100 });
    expect(byBytes.tryAcquire(1, 100)).toBe(true);
    expect(byBytes.full).toBe(true);
    const byEvents = new InFlightBudget({ maxEvents: 2, maxBytes: 100 });
    expect(byEvents.tryAcquire(2, 1)).toBe(true);
    expect(byEvents.full).toBe(true);
  });
});
