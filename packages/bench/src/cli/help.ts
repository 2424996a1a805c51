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
  --duration <d>       measured window per run, e.g. 60s, 2m          (default ${RUN_DEFAULTS.durationMs / 1000}s)
  --warmup <d>         warm-up before each run, excluded from figures (default ${RUN_DEFAULTS.warmupMs / 1000}s)
  --rate <n>           intended events/s, open loop, e.g. 20k         (default ${RUN_DEFAULTS.ratePerSec})
  --partitions <n>     partitions of the input topic                  (default ${RUN_DEFAULTS.partitions})
  --runs <n>           runs per scenario (3+ to report a spread)      (default ${RUN_DEFAULTS.runs})
  --scenarios <list>   comma-separated: ${SCENARIO_VALUES.join(',')}
                       (implemented so far: table)                    (default ${RUN_DEFAULTS.scenarios.join(',')})
  --out <dir>          results directory                              (default ${RUN_DEFAULTS.outDir}/)
  --no-html            do not write the HTML report

  Starts (or reuses) Kafka and Elasticsearch through the devstack, runs the processor CLI in a child
  process, produces open-loop, waits until every window is searchable and writes <scenario>-<time>.json,
  .hgrm files and <scenario>-<time>.html to --out. Exits 1 when events were lost or duplicated.

compare <base.json> <new.json>
  Prints new/base per figure with its direction (throughput: higher is better; latency, startup, CPU,
  RSS, event-loop delay: lower is better). Exits 1 when a figure is worse than the base by more than
  the threshold, or when lost/duplicated events increased; 0 otherwise; 2 on bad input.
  --threshold <p>      allowed worsening, e.g. 10% or 2.5%            (default ${COMPARE_DEFAULTS.thresholdPercent}%)

report <results.json>
  Prints the table of a results file; --html <file> also writes its HTML report.

Exit codes: 0 success, 1 regression found (compare) or run failed, 2 bad usage or input.
`;
