import { describe, expect, it } from 'vitest';
import { compareResults, comparisonExitCode } from '../../src/compare/compare.js';
import { renderComparison } from '../../src/compare/render-comparison.js';
import type { AggregatedRow, BenchResults, Spread } from '../../src/report/results.js';
import { loadFixture } from '../report/load-fixture.js';

const scale = (s: Spread | null, k: number): Spread | null =>
  s === null ? null : { min: s.min * k, median: s.median * k, max: s.max * k };

/** The fixture with one component's figures scaled. */
function variant(
  component: AggregatedRow['component'],
  change: { p99?: number; throughput?: number; rss?: number },
  correctness: Partial<BenchResults['aggregate']['correctness']> = {},
): BenchResults {
  const base = loadFixture();
  return {
    ...base,
    aggregate: {
      ...base.aggregate,
      correctness: { ...base.aggregate.correctness, ...correctness },
      components: base.aggregate.components.map((row) =>
        row.component !== component
          ? row
          : {
              ...row,
              throughputPerSec: scale(row.throughputPerSec, change.throughput ?? 1),
              rssMB: scale(row.rssMB, change.rss ?? 1),
              latencyMs: row.latencyMs && {
                ...row.latencyMs,
                p99: scale(row.latencyMs.p99, change.p99 ?? 1)!,
              },
            },
      ),
    },
  };
}

describe('compareResults', () => {
  const base = loadFixture();

  it('finds nothing when a file is compared with itself: exit code 0', () => {
    const c = compareResults(base, base);
    expect(c.regressions).toBe(0);
    expect(c.figures.every((f) => f.ratio === 1)).toBe(true);
    expect(comparisonExitCode(c)).toBe(0);
    // 4 components; end-to-end has no startup/cpu/rss/event-loop figures, only the processor has event-loop delay.
    expect(c.figures.map((f) => f.figure)).toContain('End-to-end p99');
    expect(c.figures.map((f) => f.figure)).toContain('Processor event-loop delay p99');
    expect(c.figures.map((f) => f.figure)).not.toContain('End-to-end cpu');
    expect(c.warnings).toEqual([]);
  });

  it('compares throughput per core, higher is better, on the rows that have it', () => {
    const withPerCore = (perCore: number): BenchResults => ({
      ...base,
      aggregate: {
        ...base.aggregate,
        components: base.aggregate.components.map((row) =>
          row.component === 'processor'
            ? { ...row, throughputPerCore: { min: perCore, median: perCore, max: perCore } }
            : row,
        ),
      },
    });
    const c = compareResults(withPerCore(20_000), withPerCore(15_000), { thresholdPercent: 10 });
    const perCore = c.figures.find((f) => f.figure === 'Processor per core')!;
    expect(perCore).toMatchObject({ direction: 'higher-is-better', ratio: 0.75, regression: true });
    expect(c.figures.map((f) => f.figure)).not.toContain('Kafka per core');
  });

  it('fails on lower-is-better figures that rose beyond the threshold, and only then', () => {
    const slower = variant('end-to-end', { p99: 1.2 });
    const at10 = compareResults(base, slower, { thresholdPercent: 10 });
    const p99 = at10.figures.find((f) => f.figure === 'End-to-end p99')!;
    expect(p99.direction).toBe('lower-is-better');
    expect(p99.ratio).toBeCloseTo(1.2, 9);
    expect(p99.worsePercent).toBeCloseTo(20, 9);
    expect(p99.regression).toBe(true);
    expect(comparisonExitCode(at10)).toBe(1);
    expect(comparisonExitCode(compareResults(base, slower, { thresholdPercent: 25 }))).toBe(0);
    // Exactly at the threshold is not beyond it.
    expect(comparisonExitCode(compareResults(base, slower, { thresholdPercent: 20 }))).toBe(0);
  });

  it('treats throughput as higher-is-better: a drop regresses, a rise never does', () => {
    const drop = compareResults(base, variant('kafka', { throughput: 0.85 }));
    const t = drop.figures.find((f) => f.figure === 'Kafka throughput')!;
    expect(t.direction).toBe('higher-is-better');
    expect(t.worsePercent).toBeCloseTo(15, 9);
    expect(comparisonExitCode(drop)).toBe(1);
    expect(comparisonExitCode(compareResults(base, variant('kafka', { throughput: 0.95 })))).toBe(0);
    expect(comparisonExitCode(compareResults(base, variant('kafka', { throughput: 3 })))).toBe(0);
  });

  it('treats a latency and memory improvement as fine', () => {
    const c = compareResults(base, variant('elasticsearch', { p99: 0.5, rss: 0.5 }));
    expect(c.regressions).toBe(0);
    expect(c.figures.find((f) => f.figure === 'Elasticsearch rss')!.worsePercent).toBeCloseTo(-50, 9);
  });

  it('fails on any increase in lost or duplicated events whatever the threshold', () => {
    const c = compareResults(base, variant('kafka', {}, { duplicated: 1 }), { thresholdPercent: 1000 });
    expect(c.correctness).toEqual([
      { figure: 'lost', base: 0, candidate: 0, regression: false },
      { figure: 'duplicated', base: 0, candidate: 1, regression: true },
    ]);
    expect(comparisonExitCode(c)).toBe(1);
  });

  it('warns when workloads differ and lists figures measured on one side only', () => {
    const other: BenchResults = {
      ...base,
      workload: { ...base.workload, ratePerSec: 20_000 },
      aggregate: {
        ...base.aggregate,
        components: base.aggregate.components.map((r) =>
          r.component === 'kafka' ? { ...r, cpuPercent: null } : r,
        ),
      },
    };
    const c = compareResults(base, other);
    expect(c.warnings).toEqual(['workload.ratePerSec differs: base 10000, new 20000']);
    expect(c.unmatched).toEqual(['Kafka cpu']);
  });

  it('validates the threshold', () => {
    expect(() => compareResults(base, base, { thresholdPercent: -1 })).toThrow(
      'thresholdPercent must be >= 0 (got -1)',
    );
    expect(() => compareResults(base, base, { threshold: 5 } as never)).toThrow(
      'threshold is not an option of bench compare',
    );
  });
});

describe('renderComparison', () => {
  it('prints ratios with the direction and marks regressions', () => {
    const text = renderComparison(
      compareResults(loadFixture(), variant('end-to-end', { p99: 1.2, throughput: 1.1 })),
    );
    expect(text).toMatch(/End-to-end p99\s+lower\s+1271\s+1525\s+1\.200×\s+REGRESSION \(20\.0% worse\)/);
    expect(text).toMatch(/End-to-end throughput\s+higher\s+9998\s+10998\s+1\.100×\s+ok \(10\.0% better\)/);
    expect(text).toMatch(/duplicated\s+lower\s+0\s+0\s+ok/);
    expect(text).toMatch(/Kafka p99\s+lower\s+11\.43\s+11\.43\s+1\.000×\s+ok \(same\)/);
    expect(text.split('\n').at(-1)).toBe('1 regression(s) beyond 10% (lost/duplicated: any increase).');
  });
});
