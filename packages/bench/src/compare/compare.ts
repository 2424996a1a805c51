import { defineOptions, option, z, type OptionInput } from '@tributary/options';
import { BENCH_OPTION_SETTINGS, percent } from '../bench-options.js';
import {
  COMPONENT_LABELS,
  LATENCY_KEYS,
  type AggregatedFigure,
  type AggregatedRow,
  RATIO_UNITS,
  type BenchResults,
  type Spread,
} from '../report/results.js';

/** Which way a figure should move. */
export const DIRECTIONS = {
  HIGHER_IS_BETTER: 'higher-is-better',
  LOWER_IS_BETTER: 'lower-is-better',
} as const;
export type Direction = (typeof DIRECTIONS)[keyof typeof DIRECTIONS];

/** Options of `compareResults` and `bench compare`. */
export const COMPARE_OPTIONS = defineOptions(
  {
    /** A figure more than this many percent worse than the base is a regression. */
    thresholdPercent: option(percent(z.number().min(0)).default(10), 'allowed worsening, e.g. 10% or 2.5%', {
      flag: 'threshold',
      placeholder: '<p>',
    }),
  },
  { ...BENCH_OPTION_SETTINGS, component: 'bench compare' },
);

export type CompareOptions = OptionInput<typeof COMPARE_OPTIONS.specs>;

export interface FigureComparison {
  /** `kafka p99`, `end-to-end throughput`… */
  readonly figure: string;
  readonly direction: Direction;
  /** Base and new medians across runs. */
  readonly base: number;
  readonly candidate: number;
  /** candidate / base; null when the base is 0. */
  readonly ratio: number | null;
  /** How much worse the candidate is, % of the base (negative: better). Null when the base is 0. */
  readonly worsePercent: number | null;
  readonly regression: boolean;
}

export interface CorrectnessComparison {
  readonly figure: 'lost' | 'duplicated';
  readonly base: number;
  readonly candidate: number;
  /** Any increase is a regression, whatever the threshold. */
  readonly regression: boolean;
}

export interface Comparison {
  readonly thresholdPercent: number;
  readonly figures: readonly FigureComparison[];
  readonly correctness: readonly CorrectnessComparison[];
  /** Figures present in only one of the two files (not compared). */
  readonly unmatched: readonly string[];
  /** Differences in workload that make the comparison questionable (reported, not failed). */
  readonly warnings: readonly string[];
  readonly regressions: number;
}

type Metric = {
  readonly name: string;
  readonly direction: Direction;
  readonly pick: (row: AggregatedRow) => Spread | null;
};

const METRICS: readonly Metric[] = [
  { name: 'throughput', direction: DIRECTIONS.HIGHER_IS_BETTER, pick: (r) => r.throughputPerSec },
  { name: 'per core', direction: DIRECTIONS.HIGHER_IS_BETTER, pick: (r) => r.throughputPerCore ?? null },
  ...LATENCY_KEYS.map((k): Metric => ({
    name: k === 'p99_9' ? 'p99.9' : k,
    direction: DIRECTIONS.LOWER_IS_BETTER,
    pick: (r) => r.latencyMs?.[k] ?? null,
  })),
  { name: 'startup', direction: DIRECTIONS.LOWER_IS_BETTER, pick: (r) => r.startupMs },
  { name: 'cpu', direction: DIRECTIONS.LOWER_IS_BETTER, pick: (r) => r.cpuPercent },
  { name: 'rss', direction: DIRECTIONS.LOWER_IS_BETTER, pick: (r) => r.rssMB },
  { name: 'event-loop delay p99', direction: DIRECTIONS.LOWER_IS_BETTER, pick: (r) => r.eventLoopDelayP99Ms },
];

/**
 * Direction of a scenario figure by its unit: latencies (`ms`) and latency/CPU ratios (`× lower is better`)
 * lower-is-better, rates (`…/s`) and ratios (`×`) higher-is-better. Counts (status codes, documents, steps) and
 * CPU cores have no direction and are not compared.
 */
export function figureDirection(figure: Pick<AggregatedFigure, 'unit'>): Direction | undefined {
  if (figure.unit === 'ms' || figure.unit === RATIO_UNITS.LOWER_IS_BETTER) return DIRECTIONS.LOWER_IS_BETTER;
  if (figure.unit.endsWith('/s') || figure.unit === '×') return DIRECTIONS.HIGHER_IS_BETTER;
  return undefined;
}

