import { describe, expect, it } from 'vitest';
import { createResults } from '../../src/report/create-results.js';
import { validateResults } from '../../src/report/validate-results.js';
import { loadFixture } from './load-fixture.js';

/** The fixture with the value at a dotted path (`runs.1.correctness.lost`) replaced. */
function mutate(path: string, value: unknown): unknown {
  const doc = structuredClone(loadFixture()) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let node = doc;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1)!] = value;
  return doc;
}

describe('validateResults', () => {
  it('accepts the fixture', () => {
    expect(validateResults(loadFixture()).aggregate.runs).toBe(3);
  });

  it.each([
    ['schemaVersion', 2, 'results schemaVersion must be 1'],
    ['environment.cpu.cores', 0, 'results environment.cpu.cores must be a number >= 1'],
    ['workload.scenario', 'fast', 'results workload.scenario must be one of table'],
    [
      'runs.1.components.2.latencyMs.p99',
      'slow',
      'results runs[1].components[2].latencyMs.p99 must be a number >= 0',
    ],
    ['runs.0.correctness.lost', -1, 'results runs[0].correctness.lost must be a number >= 0'],
    [
      'aggregate.components.0.rssMB',
      { min: 3, median: 2, max: 4 },
      'results aggregate.components[0].rssMB must satisfy min <= median <= max',
    ],
    ['runs.0.series.0.points.3', [1], 'results runs[0].series[0].points[3] must be a [tMs, value] pair'],
    [
      'runs.0.components.0.component',
      'storm',
      'results runs[0].components[0].component must be one of kafka',
    ],
    ['runs.0.histograms.end-to-end', 42, 'results runs[0].histograms.end-to-end must be a string'],
    [
      'runs.0.components.0.correctness',
      { produced: 10 },
      'results runs[0].components[0].correctness.counted must be a number >= 0',
    ],
    [
      'aggregate.components.1.throughputPerCore',
      { min: 3, median: 2, max: 4 },
      'results aggregate.components[1].throughputPerCore must satisfy min <= median <= max',
    ],
  ])('names the offending path: %s', (path, value, message) => {
    const doc = mutate(path, value);
    expect(() => validateResults(doc)).toThrow(
      expect.objectContaining({ code: 'TRIB_BENCH_INVALID_RESULTS' }),
    );
    expect(() => validateResults(doc)).toThrow(message);
  });

  it('rejects non-objects', () => {
    expect(() => validateResults([])).toThrow('results (root) must be an object');
  });
});

describe('createResults', () => {
  it('recomputes the aggregate from the runs and stamps the tool', () => {
    const fixture = loadFixture();
    const doc = createResults({
      environment: fixture.environment,
      workload: fixture.workload,
      runs: fixture.runs.slice(0, 1),
      createdAt: new Date('2026-01-02T03:04:05Z'),
    });
    expect(doc.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(doc.tool.name).toBe('@tributary/bench');
    expect(doc.aggregate.runs).toBe(1);
    expect(doc.aggregate.components[0]!.latencyMs!.p99.min).toBe(
      fixture.runs[0]!.components[0]!.latencyMs!.p99,
    );
    expect(doc.method.length).toBeGreaterThan(3);
  });
});
