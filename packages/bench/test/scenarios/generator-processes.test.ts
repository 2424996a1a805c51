import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  combineGeneratorReports,
  generatorCount,
  producerCliPath,
} from '../../src/scenarios/generator-processes.js';

describe('generator processes', () => {
  it('splits a rate over one process per ratePerGenerator, within 1..max', () => {
    expect(generatorCount(5000, 15_000, 4)).toBe(1);
    expect(generatorCount(15_000, 15_000, 4)).toBe(1);
    expect(generatorCount(20_000, 15_000, 4)).toBe(2);
    expect(generatorCount(160_000, 15_000, 4)).toBe(4);
  });

  it('sums sent and rates and keeps the worst p99 of processes that measured one', () => {
    expect(
      combineGeneratorReports([
        { sent: 100, recordsPerSec: 50, latency: { count: 80, p99Ms: 12 } },
        { sent: 90, recordsPerSec: 45, latency: { count: 70, p99Ms: 30 } },
        { sent: 0, recordsPerSec: 0, latency: { count: 0, p99Ms: 0 } },
      ]),
    ).toEqual({ generators: 3, sent: 190, recordsPerSec: 95, ackP99Ms: 30 });
  });

  it('finds the installed tributary-produce CLI', () => {
    expect(producerCliPath()).toMatch(/producer[/\\]dist[/\\]cli\.js$/);
    expect(existsSync(producerCliPath())).toBe(true);
  });
});
