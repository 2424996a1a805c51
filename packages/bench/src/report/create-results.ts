import { VERSION } from '../version.js';
import { aggregateRuns } from './aggregate.js';
import { DEFAULT_METHOD } from './method.js';
import {
  RESULTS_SCHEMA_VERSION,
  type BenchResults,
  type Environment,
  type RunResult,
  type Workload,
} from './results.js';
import { validateResults } from './validate-results.js';

export interface CreateResultsInput {
  readonly environment: Environment;
  readonly workload: Workload;
  readonly runs: readonly RunResult[];
  readonly method?: readonly string[];
  /** @defaultValue now */
  readonly createdAt?: Date;
}

/** Assembles a results document (aggregate computed from the runs) and validates it. */
export function createResults(input: CreateResultsInput): BenchResults {
  const doc: BenchResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: '@tributary/bench', version: VERSION },
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    environment: input.environment,
    workload: input.workload,
    method: input.method ?? DEFAULT_METHOD,
    runs: input.runs,
    aggregate: aggregateRuns(input.runs),
  };
  return validateResults(doc);
}
