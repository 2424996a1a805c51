import { describe, expect, it } from 'vitest';
import { aggregateRuns, median, spreadOf, sumCorrectness } from '../../src/report/aggregate.js';
import type { ComponentRow, RunResult } from '../../src/report/results.js';

function row(component: ComponentRow['component'], p99: number | null, cpu: number | null): ComponentRow {
  return {
    component,
    version: component === 'end-to-end' ? null : '1',
    startupMs: null,
    throughputPerSec: 1000,
    latencyMs: p99 === null ? null : { p50: p99 / 2, p99, p99_9: p99 * 2, max: p99 * 3 },
    latencyDefinition: null,
    cpuPercent: cpu,
    rssMB: null,
    eventLoopDelayP99Ms: null,
  };
}

function run(n: number, rows: ComponentRow[], lost = 0): RunResult {
  return {
    run: n,
    startedAt: '2026-01-01T00:00:00Z',
    components: rows,
    correctness: { produced: 100, counted: 100 - lost, late: 0, deadLettered: 0, lost, duplicated: 0 },
    series: [],
    histograms: {},
  };
}

describe('median / spreadOf', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('ignores runs that did not measure the figure and is null when none did', () => {
    expect(spreadOf([10, null, 30, 20])).toEqual({ min: 10, median: 20, max: 30 });
    expect(spreadOf([null, null])).toBeNull();
  });
});

describe('aggregateRuns', () => {
  it('gives min/median/max per figure, components in table order, correctness summed', () => {
    const agg = aggregateRuns([
      run(1, [row('end-to-end', 90, null), row('kafka', 10, 30)]),
      run(2, [row('kafka', 14, 50), row('end-to-end', 80, null)], 2),
      run(3, [row('kafka', 12, 40), row('end-to-end', 100, null)], 1),
    ]);
    expect(agg.runs).toBe(3);
    expect(agg.components.map((c) => c.component)).toEqual(['kafka', 'end-to-end']);
    expect(agg.components[0]!.latencyMs!.p99).toEqual({ min: 10, median: 12, max: 14 });
    expect(agg.components[0]!.latencyMs!.max).toEqual({ min: 30, median: 36, max: 42 });
    expect(agg.components[0]!.cpuPercent).toEqual({ min: 30, median: 40, max: 50 });
    expect(agg.components[1]!.latencyMs!.p99).toEqual({ min: 80, median: 90, max: 100 });
    expect(agg.components[1]!.cpuPercent).toBeNull();
    expect(agg.components[1]!.version).toBeNull();
    expect(agg.correctness).toEqual({
      produced: 300,
      counted: 297,
      late: 0,
      deadLettered: 0,
      lost: 3,
      duplicated: 0,
    });
  });

  it('keeps latency null when no run measured it and refuses zero runs', () => {
    expect(aggregateRuns([run(1, [row('processor', null, 5)])]).components[0]!.latencyMs).toBeNull();
    expect(() => aggregateRuns([])).toThrow(RangeError);
  });

  it('sums correctness lines', () => {
    const line = { produced: 1, counted: 2, late: 3, deadLettered: 4, lost: 5, duplicated: 6 };
    expect(sumCorrectness([line, line])).toEqual({
      produced: 2,
      counted: 4,
      late: 6,
      deadLettered: 8,
      lost: 10,
      duplicated: 12,
    });
  });
});
