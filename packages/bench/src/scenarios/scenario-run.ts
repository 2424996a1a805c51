import { randomBytes } from 'node:crypto';
import type { Correctness, Figure, RunResult } from '../report/results.js';

/** What every scenario run gets: the servers, its run number and a progress log. */
export interface ScenarioContext {
  readonly run: number;
  readonly brokers: readonly string[];
  readonly elasticsearchUrl: string;
  readonly log: (line: string) => void;
}

/** A unique prefix for a run's topics, groups and indices (`bench-<scenario>-<time>-<random>`). */
export function scenarioRunId(scenario: string): string {
  return `bench-${scenario}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export const NO_EVENTS: Correctness = {
  produced: 0,
  counted: 0,
  late: 0,
  deadLettered: 0,
  lost: 0,
  duplicated: 0,
};

/** A run of a figures-only scenario: no component rows, no correctness line unless given. */
export function figuresRun(
  run: number,
  startedAt: string,
  figures: readonly Figure[],
  extra: Partial<Pick<RunResult, 'series' | 'correctness' | 'components'>> = {},
): RunResult {
  return {
    run,
    startedAt,
    components: extra.components ?? [],
    correctness: extra.correctness ?? NO_EVENTS,
    series: extra.series ?? [],
    histograms: {},
    figures,
  };
}
