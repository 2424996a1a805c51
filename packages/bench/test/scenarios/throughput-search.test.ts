import { describe, expect, it } from 'vitest';
import {
  eventsPerCore,
  ThroughputSearch,
  type StepMeasurement,
} from '../../src/scenarios/throughput-search.js';

const step = (rate: number, patch: Partial<StepMeasurement> = {}): StepMeasurement => ({
  rate,
  planned: rate * 7,
  sent: rate * 7,
  achievedPerSec: rate,
  ackP99Ms: 50,
  lag: 0,
  processorCores: 0.5,
  ...patch,
});

describe('ThroughputSearch', () => {
  it('raises the rate by the factor until a step diverges and keeps the last stable one', () => {
    const search = new ThroughputSearch({ startRate: 1000, stepFactor: 2, ackP99LimitMs: 100 });
    expect(search.nextRate()).toBe(1000);
    search.record(step(1000));
    expect(search.nextRate()).toBe(2000);
    search.record(step(2000));
    expect(search.nextRate()).toBe(4000);
    const verdict = search.record(step(4000, { ackP99Ms: 250 }));
    expect(verdict.stable).toBe(false);
    expect(verdict.reasons).toEqual(['produce-ack p99 250 ms > 100 ms']);
    expect(search.done).toBe(true);
    expect(search.nextRate()).toBeUndefined();
    expect(search.lastStable?.rate).toBe(2000);
    expect(search.steps).toHaveLength(3);
  });

  it('diverges on lag beyond the limit in seconds of input and on too few events sent', () => {
    const search = new ThroughputSearch({ lagLimitSec: 2, minSentFraction: 0.9 });
    expect(search.judge(step(1000, { lag: 2000 })).stable).toBe(true);
    expect(search.judge(step(1000, { lag: 2001 })).reasons[0]).toMatch(/^input lag 2001 > 2 s of input/);
    expect(search.judge(step(1000, { sent: 6000 })).reasons).toEqual(['sent 6000 of 7000 planned events']);
  });

  it('stops after the step at maxRate, and on stop()', () => {
    const capped = new ThroughputSearch({ startRate: 1000, stepFactor: 3, maxRate: 2000 });
    capped.record(step(1000));
    expect(capped.nextRate()).toBe(2000);
    capped.record(step(2000));
    expect(capped.done).toBe(true);
    const stopped = new ThroughputSearch();
    stopped.stop();
    expect(stopped.nextRate()).toBeUndefined();
    expect(stopped.lastStable).toBeUndefined();
  });

  it('rejects bad options naming them', () => {
    expect(() => new ThroughputSearch({ stepFactor: 1 })).toThrow(/^stepFactor must be > 1/);
    expect(() => new ThroughputSearch({ startRate: -1 })).toThrow(/^startRate must be a positive number/);
    expect(() => new ThroughputSearch({ startRate: 10, maxRate: 5 })).toThrow(
      /^maxRate must be at least startRate/,
    );
    expect(() => new ThroughputSearch({ minSentFraction: 2 })).toThrow(/^minSentFraction must be in/);
  });
});

describe('eventsPerCore', () => {
  it('divides the achieved rate by the cores busy', () => {
    expect(eventsPerCore({ achievedPerSec: 9000, processorCores: 0.5 })).toBe(18_000);
    expect(eventsPerCore({ achievedPerSec: 9000, processorCores: null })).toBeNull();
    expect(eventsPerCore({ achievedPerSec: 9000, processorCores: 0 })).toBeNull();
  });
});
