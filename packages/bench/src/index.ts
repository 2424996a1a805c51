export { VERSION } from './version.js';

export {
  BENCH_ERROR_CODES,
  BenchError,
  InvalidOptionError,
  InvalidResultsError,
  isBenchError,
} from './errors.js';
export type { BenchErrorCode, BenchErrorOptions } from './errors.js';

export { REPORTED_PERCENTILES, percentileCurve, summarize } from './histograms/percentiles.js';
export type { LatencySummary, PercentilePoint } from './histograms/percentiles.js';
export { OpenLoopRecorder } from './histograms/open-loop-recorder.js';
export type { EncodedOpenLoopHistograms } from './histograms/open-loop-recorder.js';

export { systemClock, systemSleep } from './pacing/clock.js';
export type { Clock, Sleep } from './pacing/clock.js';
export { PACER_DEFAULTS, runOpenLoop } from './pacing/open-loop-pacer.js';
export type { OpenLoopRunOptions, OpenLoopRunStats, ScheduledOperation } from './pacing/open-loop-pacer.js';

export { cpuPercent } from './resources/cpu-percent.js';
export {
  findProcesses,
  parseProcStat,
  parseProcStatus,
  procAvailable,
  readProcess,
} from './resources/proc-stat.js';
export type { ProcReaderOptions, ProcStat, ProcStatus, ProcessReading } from './resources/proc-stat.js';
export { RESOURCE_SAMPLER_DEFAULTS, ResourceSampler } from './resources/resource-sampler.js';
export type {
  ResourceSample,
  ResourceSamplerOptions,
  ResourceTarget,
  SelfProbe,
} from './resources/resource-sampler.js';
export { summarizeResources } from './resources/resource-summary.js';
export type { ResourceSummary } from './resources/resource-summary.js';
export { EventLoopDelayMonitor, eventLoopDelayFigures } from './resources/event-loop-delay.js';
export type { DelayHistogramLike, EventLoopDelayFigures } from './resources/event-loop-delay.js';
export { descendantPids, followServerPid, SERVER_MARKERS } from './resources/server-pid.js';

export { ProbeCollector } from './probe/probe-collector.js';
export type { ProbeIntervalPoint } from './probe/probe-collector.js';
export {
  isProbeCommand,
  isProbeInterval,
  PROBE_ENV,
  PROBE_HISTOGRAMS,
  PROBE_HISTOGRAM_NAMES,
  PROBE_MESSAGE_KIND,
} from './probe/probe-protocol.js';
export type {
  ProbeCommand,
  ProbeConfig,
  ProbeFlushMessage,
  ProbeHistogramName,
  ProbeIntervalMessage,
  ProbeMeasureMessage,
  WindowAck,
} from './probe/probe-protocol.js';

export {
  COMPONENTS,
  COMPONENT_LABELS,
  COMPONENT_VALUES,
  CORRECTNESS_KEYS,
  LATENCY_KEYS,
  RATIO_UNITS,
  RESULTS_SCHEMA_VERSION,
  SCENARIOS,
  SCENARIO_VALUES,
} from './report/results.js';
export type {
  Aggregate,
  AggregatedFigure,
  AggregatedRow,
  BenchResults,
  Component,
  ComponentRow,
  Correctness,
  Environment,
  Figure,
  LatencyFigures,
  RunResult,
  Scenario,
  Series,
  Spread,
  Workload,
} from './report/results.js';
export { validateResults } from './report/validate-results.js';
export { aggregateFigures, aggregateRuns, median, spreadOf, sumCorrectness } from './report/aggregate.js';
export { figureCells, formatFigureValue, renderFigures } from './report/figures-table.js';
export { createResults } from './report/create-results.js';
export type { CreateResultsInput } from './report/create-results.js';
export { DEFAULT_METHOD, LATENCY_DEFINITIONS } from './report/method.js';
export {
  collectEnvironment,
  installedVersion,
  javaVersion,
  RECORDED_LIBRARIES,
} from './report/environment.js';
export type { EnvironmentOptions } from './report/environment.js';
export { formatCorrectness, renderTable, TABLE_COLUMNS } from './report/table.js';
export { renderHtmlReport } from './report/html-report.js';

