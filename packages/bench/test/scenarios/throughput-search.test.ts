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
  consumeP99Ms: 20,
  lag: 0,
  processorCores: 0.5,
  ...patch,
});

describe('ThroughputSearch', () => {
  it('raises the rate by the factor until a step diverges and keeps the last stable one', () => {
    const search = new ThroughputSearch({
      startRate: 1000,
      stepFactor: 2,
      ackP99LimitMs: 100,
      confirmDivergence: false,
    });
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
  });

  it('diverges on the Kafka → processor p99; unmeasured (null) never diverges', () => {
    const search = new ThroughputSearch({ consumeP99LimitMs: 500 });
    expect(search.judge(step(1000, { consumeP99Ms: 500 })).stable).toBe(true);
    expect(search.judge(step(1000, { consumeP99Ms: null })).stable).toBe(true);
    const verdict = search.judge(step(1000, { consumeP99Ms: 501 }));
    expect(verdict.outcome).toBe('diverged');
    expect(verdict.reasons).toEqual(['Kafka → processor p99 501 ms > 500 ms']);
  });

  it('calls a step that only sent too few events generator-limited, not diverged, and ends the search', () => {
    const search = new ThroughputSearch({ startRate: 1000, minSentFraction: 0.9 });
    search.record(step(1000));
    const limited = search.record(step(2000, { sent: 12_000 }));
    expect(limited.outcome).toBe('generator-limited');
    expect(limited.reasons).toEqual(['the load generator sent 12000 of 14000 planned events']);
    expect(search.done).toBe(true);
    expect(search.lastStable?.rate).toBe(1000);
    expect(search.stopReason).toMatch(/^generator-limited at 2000\/s: the load generator sent/);
    // Latency divergence wins over the generator limit when both happen.
    expect(search.judge(step(1000, { sent: 10, ackP99Ms: 5000 })).outcome).toBe('diverged');
  });

  it('prints its criterion and says when the budget ended the search first', () => {
    const search = new ThroughputSearch({ startRate: 1000 });
    expect(search.criterion()).toBe(
      'rate ×2 per step from 1000/s until latency or lag diverges: produce-ack p99 > 2000 ms, ' +
        'Kafka → processor p99 > 2000 ms, or processor input lag > 2 s of input at the end of the step; ' +
        'fewer than 95% of the planned events sent = load-generator limit (not a divergence); ' +
        'a diverged step is repeated once and must diverge again',
    );
    search.record(step(1000));
    search.stop();
    expect(search.stopReason).toMatch(/^time budget spent before any step diverged/);
  });

  it('repeats a diverged step once: a noisy step does not end the search, a confirmed divergence does', () => {
    const search = new ThroughputSearch({ startRate: 1000, stepFactor: 2, ackP99LimitMs: 100 });
    search.record(step(1000, { ackP99Ms: 900 })); // noisy first step
    expect(search.done).toBe(false);
    expect(search.nextRate()).toBe(1000); // repeated
    search.record(step(1000));
    expect(search.nextRate()).toBe(2000);
    search.record(step(2000, { lag: 10_000 }));
    expect(search.nextRate()).toBe(2000);
    expect(search.diverged).toBeUndefined();
    search.record(step(2000, { lag: 10_000 }));
    expect(search.done).toBe(true);
    expect(search.lastStable?.rate).toBe(1000);
    expect(search.diverged?.rate).toBe(2000);
    expect(search.stopReason).toMatch(/^diverged \(twice\) at 2000\/s: input lag 10000 > 2 s of input/);
    expect(search.steps).toHaveLength(4);
  });

  it('says when the budget ended the search before a divergence was repeated', () => {
    const search = new ThroughputSearch({ startRate: 1000, ackP99LimitMs: 100 });
    search.record(step(1000));
    search.record(step(2000, { ackP99Ms: 500 }));
    search.stop();
    expect(search.stopReason).toBe(
      'diverged (once; the time budget ended before the repeat) at 2000/s: produce-ack p99 500 ms > 100 ms',
    );
    expect(search.diverged?.rate).toBe(2000);
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
    expect(() => new ThroughputSearch({ consumeP99LimitMs: 0 })).toThrow(
      /^consumeP99LimitMs must be a positive/,
    );
  });
});

describe('eventsPerCore', () => {
  it('divides the achieved rate by the cores busy', () => {
    expect(eventsPerCore({ achievedPerSec: 9000, processorCores: 0.5 })).toBe(18_000);
    expect(eventsPerCore({ achievedPerSec: 9000, processorCores: null })).toBeNull();
    expect(eventsPerCore({ achievedPerSec: 9000, processorCores: 0 })).toBeNull();
  });
});
