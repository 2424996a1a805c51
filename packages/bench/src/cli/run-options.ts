import { InvalidOptionError } from '../errors.js';
import { SCENARIO_VALUES, SCENARIOS, type Scenario } from '../report/results.js';

/** Every scenario, in the order a default `bench` runs them. */
export const DEFAULT_SCENARIOS: readonly Scenario[] = [
  SCENARIOS.TABLE,
  SCENARIOS.GATEWAY,
  SCENARIOS.QUERIES,
  SCENARIOS.PEERS,
  SCENARIOS.MAX_THROUGHPUT,
];

/** Defaults of `bench run`; the CLI flags map onto these names. */
export const RUN_DEFAULTS = {
  /** Measured window per `table` run (`--duration`); 30 s closes a few 10 s windows in steady state. */
  durationMs: 30_000,
  /** Warm-up before each `table` measured window, excluded from every figure (`--warmup`). */
  warmupMs: 5_000,
  /** Intended events per second, open loop (`--rate`). */
  ratePerSec: 10_000,
  /** Partitions of the input topic (`--partitions`). */
  partitions: 4,
  /** Runs per scenario; the report gives median (min–max) across them (`--runs`). */
  runs: 3,
  /** Scenarios to run (`--scenarios`): all of them, sized so that the default run takes about 5 minutes on 2 cores. */
  scenarios: DEFAULT_SCENARIOS,
  /** Load time of each `gateway` and `queries` autocannon run (`--load-duration`). */
  loadDurationMs: 5_000,
  /** Records per contender in `peers` (`--peer-records`); bulk documents are a fifth of it. */
  peerRecords: 50_000,
  /** Time budget of the `max-throughput` search (`--max-budget`). */
  maxBudgetMs: 60_000,
  /** First rate of the `max-throughput` search (`--start-rate`). */
  startRate: 5_000,
  /** Rate factor between `max-throughput` steps (`--step-factor`). */
  stepFactor: 2,
  /** Measured time of each `max-throughput` step (`--step-duration`). */
  stepMs: 6_000,
  /** Directory for results JSON, .hgrm and HTML files (`--out`). */
  outDir: 'bench-results',
  /** Write the HTML report (`--no-html` turns it off). */
  html: true,
  /** `table`: run the processor with `--enriched-events` and time the raw-event path (`--no-raw-events` turns it off). */
  rawEvents: true,
} as const;

export interface RunOptions {
  readonly durationMs?: number;
  readonly warmupMs?: number;
  readonly ratePerSec?: number;
  readonly partitions?: number;
  readonly runs?: number;
  readonly scenarios?: readonly Scenario[];
  readonly loadDurationMs?: number;
  readonly peerRecords?: number;
  readonly maxBudgetMs?: number;
  readonly startRate?: number;
  readonly stepFactor?: number;
  readonly stepMs?: number;
  readonly outDir?: string;
  readonly html?: boolean;
  readonly rawEvents?: boolean;
}

export type ResolvedRunOptions = { readonly [K in keyof RunOptions]-?: NonNullable<RunOptions[K]> };

/** Option name → CLI flag, so one validation serves both the API and the CLI with the user's own spelling. */
const FLAG_NAMES: Readonly<Record<keyof RunOptions, string>> = {
  durationMs: '--duration',
  warmupMs: '--warmup',
  ratePerSec: '--rate',
  partitions: '--partitions',
  runs: '--runs',
  scenarios: '--scenarios',
  loadDurationMs: '--load-duration',
  peerRecords: '--peer-records',
  maxBudgetMs: '--max-budget',
  startRate: '--start-rate',
  stepFactor: '--step-factor',
  stepMs: '--step-duration',
  outDir: '--out',
  html: '--no-html',
  rawEvents: '--no-raw-events',
};

/**
 * Validates run options once, at the edge. `naming: 'flag'` makes messages name the CLI flag (`--rate must be …`),
 * `'option'` the option (`ratePerSec must be …`).
 */
export function resolveRunOptions(
  options: RunOptions = {},
  naming: 'flag' | 'option' = 'option',
): ResolvedRunOptions {
  const name = (k: keyof RunOptions): string => (naming === 'flag' ? FLAG_NAMES[k] : k);
  const o = { ...RUN_DEFAULTS, ...options };
  if (!Number.isFinite(o.durationMs) || o.durationMs < 1000) {
    throw new InvalidOptionError(name('durationMs'), 'must be at least 1s', o.durationMs);
  }
  if (!Number.isFinite(o.warmupMs) || o.warmupMs < 0) {
    throw new InvalidOptionError(name('warmupMs'), 'must be 0 or more', o.warmupMs);
  }
  if (!Number.isFinite(o.ratePerSec) || o.ratePerSec <= 0 || o.ratePerSec > 10_000_000) {
    throw new InvalidOptionError(
      name('ratePerSec'),
      'must be > 0 and at most 10M events per second',
      o.ratePerSec,
    );
  }
  if (!Number.isSafeInteger(o.partitions) || o.partitions < 1 || o.partitions > 1024) {
    throw new InvalidOptionError(name('partitions'), 'must be an integer from 1 to 1024', o.partitions);
  }
  if (!Number.isSafeInteger(o.runs) || o.runs < 1 || o.runs > 100) {
    throw new InvalidOptionError(
      name('runs'),
      'must be an integer from 1 to 100 (3 or more to report a spread)',
      o.runs,
    );
  }
  if (
    !Array.isArray(o.scenarios) ||
    o.scenarios.length === 0 ||
    o.scenarios.some((s) => !SCENARIO_VALUES.includes(s))
  ) {
    throw new InvalidOptionError(
      name('scenarios'),
      `must list scenarios among ${SCENARIO_VALUES.join(', ')}`,
      o.scenarios,
    );
  }
  if (!Number.isFinite(o.loadDurationMs) || o.loadDurationMs < 1000) {
    throw new InvalidOptionError(name('loadDurationMs'), 'must be at least 1s', o.loadDurationMs);
  }
  if (!Number.isSafeInteger(o.peerRecords) || o.peerRecords < 1000 || o.peerRecords > 100_000_000) {
    throw new InvalidOptionError(name('peerRecords'), 'must be an integer from 1000 to 100M', o.peerRecords);
  }
  if (!Number.isFinite(o.stepMs) || o.stepMs < 1000) {
    throw new InvalidOptionError(name('stepMs'), 'must be at least 1s', o.stepMs);
  }
  if (!Number.isFinite(o.maxBudgetMs) || o.maxBudgetMs < o.stepMs) {
    throw new InvalidOptionError(
      name('maxBudgetMs'),
      `must be at least one step (${o.stepMs} ms)`,
      o.maxBudgetMs,
    );
  }
  if (!Number.isFinite(o.startRate) || o.startRate < 1 || o.startRate > 10_000_000) {
    throw new InvalidOptionError(name('startRate'), 'must be from 1 to 10M events per second', o.startRate);
  }
  if (!Number.isFinite(o.stepFactor) || o.stepFactor <= 1 || o.stepFactor > 10) {
    throw new InvalidOptionError(name('stepFactor'), 'must be a number > 1 and at most 10', o.stepFactor);
  }
  if (typeof o.outDir !== 'string' || o.outDir.trim() === '') {
    throw new InvalidOptionError(name('outDir'), 'must be a non-empty directory path', o.outDir);
  }
  if (typeof o.html !== 'boolean') throw new InvalidOptionError(name('html'), 'must be a boolean', o.html);
  if (typeof o.rawEvents !== 'boolean') {
    throw new InvalidOptionError(name('rawEvents'), 'must be a boolean', o.rawEvents);
  }
  return o;
}
