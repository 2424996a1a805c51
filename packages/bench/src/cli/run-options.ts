import { KAFKA_SECURITY_OPTION_SPECS } from '@tributary/kafka';
import { defineOptions, option, z, type OptionInput, type OptionValues } from '@tributary/options';
import { BENCH_OPTION_SETTINGS, durationOption, durationText, rate } from '../bench-options.js';
import { PROCESSOR_OPTIONS } from '@tributary/processor';
import { SCENARIOS, type Scenario } from '../report/results.js';
import { JVM_PEER_VALUES, type JvmPeer } from '../scenarios/peer-jars.js';
import { PEERS_LATENCY_DEFAULTS } from '../scenarios/peers-latency-scenario.js';

/** Every scenario a plain `bench` runs, in this order (`peers-latency` needs Java and Maven: `--peers` or by name). */
export const DEFAULT_SCENARIOS: readonly Scenario[] = [
  SCENARIOS.TABLE,
  SCENARIOS.GATEWAY,
  SCENARIOS.QUERIES,
  SCENARIOS.PEERS,
  SCENARIOS.MAX_THROUGHPUT,
];

/** Options of `bench run`; flags, `TRIBUTARY_BENCH_*` variables and `--help` derive from them. */
export const RUN_OPTION_SPECS = {
  /** Measured window per `table` run; 30 s closes a few 10 s windows in steady state. */
  durationMs: durationOption(
    'duration',
    30_000,
    1_000,
    'table, peers-latency: measured window per run (per contender), e.g. 60s, 2m',
  ),
  /** Warm-up before each `table` measured window, excluded from every figure. */
  warmupMs: durationOption('warmup', 5_000, 0, 'table, peers-latency: warm-up before each run, not measured'),
  /** Intended events per second, open loop. */
  ratePerSec: option(
    rate(z.number().positive().max(10_000_000)).default(10_000),
    'table, peers-latency: intended events/s, open loop, e.g. 20k',
    {
      flag: 'rate',
      placeholder: '<n>',
    },
  ),
  /** Partitions of the input topic. */
  partitions: option(z.int().min(1).max(1024).default(4), 'partitions of the input topic'),
  /** Runs per scenario; the report gives median (min–max) across them. */
  runs: option(
    z.int().min(1).max(100).default(3),
    'runs per scenario (3+ to report a spread; max-throughput always searches once)',
  ),
  /** Scenarios to run, in this order: all of them, sized so that the default run takes about 5 minutes on 2 cores. */
  scenarios: option(
    z
      .array(z.enum(SCENARIOS))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'must not repeat a scenario')
      .default(() => [...DEFAULT_SCENARIOS]),
    'comma-separated scenarios to run, in this order (default: all but peers-latency, about 5 minutes on 2 cores)',
  ),
  /** Load time of each `gateway` and `queries` autocannon run. */
  loadDurationMs: durationOption(
    'load-duration',
    5_000,
    1_000,
    'gateway/queries: autocannon time per load run',
  ),
  /** Records per contender in `peers`; bulk documents are a fifth of it. */
  peerRecords: option(
    rate(z.int().min(1_000).max(100_000_000)).default(50_000),
    'peers: records per producer/consumer contender (bulk documents are a fifth of it)',
    { placeholder: '<n>' },
  ),
  /** Time budget of the `max-throughput` search: no step starts after it; at least one step. */
  maxBudgetMs: durationOption('max-budget', 60_000, 1_000, 'max-throughput: time budget of the search'),
  /** First rate of the `max-throughput` search. */
  startRate: option(
    rate(z.number().min(1).max(10_000_000)).default(5_000),
    "max-throughput: first step's events/s",
    {
      placeholder: '<n>',
    },
  ),
  /** Rate factor between `max-throughput` steps. */
  stepFactor: option(z.number().gt(1).max(10).default(2), 'max-throughput: rate factor between steps', {
    placeholder: '<x>',
  }),
  /** Measured time of each `max-throughput` step. */
  stepMs: durationOption('step-duration', 6_000, 1_000, 'max-throughput: measured time per step'),
  /** Directory for results JSON, .hgrm and HTML files. */
  outDir: option(
    z.string().regex(/\S/, 'must be a non-empty directory path').default('bench-results'),
    'results directory',
    {
      flag: 'out',
      placeholder: '<dir>',
    },
  ),
  /** Write the HTML report. */
  html: option(z.boolean().default(true), 'write the HTML report'),
  /** `table`: run the processor with `--enriched-events` and time the raw-event path. */
  rawEvents: option(
    z.boolean().default(true),
    'table: processor with --enriched-events, raw-event rows (off: less work)',
  ),
  /** `table`: run the processor in its low-latency mode (at-least-once, results indexed by the merge stage). */
  lowLatency: option(
    z.boolean().default(false),
    'table: processor with --low-latency (at-least-once, window results indexed straight from the merge stage)',
  ),
  /**
   * The JVM stream processors (Kafka Streams, Flink) to run beside ours: giving them adds the `peers-latency`
   * scenario to the run. Not the `peers` scenario, which compares Kafka's perf tools and the client's bulk helper.
   */
  peers: option(
    z
      .array(z.enum(JVM_PEER_VALUES as [JvmPeer, ...JvmPeer[]]))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'must not repeat a peer')
      .optional(),
    'JVM stream processors run beside ours (kafka-streams,flink): adds the peers-latency scenario to the run ' +
      "(needs java and mvn; not the `peers` scenario, which compares Kafka's perf tools)",
    { placeholder: '<list>', defaultText: 'none; with --scenarios peers-latency: all' },
  ),
  /** `peers-latency`: the transaction commit interval of ours (the processor's default). */
  processorCommitIntervalMs: durationOption(
    'processor-commit-interval',
    PROCESSOR_OPTIONS.defaults.commitIntervalMs!, // the processor declares a default
    10,
    "peers-latency: ours' commit interval (the processor's default)",
  ),
  /** `peers-latency`: Kafka Streams' `commit.interval.ms` (its exactly_once_v2 default). */
  kafkaStreamsCommitIntervalMs: durationOption(
    'kafka-streams-commit-interval',
    PEERS_LATENCY_DEFAULTS.kafkaStreamsCommitIntervalMs,
    10,
    "peers-latency: Kafka Streams' commit.interval.ms (its exactly_once_v2 default)",
  ),
  /** `peers-latency`: the checkpoint interval of the tuned Flink row (the seed's row always checkpoints every 5 s). */
  flinkCheckpointIntervalMs: durationOption(
    'flink-checkpoint-interval',
    PEERS_LATENCY_DEFAULTS.checkpointIntervalMs,
    10,
    "peers-latency: checkpoint interval of the tuned Flink row (the seed's row: 5s); its KafkaSink commits on checkpoints",
  ),
  /** `peers-latency`: Kafka Streams `num.stream.threads` and Flink's parallelism. */
  peerParallelism: option(
    z.int().min(1).max(64).default(PEERS_LATENCY_DEFAULTS.parallelism),
    'peers-latency: Kafka Streams threads and Flink parallelism',
    { placeholder: '<n>' },
  ),
  /** `peers-latency`: `-Xms`/`-Xmx` of each JVM peer. */
  peerHeap: option(
    z
      .string()
      .regex(/^[1-9]\d*[mMgG]$/, 'must be a JVM heap size like 512m or 1g')
      .default(PEERS_LATENCY_DEFAULTS.heap),
    'peers-latency: -Xms/-Xmx of each JVM peer',
    { placeholder: '<size>' },
  ),
  /** `peers-latency`: the java launcher of the peers (JDK 17+). */
  javaCommand: option(z.string().min(1).default('java'), 'peers-latency: java launcher (JDK 17+)', {
    flag: 'java',
    placeholder: '<path>',
  }),
  /** `peers-latency`: the Maven launcher that builds the peers' jars once (cached by a hash of their sources). */
  mavenCommand: option(
    z.string().min(1).default('mvn'),
    "peers-latency: Maven launcher, builds the peers' jars once",
    { flag: 'mvn', placeholder: '<path>' },
  ),
  /**
   * Bootstrap servers of a Kafka cluster to run against instead of the devstack's broker (which listens in plaintext
   * only): the way to measure through TLS/SASL. The devstack then starts (or reuses) Elasticsearch only.
   */
  brokers: option(
    z
      .array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port'))
      .min(1)
      .optional(),
    "Kafka bootstrap servers to run against instead of the devstack's broker (with the --kafka-* options)",
    { placeholder: '<host:port,...>', defaultText: "the devstack's" },
  ),
  /** Kafka TLS and SASL of the run's brokers, for every client, producer, gateway and processor of the run. */
  ...KAFKA_SECURITY_OPTION_SPECS,
};

