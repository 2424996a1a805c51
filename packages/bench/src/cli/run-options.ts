import { InvalidOptionError } from '../errors.js';
import { SCENARIO_VALUES, SCENARIOS, type Scenario } from '../report/results.js';

/** Defaults of `bench run`; the CLI flags map onto these names. */
export const RUN_DEFAULTS = {
  /** Measured window per run (`--duration`). */
  durationMs: 60_000,
  /** Warm-up before each measured window, excluded from every figure (`--warmup`). */
  warmupMs: 10_000,
  /** Intended events per second, open loop (`--rate`). */
  ratePerSec: 10_000,
  /** Partitions of the input topic (`--partitions`). */
  partitions: 4,
  /** Runs per scenario; the report gives median (min–max) across them (`--runs`). */
  runs: 3,
  /** Scenarios to run (`--scenarios`). */
  scenarios: [SCENARIOS.TABLE] as readonly Scenario[],
  /** Directory for results JSON, .hgrm and HTML files (`--out`). */
  outDir: 'bench-results',
  /** Write the HTML report (`--no-html` turns it off). */
  html: true,
} as const;

export interface RunOptions {
  readonly durationMs?: number;
  readonly warmupMs?: number;
  readonly ratePerSec?: number;
  readonly partitions?: number;
  readonly runs?: number;
  readonly scenarios?: readonly Scenario[];
  readonly outDir?: string;
  readonly html?: boolean;
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
  outDir: '--out',
  html: '--no-html',
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
  if (typeof o.outDir !== 'string' || o.outDir.trim() === '') {
    throw new InvalidOptionError(name('outDir'), 'must be a non-empty directory path', o.outDir);
  }
  if (typeof o.html !== 'boolean') throw new InvalidOptionError(name('html'), 'must be a boolean', o.html);
  return o;
}
