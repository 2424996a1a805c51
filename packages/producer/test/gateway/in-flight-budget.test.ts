import { describe, expect, it } from 'vitest';
import { InFlightBudget } from '../../src/gateway/in-flight-budget.js';

const held = (budget: InFlightBudget) => [budget.events, budget.bytes];

describe('InFlightBudget', () => {
  it('reserves a declared body when it fits beside what is held, else changes nothing', () => {
    const budget = new InFlightBudget({ maxEvents: 10, maxBytes: 1000 });
    const first = budget.tryReserve(600)!;
    expect(first.bytes).toBe(600);
    expect(budget.tryReserve(401)).toBeUndefined();
    expect(held(budget)).toEqual([0, 600]);
    const second = budget.tryReserve(400)!;
    expect(held(budget)).toEqual([0, 1000]);
    expect(budget.full).toBe(true);
    first.release();
    second.release();
    expect(held(budget)).toEqual([0, 0]);
    expect(budget.full).toBe(false);
  });

  it('grows a chunked body as it arrives, until the budget is exhausted', () => {
    const budget = new InFlightBudget({ maxEvents: 10, maxBytes: 100 });
    const other = budget.tryReserve(30)!;
    const chunked = budget.tryReserve(0)!;
    expect(chunked.tryGrow(50)).toBe(true);
    expect(chunked.tryGrow(21)).toBe(false);
    expect([chunked.bytes, budget.bytes]).toEqual([50, 80]);
    expect(chunked.tryGrow(20)).toBe(true);
    expect(budget.full).toBe(true);
    chunked.release();
    other.release();
    expect(held(budget)).toEqual([0, 0]);
  });

  it('hands off: the records replace the body in the count, when their events and any extra bytes fit', () => {
    const budget = new InFlightBudget({ maxEvents: 10, maxBytes: 1000 });
    const other = budget.tryReserve(0)!;
    expect(other.tryHandOff(6, 100)).toBe(true);
    expect(held(budget)).toEqual([6, 100]);

    const fewerBytes = budget.tryReserve(800)!;
    expect(fewerBytes.tryHandOff(5, 300)).toBe(false); // 11 events
    expect([fewerBytes.handedOff, fewerBytes.events, fewerBytes.bytes]).toEqual([false, 0, 800]);
    expect(held(budget)).toEqual([6, 900]);
    expect(fewerBytes.tryHandOff(4, 300)).toBe(true);
    expect(held(budget)).toEqual([10, 400]);
    expect(fewerBytes.handedOff).toBe(true);
    expect(budget.full).toBe(true); // by events
    fewerBytes.release();
    expect(held(budget)).toEqual([6, 100]);

    const moreBytes = budget.tryReserve(500)!;
    expect(moreBytes.tryHandOff(1, 901)).toBe(false); // 100 + 901 bytes
    expect(moreBytes.tryHandOff(1, 900)).toBe(true);
    expect(held(budget)).toEqual([7, 1000]);
    moreBytes.release();
    other.release();
    expect(held(budget)).toEqual([0, 0]);
  });

  it('releases once on every path: a second release, a grow or a hand-off after release change nothing', () => {
    const budget = new InFlightBudget({ maxEvents: 10, maxBytes: 1000 });
    const answered = budget.tryReserve(100)!; // refused or answered before the hand-off
    const aborted = budget.tryReserve(0)!; // a chunked body whose client went away midway
    expect(aborted.tryGrow(200)).toBe(true);
    const acknowledged = budget.tryReserve(300)!;
    expect(acknowledged.tryHandOff(3, 250)).toBe(true);
    expect(held(budget)).toEqual([3, 550]);

    aborted.release();
    aborted.release();
    expect(aborted.released).toBe(true);
    expect(aborted.tryGrow(1)).toBe(false);
    expect(held(budget)).toEqual([3, 350]);
    answered.release();
    expect(answered.tryHandOff(1, 1)).toBe(false);
    expect(held(budget)).toEqual([3, 250]);
    acknowledged.release();
    acknowledged.release();
    expect(held(budget)).toEqual([0, 0]);
  });

  it('does not grow a reservation once handed off, nor hand it off twice', () => {
    const budget = new InFlightBudget({ maxEvents: 10, maxBytes: 1000 });
    const r = budget.tryReserve(100)!;
    expect(r.tryHandOff(1, 50)).toBe(true);
    expect(r.tryGrow(10)).toBe(false);
    expect(r.tryHandOff(1, 50)).toBe(false);
    expect(held(budget)).toEqual([1, 50]);
    r.release();
    expect(held(budget)).toEqual([0, 0]);
  });

  it('is full when either limit is reached', () => {
    const byBytes = new InFlightBudget({ maxEvents: 10, maxBytes: 100 });
    expect(byBytes.tryReserve(100)).toBeDefined();
    expect(byBytes.full).toBe(true);
    const byEvents = new InFlightBudget({ maxEvents: 2, maxBytes: 100 });
    expect(byEvents.tryReserve(1)!.tryHandOff(2, 1)).toBe(true);
    expect(byEvents.full).toBe(true);
  });
});