/** `bench run`'s options, validated once; messages name the option, flag or variable as given. */
export const RUN_OPTIONS = defineOptions(RUN_OPTION_SPECS, {
  ...BENCH_OPTION_SETTINGS,
  component: 'bench run',
  check: (values, fail) => {
    if (values.maxBudgetMs < values.stepMs)
      fail('maxBudgetMs', `must be at least one step (${durationText(values.stepMs)})`);
  },
});

export type RunOptions = OptionInput<typeof RUN_OPTION_SPECS>;
export type ResolvedRunOptions = Readonly<OptionValues<typeof RUN_OPTION_SPECS>>;

/**
 * The scenarios a run executes: `--scenarios` in its order, with `peers-latency` added at the end when `--peers`
 * names JVM peers and `--scenarios` does not already hold it.
 */
export function scenariosToRun(options: Pick<ResolvedRunOptions, 'scenarios' | 'peers'>): Scenario[] {
  const scenarios = [...options.scenarios];
  if (options.peers !== undefined && !scenarios.includes(SCENARIOS.PEERS_LATENCY))
    scenarios.push(SCENARIOS.PEERS_LATENCY);
  return scenarios;
}

/** The JVM peers of `peers-latency`: those `--peers` names, or all of them when the scenario is asked for by name. */
export function latencyPeers(options: Pick<ResolvedRunOptions, 'peers'>): JvmPeer[] {
  return [...(options.peers ?? JVM_PEER_VALUES)];
}
