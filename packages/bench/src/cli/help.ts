import type { HelpLayout } from '@tributary/options';

const USAGE = `bench [run] [options]
       bench compare <base.json> <new.json> [--threshold <p>]
       bench report <results.json> [--html <file>]
       bench suite <name> [options]     (the packages' benchmark suites: bench suite --help)
       bench --help | --version`;

const EXIT_CODES_TEXT =
  'Exit codes: 0 success, 1 regression found (compare) or run failed, 2 bad usage or input.';

/** `bench --help` (and `bench run --help`): the run options between these texts. */
export const RUN_HELP: HelpLayout = {
  usage: USAGE,
  description: `Reproducible Kafka → processor → Elasticsearch benchmarks: open-loop load, HDR latency histograms,
median (min–max) across runs, a correctness line, JSON + .hgrm + self-contained HTML results.`,
  optionsTitle: 'run (default command); flags override TRIBUTARY_BENCH_* environment variables:',
  epilogue: `  Starts (or reuses) Kafka and Elasticsearch through the devstack and runs each scenario:
    table           processor CLI in a child (with a probe inside it and --enriched-events), open-loop
                    producer, every window and raw event searchable: the p99 table
    gateway         HTTP ingest gateway under autocannon (fixed rate, JSON batches): req/s, events/s, latency
    queries         dashboard searches under autocannon while a BulkSink ingests: latency per query
    peers           ProducerPerformance, ConsumerPerformance, client.helpers.bulk vs ours: ratios
                    (Kafka's own tools and the client's bulk helper; not the --peers stream processors)
    max-throughput  producer rate ×step-factor until ack or Kafka → processor p99, or processor lag,
                    diverges: last stable rate and events/s per core, the criterion printed
    peers-latency   (off by default: --peers kafka-streams,flink adds it; needs java and mvn) the
                    clickstream job in ours, Kafka Streams (EOS) and Flink (EOS; seed's 5 s checkpoints
                    and --flink-checkpoint-interval), one after the other at --rate: window end + B →
                    result committed p50/p99, throughput per core, CPU, RSS and a correctness line per
                    row (jars built once with Maven, then cached)
  autocannon runs with its coordinated-omission correction off. Writes <scenario>-<time>.json, .hgrm files
  and <scenario>-<time>.html to --out, with a progress line per step on stderr. Exits 1 when events
  were lost or duplicated, or when a scenario failed (the others still run and report).

compare <base.json> <new.json>   new/base per figure; exits 1 on a regression (bench compare --help)
report <results.json>            prints the table of a results file (bench report --help)

${EXIT_CODES_TEXT}`,
};

/** `bench compare --help`. */
export const COMPARE_HELP: HelpLayout = {
  usage: 'bench compare <base.json> <new.json> [options]',
  description: `Prints new/base per figure with its direction (throughput: higher is better; latency, startup, CPU,
RSS, event-loop delay: lower is better; scenario figures by unit: ms lower, /s and × higher). Exits 1 when a
figure is worse than the base by more than the threshold, or when lost/duplicated events increased; 0 otherwise;
2 on bad input.`,
  optionsTitle: 'Options (flags override TRIBUTARY_BENCH_* environment variables):',
};

/** `bench report --help`. */
export const REPORT_HELP: HelpLayout = {
  usage: 'bench report <results.json> [options]',
  description: 'Prints the table of a results file.',
  optionsTitle: 'Options:',
  epilogue: EXIT_CODES_TEXT,
};