function compareFigure(
  figure: string,
  direction: Direction,
  base: number,
  candidate: number,
  t: number,
): FigureComparison {
  if (base === 0) {
    return { figure, direction, base, candidate, ratio: null, worsePercent: null, regression: false };
  }
  const ratio = candidate / base;
  const worsePercent = (direction === DIRECTIONS.LOWER_IS_BETTER ? ratio - 1 : 1 - ratio) * 100;
  return { figure, direction, base, candidate, ratio, worsePercent, regression: worsePercent > t + 1e-9 };
}

/**
 * Compares two results files figure by figure on the medians across runs: ratio new/base and, by the figure's
 * direction (throughput higher-is-better; latency, startup, CPU, RSS, event-loop delay lower-is-better), how much
 * worse it got. More than `thresholdPercent` worse is a regression; any increase in lost or duplicated events is
 * a regression whatever the threshold.
 */
export function compareResults(
  base: BenchResults,
  candidate: BenchResults,
  options: CompareOptions = {},
): Comparison {
  const t = COMPARE_OPTIONS.resolve(options).thresholdPercent;
  const figures: FigureComparison[] = [];
  const unmatched: string[] = [];
  const candidateRows = new Map(candidate.aggregate.components.map((r) => [r.component, r]));
  const baseRows = new Map(base.aggregate.components.map((r) => [r.component, r]));
  for (const baseRow of base.aggregate.components) {
    const label = COMPONENT_LABELS[baseRow.component];
    const newRow = candidateRows.get(baseRow.component);
    for (const metric of METRICS) {
      const b = metric.pick(baseRow);
      const c = newRow === undefined ? null : metric.pick(newRow);
      const figure = `${label} ${metric.name}`;
      if (b === null && c === null) continue;
      if (b === null || c === null) {
        unmatched.push(figure);
        continue;
      }
      figures.push(compareFigure(figure, metric.direction, b.median, c.median, t));
    }
  }
  for (const row of candidate.aggregate.components) {
    if (!baseRows.has(row.component)) unmatched.push(`${COMPONENT_LABELS[row.component]} (only in new)`);
  }
  const candidateFigures = new Map((candidate.aggregate.figures ?? []).map((f) => [f.name, f]));
  for (const f of base.aggregate.figures ?? []) {
    const direction = figureDirection(f);
    if (direction === undefined) continue;
    const c = candidateFigures.get(f.name)?.spread ?? null;
    if (f.spread === null && c === null) continue;
    if (f.spread === null || c === null) {
      unmatched.push(f.name);
      continue;
    }
    figures.push(compareFigure(f.name, direction, f.spread.median, c.median, t));
  }
  const baseFigures = new Set((base.aggregate.figures ?? []).map((f) => f.name));
  for (const f of candidate.aggregate.figures ?? []) {
    if (!baseFigures.has(f.name) && figureDirection(f) !== undefined)
      unmatched.push(`${f.name} (only in new)`);
  }
  const correctness = (['lost', 'duplicated'] as const).map((k): CorrectnessComparison => ({
    figure: k,
    base: base.aggregate.correctness[k],
    candidate: candidate.aggregate.correctness[k],
    regression: candidate.aggregate.correctness[k] > base.aggregate.correctness[k],
  }));
  const warnings: string[] = [];
  const bw = base.workload;
  const cw = candidate.workload;
  for (const k of ['scenario', 'ratePerSec', 'durationMs', 'partitions'] as const) {
    if (bw[k] !== cw[k]) warnings.push(`workload.${k} differs: base ${String(bw[k])}, new ${String(cw[k])}`);
  }
  if (
    base.environment.cpu.model !== candidate.environment.cpu.model ||
    base.environment.cpu.cores !== candidate.environment.cpu.cores
  ) {
    warnings.push('the two files come from different CPUs');
  }
  const regressions =
    figures.filter((f) => f.regression).length + correctness.filter((c) => c.regression).length;
  return { thresholdPercent: t, figures, correctness, unmatched, warnings, regressions };
}

/** Process exit code for a comparison: 0 when nothing regressed beyond the threshold, 1 otherwise. */
export function comparisonExitCode(comparison: Comparison): 0 | 1 {
  return comparison.regressions > 0 ? 1 : 0;
}
