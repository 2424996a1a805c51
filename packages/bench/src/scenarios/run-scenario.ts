import type { ResolvedRunOptions } from '../cli/run-options.js';
import { SCENARIOS, type RunResult, type Scenario, type Workload } from '../report/results.js';
import { GATEWAY_WORKLOAD_DEFAULTS, runGatewayOnce } from './gateway-scenario.js';
import { COORDINATED_OMISSION_NOTE } from './http-load.js';
import { MAX_THROUGHPUT_DEFAULTS, runMaxThroughputOnce } from './max-throughput-scenario.js';
import { PEERS_WORKLOAD_DEFAULTS, runPeersOnce } from './peers-scenario.js';
import { QUERIES_WORKLOAD_DEFAULTS, runQueriesOnce } from './queries-scenario.js';
import type { ScenarioContext } from './scenario-run.js';
import { THROUGHPUT_SEARCH_DEFAULTS } from './throughput-search.js';

/** The figures-only scenarios (everything but `table`). */
export type FiguresScenario = Exclude<Scenario, 'table'>;

/** Runs of a figures scenario: `max-throughput` is one search whatever `--runs` says; the others follow `--runs`. */
export function scenarioRuns(scenario: FiguresScenario, options: Pick<ResolvedRunOptions, 'runs'>): number {
  return scenario === SCENARIOS.MAX_THROUGHPUT ? 1 : options.runs;
}

/** The workload block of a figures scenario's results, from the run options. */
export function scenarioWorkload(scenario: FiguresScenario, options: ResolvedRunOptions): Workload {
  const runs = scenarioRuns(scenario, options);
  switch (scenario) {
    case SCENARIOS.GATEWAY: {
      const g = GATEWAY_WORKLOAD_DEFAULTS;
      return {
        scenario,
        ratePerSec: g.requestsPerSec * g.eventsPerRequest,
        durationMs: options.loadDurationMs,
        warmupMs: 0,
        partitions: options.partitions,
        runs,
        params: {
          requestsPerSec: g.requestsPerSec,
          eventsPerRequest: g.eventsPerRequest,
          connections: g.connections,
          body: 'JSON array of generated events',
          http: 'HTTP/1.1, no pipelining',
          coordinatedOmissionCorrection: false,
        },
      };
    }
    case SCENARIOS.QUERIES: {
      const q = QUERIES_WORKLOAD_DEFAULTS;
      return {
        scenario,
        ratePerSec: q.queriesPerSec,
        durationMs: options.loadDurationMs,
        warmupMs: 0,
        partitions: 1,
        runs,
        params: {
          queries:
            'top-pages (terms on page_url, last 5 min), clicks-vs-views (date_histogram 1m with sums, last 30 min)',
          queriesPerSec: q.queriesPerSec,
          ingestDocsPerSec: q.ingestDocsPerSec,
          historyMinutes: q.historyMinutes,
          pages: q.pages,
          connections: q.connections,
          coordinatedOmissionCorrection: false,
        },
      };
    }
    case SCENARIOS.PEERS:
      return {
        scenario,
        ratePerSec: null,
        durationMs: 0,
        warmupMs: 0,
        partitions: PEERS_WORKLOAD_DEFAULTS.partitions,
        runs,
        params: {
          records: options.peerRecords,
          recordSize: PEERS_WORKLOAD_DEFAULTS.recordSize,
          documents: Math.max(1000, Math.round(options.peerRecords / 5)),
          acks: 'all',
          compression: 'lz4',
        },
      };
    case SCENARIOS.MAX_THROUGHPUT:
      return {
        scenario,
        ratePerSec: null,
        durationMs: options.stepMs,
        warmupMs: MAX_THROUGHPUT_DEFAULTS.stepWarmupMs,
        partitions: options.partitions,
        runs,
        params: {
          startRate: options.startRate,
          stepFactor: options.stepFactor,
          budgetMs: options.maxBudgetMs,
          ackP99LimitMs: THROUGHPUT_SEARCH_DEFAULTS.ackP99LimitMs,
          consumeP99LimitMs: THROUGHPUT_SEARCH_DEFAULTS.consumeP99LimitMs,
          lagLimitSec: THROUGHPUT_SEARCH_DEFAULTS.lagLimitSec,
          minSentFraction: THROUGHPUT_SEARCH_DEFAULTS.minSentFraction,
          ratePerGenerator: MAX_THROUGHPUT_DEFAULTS.ratePerGenerator,
          maxGenerators: MAX_THROUGHPUT_DEFAULTS.maxGenerators,
        },
      };
  }
}

/** Method sentences added to the defaults for a figures scenario. */
export function scenarioMethod(scenario: FiguresScenario): readonly string[] {
  switch (scenario) {
    case SCENARIOS.GATEWAY:
    case SCENARIOS.QUERIES:
      return [COORDINATED_OMISSION_NOTE];
    case SCENARIOS.PEERS:
      return [
        'Peers run one after the other on the same servers, in alternating order by run number; ratios are ours / peer, higher is better.',
      ];
    case SCENARIOS.MAX_THROUGHPUT:
      return [
        'The rate rises in steps until a step diverges: produce-ack p99 or Kafka → processor p99 (measured inside the processor) above its limit, or the processor group lagging by more than the limit in seconds of input at the end of the step. A step in which the load generator sent too few of its planned events ends the search as a load-generator (host) limit, reported as such, not as a divergence.',
      ];
  }
}

/** One run of a figures scenario with the run options mapped onto its workload. */
export function runScenarioOnce(
  scenario: FiguresScenario,
  ctx: ScenarioContext,
  options: ResolvedRunOptions,
): Promise<RunResult> {
  switch (scenario) {
    case SCENARIOS.GATEWAY:
      return runGatewayOnce(ctx, { durationMs: options.loadDurationMs, partitions: options.partitions });
    case SCENARIOS.QUERIES:
      return runQueriesOnce(ctx, { durationMs: options.loadDurationMs });
    case SCENARIOS.PEERS:
      return runPeersOnce(ctx, {
        records: options.peerRecords,
        documents: Math.max(1000, Math.round(options.peerRecords / 5)),
      });
    case SCENARIOS.MAX_THROUGHPUT:
      return runMaxThroughputOnce(ctx, {
        startRate: options.startRate,
        stepFactor: options.stepFactor,
        stepMs: options.stepMs,
        budgetMs: options.maxBudgetMs,
        partitions: options.partitions,
      });
  }
}
