import { describe, expect, it } from 'vitest';
import { compareResults, figureDirection } from '../../src/compare/compare.js';
import { aggregateFigures } from '../../src/report/aggregate.js';
import { createResults } from '../../src/report/create-results.js';
import { figureCells, formatFigureValue, renderFigures } from '../../src/report/figures-table.js';
import { renderHtmlReport } from '../../src/report/html-report.js';
import type { RunResult } from '../../src/report/results.js';
import { renderTable } from '../../src/report/table.js';
import { validateResults } from '../../src/report/validate-results.js';
import { figuresRun } from '../../src/scenarios/scenario-run.js';
import { loadFixture } from './load-fixture.js';

const runs: RunResult[] = [
  figuresRun(1, '2026-11-22T11:00:00.000Z', [
    { name: 'gateway.requests', unit: 'req/s', value: 190, note: 'intended 200 req/s' },
    { name: 'gateway.latency.p99', unit: 'ms', value: 12 },
    { name: 'peers.bulk.ratio', unit: '×', value: 1.1 },
  ]),
  figuresRun(2, '2026-11-22T11:01:00.000Z', [
    { name: 'gateway.requests', unit: 'req/s', value: 200 },
    { name: 'gateway.latency.p99', unit: 'ms', value: null },
    { name: 'peers.bulk.ratio', unit: '×', value: 0.9 },
  ]),
  figuresRun(3, '2026-11-22T11:02:00.000Z', [
    { name: 'gateway.requests', unit: 'req/s', value: 198 },
    { name: 'gateway.latency.p99', unit: 'ms', value: 14 },
  ]),
];

describe('figures across runs', () => {
  it('aggregates each name in first-seen order as median (min–max) of the measured values', () => {
    expect(aggregateFigures(runs)).toEqual([
      {
        name: 'gateway.requests',
        unit: 'req/s',
        spread: { min: 190, median: 198, max: 200 },
        note: 'intended 200 req/s',
      },
      { name: 'gateway.latency.p99', unit: 'ms', spread: { min: 12, median: 13, max: 14 } },
      { name: 'peers.bulk.ratio', unit: '×', spread: { min: 0.9, median: 1, max: 1.1 } },
    ]);
  });

  it('formats values by unit', () => {
    expect(formatFigureValue(12.5, 'ms')).toBe('12.5 ms');
    expect(formatFigureValue(25_000, 'events/s')).toBe('25.0k events/s');
    expect(formatFigureValue(1.234, '×')).toBe('1.23×');
    expect(formatFigureValue(42, 'requests')).toBe('42 requests');
    expect(formatFigureValue(0.268, 'cores')).toBe('0.268 cores');
  });

  it('renders a text table and cells for HTML', () => {
    const figures = aggregateFigures(runs);
    expect(figureCells(figures)[1]).toEqual([
      'gateway.requests',
      '198 req/s (190–200)',
      'intended 200 req/s',
    ]);
    const text = renderFigures(figures);
    expect(text.split('\n')[0]).toMatch(/^Figure\s+Value\s+Note$/);
    expect(text).toContain('1.00× (0.900–1.10)');
  });
});

describe('results with figures', () => {
  const fixture = loadFixture();
  const results = createResults({
    environment: fixture.environment,
    workload: {
      scenario: 'gateway',
      ratePerSec: 10_000,
      durationMs: 5000,
      warmupMs: 0,
      partitions: 4,
      runs: 3,
      params: { coordinatedOmissionCorrection: false },
    },
    runs,
  });

  it('validate, with figures in the runs and the aggregate', () => {
    expect(results.aggregate.figures).toHaveLength(3);
    expect(validateResults(JSON.parse(JSON.stringify(results)))).toEqual(results);
    const broken = JSON.parse(JSON.stringify(results)) as { runs: { figures: { value: unknown }[] }[] };
    broken.runs[0]!.figures[0]!.value = 'fast';
    expect(() => validateResults(broken)).toThrow('results runs[0].figures[0].value must be a finite number');
  });

  it('print the figures and the coordinated-omission line instead of an empty component table', () => {
    const text = renderTable(results);
    expect(text.split('\n')[0]).toBe('Scenario gateway: 3 runs, figures are median (min–max) across runs');
    expect(text).not.toContain('Component');
    expect(text).not.toContain('Correctness');
    expect(text).toContain('gateway.latency.p99');
    expect(text).toContain('Coordinated-omission correction: off');
    const html = renderHtmlReport(results);
    expect(html).toContain('<td class="l">gateway.requests</td>');
  });

  it('leave the table scenario as it was', () => {
    expect(fixture.aggregate.figures).toBeUndefined();
    expect(renderTable(fixture)).toContain('Correctness:');
  });
});

describe('comparing scenario figures', () => {
  const fixture = loadFixture();
  const make = (p99: number, rate: number, ratio: number): ReturnType<typeof createResults> =>
    createResults({
      environment: fixture.environment,
      workload: {
        scenario: 'peers',
        ratePerSec: null,
        durationMs: 0,
        warmupMs: 0,
        partitions: 4,
        runs: 1,
        params: {},
      },
      runs: [
        figuresRun(1, '2026-11-22T11:00:00.000Z', [
          { name: 'q.latency.p99', unit: 'ms', value: p99 },
          { name: 'q.requests', unit: 'req/s', value: rate },
          { name: 'peers.bulk.ratio', unit: '×', value: ratio },
          { name: 'q.status.200', unit: 'requests', value: rate * 5 },
        ]),
      ],
    });

  it('compares by the direction of the unit and skips counts', () => {
    expect(figureDirection({ unit: 'ms' })).toBe('lower-is-better');
    expect(figureDirection({ unit: 'events/s' })).toBe('higher-is-better');
    expect(figureDirection({ unit: '×' })).toBe('higher-is-better');
    expect(figureDirection({ unit: 'requests' })).toBeUndefined();
    const c = compareResults(make(10, 100, 1), make(12, 95, 0.8));
    expect(c.figures.map((f) => [f.figure, f.regression])).toEqual([
      ['q.latency.p99', true],
      ['q.requests', false],
      ['peers.bulk.ratio', true],
    ]);
    expect(c.regressions).toBe(2);
  });
});

describe('HTML report of a figures scenario', () => {
  it('has figures per run, the coordinated-omission note, and no empty latency or correctness sections', () => {
    const fixture = loadFixture();
    const html = renderHtmlReport(
      createResults({
        environment: fixture.environment,
        workload: {
          scenario: 'queries',
          ratePerSec: 50,
          durationMs: 5000,
          warmupMs: 0,
          partitions: 1,
          runs: 1,
          params: { coordinatedOmissionCorrection: false },
        },
        runs: [figuresRun(1, '2026-11-22T11:00:00.000Z', [{ name: 'q.latency.p99', unit: 'ms', value: 12 }])],
      }),
    );
    expect(html).toContain('<td>1</td><td class="l">q.latency.p99</td><td>12.0 ms</td>');
    expect(html).toContain('Coordinated-omission correction: <b>off</b>');
    expect(html).not.toContain('Latency by percentile');
    expect(html).not.toContain('Correctness:');
    expect(renderHtmlReport(fixture)).toContain('Latency by percentile');
  });
});
