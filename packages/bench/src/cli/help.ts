import { RUN_DEFAULTS } from './run-options.js';
import { SCENARIO_VALUES } from '../report/results.js';
import { COMPARE_DEFAULTS } from '../compare/compare.js';

/** `bench --help`. */
export const HELP = `Usage: bench [run] [options]
       bench compare <base.json> <new.json> [--threshold 10%]
       bench report <results.json> [--html <file>]
       bench --help | --version

Reproducible Kafka → processor → Elasticsearch benchmarks: open-loop load, HDR latency histograms,
median (min–max) across runs, a correctness line, JSON + .hgrm + self-contained HTML results.

run (default command)
  --duration <d>       table: measured window per run, e.g. 60s, 2m   (default ${RUN_DEFAULTS.durationMs / 1000}s)
  --warmup <d>         table: warm-up before each run, not measured   (default ${RUN_DEFAULTS.warmupMs / 1000}s)
  --rate <n>           table: intended events/s, open loop, e.g. 20k  (default ${RUN_DEFAULTS.ratePerSec})
  --partitions <n>     partitions of the input topic                  (default ${RUN_DEFAULTS.partitions})
  --runs <n>           runs per scenario (3+ to report a spread;      (default ${RUN_DEFAULTS.runs})
                       max-throughput always searches once)
  --scenarios <list>   comma-separated, any of ${SCENARIO_VALUES.join(',')}
                       (default: all, about 5 minutes on 2 cores)
  --load-duration <d>  gateway/queries: autocannon time per load run  (default ${RUN_DEFAULTS.loadDurationMs / 1000}s)
  --peer-records <n>   peers: records per producer/consumer contender (default ${RUN_DEFAULTS.peerRecords};
                       bulk documents are a fifth of it)
  --max-budget <d>     max-throughput: time budget of the search      (default ${RUN_DEFAULTS.maxBudgetMs / 1000}s)
  --start-rate <n>     max-throughput: first step's events/s          (default ${RUN_DEFAULTS.startRate})
  --step-factor <x>    max-throughput: rate factor between steps      (default ${RUN_DEFAULTS.stepFactor})
  --step-duration <d>  max-throughput: measured time per step         (default ${RUN_DEFAULTS.stepMs / 1000}s)
  --out <dir>          results directory                              (default ${RUN_DEFAULTS.outDir}/)
  --no-html            do not write the HTML report
  --no-raw-events      table: processor without --enriched-events (no raw-event rows, less work)

  Starts (or reuses) Kafka and Elasticsearch through the devstack and runs each scenario:
    table           processor CLI in a child (with a probe inside it and --enriched-events), open-loop
                    producer, every window and raw event searchable: the p99 table
    gateway         HTTP ingest gateway under autocannon (fixed rate, JSON batches): req/s, events/s, latency
    queries         dashboard searches under autocannon while a BulkSink ingests: latency per query
    peers           ProducerPerformance, ConsumerPerformance, client.helpers.bulk vs ours: ratios
    max-throughput  producer rate ×step-factor until ack or Kafka → processor p99, or processor lag,
                    diverges: last stable rate and events/s per core, the criterion printed
  autocannon runs with its coordinated-omission correction off. Writes <scenario>-<time>.json, .hgrm files
  and <scenario>-<time>.html to --out, with a progress line per step on stderr. Exits 1 when events
  were lost or duplicated, or when a scenario failed (the others still run and report).

compare <base.json> <new.json>
  Prints new/base per figure with its direction (throughput: higher is better; latency, startup, CPU,
  RSS, event-loop delay: lower is better; scenario figures by unit: ms lower, /s and × higher). Exits 1 when a figure is worse than the base by more than
  the threshold, or when lost/duplicated events increased; 0 otherwise; 2 on bad input.
  --threshold <p>      allowed worsening, e.g. 10% or 2.5%            (default ${COMPARE_DEFAULTS.thresholdPercent}%)

report <results.json>
  Prints the table of a results file; --html <file> also writes its HTML report.

Exit codes: 0 success, 1 regression found (compare) or run failed, 2 bad usage or input.
`;
