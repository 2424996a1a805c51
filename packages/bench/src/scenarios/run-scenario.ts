import { latencyPeers, type ResolvedRunOptions } from '../cli/run-options.js';
import { SCENARIOS, type RunResult, type Scenario, type Workload } from '../report/results.js';
import { GATEWAY_WORKLOAD_DEFAULTS, runGatewayOnce } from './gateway-scenario.js';
import { COORDINATED_OMISSION_NOTE } from './http-load.js';
import { MAX_THROUGHPUT_DEFAULTS, runMaxThroughputOnce } from './max-throughput-scenario.js';
import { PEERS_WORKLOAD_DEFAULTS, runPeersOnce } from './peers-scenario.js';

import { latencyContenders, SEED_FLINK_CHECKPOINTING } from './latency-contenders.js';
import {
  PEERS_LATENCY_DEFAULTS,
  preparePeerJars,
  runPeersLatencyOnce,
  type PeersLatencyWorkload,
} from './peers-latency-scenario.js';
import { QUERIES_WORKLOAD_DEFAULTS, runQueriesOnce } from './queries-scenario.js';
import type { ScenarioContext } from './scenario-run.js';
import { THROUGHPUT_SEARCH_DEFAULTS } from './throughput-search.js';

/** The figures-only scenarios (everything but `table`). */
export type FiguresScenario = Exclude<Scenario, 'table'>;

/** Runs of a figures scenario: `max-throughput` is one search whatever `--runs` says; the others follow `--runs`. */
export function scenarioRuns(scenario: FiguresScenario, options: Pick<ResolvedRunOptions, 'runs'>): number {
  return scenario === SCENARIOS.MAX_THROUGHPUT ? 1 : options.runs;
}

/** The `peers-latency` workload from the run options: the `table` workload's rate, windows and partitions. */
export function peersLatencyWorkload(options: ResolvedRunOptions): PeersLatencyWorkload {
  return {
    ...PEERS_LATENCY_DEFAULTS,
    ratePerSec: options.ratePerSec,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    partitions: options.partitions,
    peers: latencyPeers(options),
    processorCommitIntervalMs: options.processorCommitIntervalMs,
    kafkaStreamsCommitIntervalMs: options.kafkaStreamsCommitIntervalMs,
    flinkCheckpointIntervalMs: options.flinkCheckpointIntervalMs,
    parallelism: options.peerParallelism,
    heap: options.peerHeap,
    javaCommand: options.javaCommand,
  };
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
    case SCENARIOS.PEERS_LATENCY: {
      const w = peersLatencyWorkload(options);
      return {
        scenario,
        ratePerSec: w.ratePerSec,
        durationMs: w.durationMs,
        warmupMs: w.warmupMs,
        partitions: w.partitions,
        runs,
        params: {
          contenders: latencyContenders(w.peers).join(','),
          windowSizeMs: w.windowSizeMs,
          outOfOrdernessMs: w.outOfOrdernessMs,
          idleTimeoutMs: w.idleTimeoutMs,
          pages: w.pages,
          seed: w.seed,
          compression: w.compression,
          processorCommitIntervalMs: w.processorCommitIntervalMs,
          kafkaStreamsCommitIntervalMs: w.kafkaStreamsCommitIntervalMs,
          flinkCheckpointIntervalMs: w.flinkCheckpointIntervalMs,
          flinkSeedCheckpointIntervalMs: SEED_FLINK_CHECKPOINTING.intervalMs,
          flinkSeedMinPauseMs: SEED_FLINK_CHECKPOINTING.minPauseMs,
          parallelism: w.parallelism,
          peerHeap: w.heap,
          tailMarginMs: w.tailMarginMs,
          elasticsearch: false,
        },
      };
    }
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
    case SCENARIOS.PEERS_LATENCY:
      return [
        'Ours (the processor CLI without Elasticsearch) and each JVM peer run the same clickstream job one after the other on the same broker, each on its own topics, under the same open-loop load (same seed, rate, duration and warm-up); the order rotates with the run number.',
        'Each row is window close (window end + out-of-orderness bound) → the final window result readable by a read_committed consumer of its results topic, for the windows closing after the warm-up and at least the tail margin before the last event; CPU and RSS are those of the contender process over the measured window.',
        "Throughput is the input records the contender's consumer group committed per second over the measured window (its committed offsets read every 500 ms, between the first and the last reading that saw a commit); per core is that throughput over the contender's mean CPU in cores.",
        "Every row has its own correctness line: each window of the contender's committed results (read_committed) against the producer's ground truth; the run's correctness line and exit code are ours.",
        'Flink runs twice: with checkpoints as the seed configures them (every 5 s, min pause 1 s, timeout 60 s, 3 tolerable failures) and at the tuned interval without the pause; its exactly-once sink commits when a checkpoint completes.',
        'Ratios are ours / peer: latency and CPU lower is better (below 1 ours committed sooner or used less CPU), throughput per core higher is better.',
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
    case SCENARIOS.PEERS_LATENCY:
      return runPeersLatency(ctx, options);
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

async function runPeersLatency(ctx: ScenarioContext, options: ResolvedRunOptions): Promise<RunResult> {
  const w = peersLatencyWorkload(options);
  const { jars, skippedNote } = await preparePeerJars(ctx, w, options.mavenCommand);
  return runPeersLatencyOnce(ctx, w, jars, skippedNote);
}
