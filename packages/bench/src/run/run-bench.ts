import { join } from 'node:path';
import { devstackOptionsFromEnv, startDevstack, type ElasticsearchHandle } from '@tributary/devstack';
import { ELASTICSEARCH_CONNECTION_OPTIONS, type ElasticsearchConnectionValues } from '@tributary/es-sink';
import type { CliIo, ExitCode } from '../cli/main.js';
import { scenariosToRun, type ResolvedRunOptions } from '../cli/run-options.js';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';
import { LatencyHistogram } from '@tributary/producer';
import { createResults } from '../report/create-results.js';
import { collectEnvironment, installedVersion } from '../report/environment.js';
import { renderHtmlReport } from '../report/html-report.js';
import { DEFAULT_METHOD } from '../report/method.js';
import { ELASTICSEARCH_WARMUP_METHOD } from './elasticsearch-warmup.js';
import {
  SCENARIO_VALUES,
  SCENARIOS,
  type BenchResults,
  type Environment,
  type RunResult,
} from '../report/results.js';
import {
  runScenarioOnce,
  scenarioMethod,
  scenarioRuns,
  scenarioWorkload,
  type FiguresScenario,
} from '../scenarios/run-scenario.js';
import { benchKafkaSecurity, type BenchKafkaSecurity } from '../scenarios/scenario-run.js';
import { renderTable } from '../report/table.js';
import { findProcesses } from '../resources/proc-stat.js';
import { followServerPid, SERVER_MARKERS } from '../resources/server-pid.js';
import { probePipeline, type ModuleImporter } from './pipeline-probe.js';
import { runTableOnce, TABLE_WORKLOAD_DEFAULTS, type ServerInfo } from './table-run.js';

/** Scenarios `bench run` can execute in this version. */
export const IMPLEMENTED_SCENARIOS: readonly string[] = SCENARIO_VALUES;

interface Servers {
  readonly brokers: readonly string[];
  readonly esConnection: ElasticsearchConnectionValues;
  readonly kafkaSecurity: BenchKafkaSecurity;
}

/** How the run reaches the devstack's Elasticsearch: its URL, and with security on its user, password file and CA. */
export function devstackConnection(handle: ElasticsearchHandle): ElasticsearchConnectionValues {
  const s = handle.security;
  return ELASTICSEARCH_CONNECTION_OPTIONS.resolve({
    esUrl: handle.url,
    ...(s === undefined
      ? {}
      : { esUsername: s.username, esPasswordFile: s.passwordFile, esCaFile: s.caFile }),
  });
}

/** The devstack services a run starts: Elasticsearch, and Kafka unless the run is given a cluster's `brokers`. */
export function devstackServices(
  options: Pick<ResolvedRunOptions, 'brokers'>,
): ('kafka' | 'elasticsearch')[] {
  return options.brokers === undefined ? ['kafka', 'elasticsearch'] : ['elasticsearch'];
}

/** Nothing is known of a Kafka the devstack did not start: no version, start-up time or process to sample. */
const UNKNOWN_SERVER: ServerInfo = { version: null, startupMs: null, pid: undefined };

async function runTableScenario(
  options: ResolvedRunOptions,
  servers: Servers & { readonly kafka: ServerInfo; readonly elasticsearch: ServerInfo },
  environment: Environment,
  log: (line: string) => void,
): Promise<BenchResults> {
  const runs: RunResult[] = [];
  for (let run = 1; run <= options.runs; run++) {
    runs.push(
      await runTableOnce({
        run,
        brokers: servers.brokers,
        esConnection: servers.esConnection,
        kafkaSecurity: servers.kafkaSecurity,
        ratePerSec: options.ratePerSec,
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
        partitions: options.partitions,
        kafka: servers.kafka,
        elasticsearch: servers.elasticsearch,
        workload: { rawEvents: options.rawEvents, lowLatency: options.lowLatency },
        log,
      }),
    );
  }
  const w = TABLE_WORKLOAD_DEFAULTS;
  return createResults({
    environment,
    method: [...DEFAULT_METHOD, ELASTICSEARCH_WARMUP_METHOD],
    workload: {
      scenario: SCENARIOS.TABLE,
      ratePerSec: options.ratePerSec,
      durationMs: options.durationMs,
      warmupMs: options.warmupMs,
      partitions: options.partitions,
      runs: options.runs,
      params: {
        windowSizeMs: w.windowSizeMs,
        outOfOrdernessMs: w.outOfOrdernessMs,
        idleTimeoutMs: w.idleTimeoutMs,
        pages: w.pages,
        seed: w.seed,
        compression: w.compression,
        esPollIntervalMs: w.pollIntervalMs,
        rawEvents: options.rawEvents,
        lowLatency: options.lowLatency,
      },
    },
    runs,
  });
}

async function runFiguresScenario(
  scenario: FiguresScenario,
  options: ResolvedRunOptions,
  servers: Servers,
  environment: Environment,
  log: (line: string) => void,
): Promise<BenchResults> {
  const runs: RunResult[] = [];
  const count = scenarioRuns(scenario, options);
  for (let run = 1; run <= count; run++) {
    runs.push(await runScenarioOnce(scenario, { run, ...servers, log }, options));
  }
  return createResults({
    environment,
    workload: scenarioWorkload(scenario, options),
    method: [...DEFAULT_METHOD, ...scenarioMethod(scenario)],
    runs,
  });
}

async function soleProcess(pattern: RegExp): Promise<number | undefined> {
  const pids = await findProcesses(pattern);
  return pids.length === 1 ? pids[0] : undefined;
}

/**
 * The pid to measure for a server: the devstack's pid followed to the JVM that does the work (the devstack may
 * know a launcher), or the one process whose command line matches when the devstack knows no pid.
 */