export {
  COMPARE_OPTIONS,
  DIRECTIONS,
  compareResults,
  comparisonExitCode,
  figureDirection,
} from './compare/compare.js';
export type {
  CompareOptions,
  Comparison,
  CorrectnessComparison,
  Direction,
  FigureComparison,
} from './compare/compare.js';
export { renderComparison } from './compare/render-comparison.js';

export { DEFAULT_SCENARIOS, RUN_OPTION_SPECS, RUN_OPTIONS } from './cli/run-options.js';
export type { ResolvedRunOptions, RunOptions } from './cli/run-options.js';
export { EXIT_CODES, main } from './cli/main.js';
export type { CliIo, ExitCode } from './cli/main.js';
export { PIPELINE_REQUIREMENTS, probePipeline } from './run/pipeline-probe.js';
export type { MissingRequirement, ModuleImporter, PipelineRequirement } from './run/pipeline-probe.js';
export { runBench } from './run/run-bench.js';
export { IMPLEMENTED_SCENARIOS } from './run/run-bench.js';
export { runTableOnce, TABLE_WORKLOAD_DEFAULTS } from './run/table-run.js';
export type { ServerInfo, TableRunInput, TableWorkload } from './run/table-run.js';
export { COUNT_SOURCES, WindowTracker } from './run/window-tracker.js';
export type {
  CountCheckOptions,
  CountSource,
  WindowCounts,
  WindowLatencies,
  WindowTrackerOptions,
} from './run/window-tracker.js';
export { childProbePath, processorCliPath } from './run/processor-child.js';
export type { ProcessorProbe, ProcessorProbeOptions } from './run/processor-child.js';
export { RawSearchablePoller, recordNewlySearchable } from './run/raw-searchable-poller.js';
export type { RawSearchablePollerOptions, TimeBucket } from './run/raw-searchable-poller.js';
export { CHANNEL_NAMES } from './diagnostics.js';

export { figuresRun, scenarioRunId } from './scenarios/scenario-run.js';
export type { ScenarioContext } from './scenarios/scenario-run.js';
export {
  COORDINATED_OMISSION_NOTE,
  HTTP_LOAD_DEFAULTS,
  httpLoadFigures,
  runHttpLoad,
  summarizeAutocannon,
} from './scenarios/http-load.js';
export type { HttpLoadOptions, HttpLoadSummary } from './scenarios/http-load.js';
export { GATEWAY_WORKLOAD_DEFAULTS, gatewayBatchBody, runGatewayOnce } from './scenarios/gateway-scenario.js';
export type { GatewayWorkload } from './scenarios/gateway-scenario.js';
export { clicksVsViewsQuery, topPagesQuery } from './scenarios/dashboard-queries.js';
export { QUERIES_WORKLOAD_DEFAULTS, runQueriesOnce } from './scenarios/queries-scenario.js';
export type { QueriesWorkload } from './scenarios/queries-scenario.js';
export {
  comparisonFigures,
  PEERS_WORKLOAD_DEFAULTS,
  peerRatio,
  runPeersOnce,
} from './scenarios/peers-scenario.js';
export type { PeersWorkload } from './scenarios/peers-scenario.js';
export {
  kafkaToolsLibsDir,
  parseConsumerPerformance,
  parseProducerPerformance,
} from './scenarios/kafka-perf-tools.js';
export type { ConsumerPerformanceSummary, ProducerPerformanceSummary } from './scenarios/kafka-perf-tools.js';
export {
  eventsPerCore,
  STEP_OUTCOMES,
  THROUGHPUT_SEARCH_DEFAULTS,
  ThroughputSearch,
} from './scenarios/throughput-search.js';
export type {
  StepMeasurement,
  StepOutcome,
  StepVerdict,
  ThroughputSearchOptions,
} from './scenarios/throughput-search.js';
export { combineGeneratorReports, generatorCount, producerCliPath } from './scenarios/generator-processes.js';
export type { CombinedGeneratorReport, GeneratorReport } from './scenarios/generator-processes.js';
export {
  inputLag,
  MAX_THROUGHPUT_DEFAULTS,
  runMaxThroughputOnce,
} from './scenarios/max-throughput-scenario.js';
export type { MaxThroughputWorkload } from './scenarios/max-throughput-scenario.js';