async function serverPid(known: number | undefined, marker: RegExp): Promise<number | undefined> {
  if (known === undefined) return soleProcess(marker);
  return followServerPid(known, marker);
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/**
 * `bench run`: checks the pipeline packages, starts (or reuses) Kafka and Elasticsearch through the devstack (ports
 * and the rest from the TRIBUTARY_* environment variables, as everywhere in the repo; with `brokers`, Elasticsearch
 * only, and the run uses that Kafka cluster with the `--kafka-*` TLS/SASL options), runs
 * each scenario `runs` times, writes results JSON, `.hgrm` files and the HTML report to `outDir` and prints the
 * table. Exit 1 when a run lost or duplicated events. Scenarios not implemented yet fail before anything starts.
 */
export async function runBench(
  options: ResolvedRunOptions,
  io: CliIo,
  importer?: ModuleImporter,
): Promise<ExitCode> {
  const kafkaSecurity = await benchKafkaSecurity(options);
  const missing = await probePipeline(importer);
  if (missing.length > 0) {
    const lines = missing.map((m) => `  - ${m.packageName} ${m.reason} (needed for: ${m.purpose})`);
    throw new BenchError(
      BENCH_ERROR_CODES.NOT_WIRED,
      `bench run is not yet wired: the pipeline packages lack what it needs:\n${lines.join('\n')}\n` +
        'Nothing was measured. bench compare and bench report work on existing results files.',
      { details: { missing: missing.map((m) => `${m.packageName}#${m.exportNames[0]!}`) } },
    );
  }
  const scenarios = scenariosToRun(options);
  const notImplemented = scenarios.filter((s) => !IMPLEMENTED_SCENARIOS.includes(s));
  if (notImplemented.length > 0) {
    throw new BenchError(
      BENCH_ERROR_CODES.NOT_WIRED,
      `scenario ${notImplemented.join(', ')} is not implemented yet (implemented: ${IMPLEMENTED_SCENARIOS.join(', ')}). ` +
        'Nothing was measured.',
    );
  }

  const log = (line: string): void => io.stderr(`${line}\n`);
  const stack = await startDevstack({
    ...devstackOptionsFromEnv(),
    services: devstackServices(options),
    reuse: true,
    log,
  });
  let regressed = false;
  const failed: string[] = [];
  try {
    const k = stack.kafka;
    const e = stack.elasticsearch!;
    const brokers = options.brokers ?? k!.brokers;
    const kafka: ServerInfo =
      k === undefined
        ? UNKNOWN_SERVER
        : {
            version: k.version === 'unknown' ? null : k.version,
            startupMs: k.reused ? null : k.startupMs,
            pid: await serverPid(k.pid, SERVER_MARKERS.kafka),
          };
    const elasticsearch: ServerInfo = {
      version: e.version,
      startupMs: e.reused ? null : e.startupMs,
      pid: await serverPid(e.pid, SERVER_MARKERS.elasticsearch),
    };
    const versions: Record<string, string> = {};
    if (kafka.version !== null) versions.kafka = kafka.version;
    if (elasticsearch.version !== null) versions.elasticsearch = elasticsearch.version;
    for (const name of [
      '@tributary/producer',
      '@tributary/processor',
      '@tributary/es-sink',
      '@tributary/bench',
    ]) {
      const v = installedVersion(name);
      if (v !== null) versions[name] = v;
    }
    const environment = await collectEnvironment({ versions });
    await io.mkdir(options.outDir);

    const startedAll = Date.now();
    for (const [i, scenario] of scenarios.entries()) {
      const step = `[${i + 1}/${scenarios.length} ${scenario} +${Math.round((Date.now() - startedAll) / 1000)}s]`;
      log(`${step} starting`);
      let results: BenchResults;
      try {
        results =
          scenario === SCENARIOS.TABLE
            ? await runTableScenario(
                options,
                {
                  brokers,
                  esConnection: devstackConnection(e),
                  kafkaSecurity,
                  kafka,
                  elasticsearch,
                },
                environment,
                log,
              )
            : await runFiguresScenario(
                scenario,
                options,
                { brokers, esConnection: devstackConnection(e), kafkaSecurity },
                environment,
                log,
              );
      } catch (error) {
        // One failed scenario does not cost the others their figures; the exit code says it failed.
        failed.push(scenario);
        const code = (error as { code?: unknown }).code;
        log(
          `${step} failed: ${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message ?? String(error)}`,
        );
        continue;
      }
      const base = join(options.outDir, `${scenario}-${timestamp(new Date(results.createdAt))}`);
      await io.writeFile(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
      for (const run of results.runs) {
        for (const [name, encoded] of Object.entries(run.histograms)) {
          const histogram = LatencyHistogram.decode(encoded);
          await io.writeFile(`${base}-run${run.run}-${name}.hgrm`, histogram.toHgrm());
          histogram.destroy();
        }
      }
      if (options.html) await io.writeFile(`${base}.html`, renderHtmlReport(results));
      io.stdout(`${renderTable(results)}\n\nResults: ${base}.json${options.html ? `, ${base}.html` : ''}\n`);
      const c = results.aggregate.correctness;
      if (c.lost > 0 || c.duplicated > 0) regressed = true;
      log(`${step} done in ${Math.round((Date.now() - startedAll) / 1000)}s total`);
    }
  } finally {
    await stack.stop();
  }
  if (failed.length > 0) io.stderr(`bench: scenario ${failed.join(', ')} failed (see the log above)\n`);
  if (regressed) io.stderr('bench: events were lost or duplicated (see the correctness line)\n');
  if (regressed || failed.length > 0) return 1;
  return 0;
}
