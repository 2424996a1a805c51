import {
  COMPONENT_VALUES,
  CORRECTNESS_KEYS,
  LATENCY_KEYS,
  type Aggregate,
  type AggregatedFigure,
  type AggregatedRow,
  type ComponentRow,
  type Correctness,
  type RunResult,
  type Spread,
} from './results.js';

/** Median of the values (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** min / median / max of the values that were measured; null when no run measured the figure. */
export function spreadOf(values: readonly (number | null)[]): Spread | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  return { min: Math.min(...present), median: median(present), max: Math.max(...present) };
}

function aggregateRow(rows: readonly ComponentRow[]): AggregatedRow {
  const first = rows[0]!;
  const pick = (f: (r: ComponentRow) => number | null): Spread | null => spreadOf(rows.map(f));
  const withLatency = rows.filter((r) => r.latencyMs !== null);
  let latencyMs: AggregatedRow['latencyMs'] = null;
  if (withLatency.length > 0) {
    const at = (k: (typeof LATENCY_KEYS)[number]): Spread =>
      spreadOf(withLatency.map((r) => r.latencyMs![k]))!;
    latencyMs = { p50: at('p50'), p99: at('p99'), p99_9: at('p99_9'), max: at('max') };
  }
  const withCorrectness = rows.flatMap((r) => (r.correctness === undefined ? [] : [r.correctness]));
  const contender = {
    ...(rows.some((r) => r.throughputPerCore !== undefined)
      ? { throughputPerCore: pick((r) => r.throughputPerCore ?? null) }
      : {}),
    ...(withCorrectness.length > 0 ? { correctness: sumCorrectness(withCorrectness) } : {}),
  };
  return {
    component: first.component,
    version: rows.find((r) => r.version !== null)?.version ?? null,
    startupMs: pick((r) => r.startupMs),
    throughputPerSec: pick((r) => r.throughputPerSec),
    latencyMs,
    latencyDefinition: rows.find((r) => r.latencyDefinition !== null)?.latencyDefinition ?? null,
    cpuPercent: pick((r) => r.cpuPercent),
    rssMB: pick((r) => r.rssMB),
    eventLoopDelayP99Ms: pick((r) => r.eventLoopDelayP99Ms),
    eventLoopDelayP50Ms: pick((r) => r.eventLoopDelayP50Ms ?? null),
    eventLoopDelayMaxMs: pick((r) => r.eventLoopDelayMaxMs ?? null),
    ...contender,
  };
}

/** Sums the correctness lines of several runs. */
export function sumCorrectness(lines: readonly Correctness[]): Correctness {
  const total = { produced: 0, counted: 0, late: 0, deadLettered: 0, lost: 0, duplicated: 0 };
  for (const line of lines) for (const k of CORRECTNESS_KEYS) total[k] += line[k];
  return total;
}

/**
 * Aggregates runs: per component, the min / median / max of every figure across the runs that measured it
 * (latency percentiles are spreads of the per-run percentiles, not percentiles of merged histograms), and the
 * correctness lines summed. Components are ordered as in the table.
 */
export function aggregateRuns(runs: readonly RunResult[]): Aggregate {
  if (runs.length === 0) throw new RangeError('cannot aggregate zero runs');
  const components: AggregatedRow[] = [];
  const known = [...COMPONENT_VALUES];
  for (const component of known) {
    const rows = runs.flatMap((r) => r.components.filter((c) => c.component === component));
    if (rows.length > 0) components.push(aggregateRow(rows));
  }
  const correctness = sumCorrectness(runs.map((r) => r.correctness));
  const figures = aggregateFigures(runs);
  return figures.length === 0
    ? { runs: runs.length, components, correctness }
    : { runs: runs.length, components, correctness, figures };
}

/** Per figure name (first-seen order): the spread of the values the runs measured. */
export function aggregateFigures(runs: readonly RunResult[]): AggregatedFigure[] {
  const names: string[] = [];
  for (const run of runs) for (const f of run.figures ?? []) if (!names.includes(f.name)) names.push(f.name);
  return names.map((name) => {
    const all = runs.flatMap((r) => (r.figures ?? []).filter((f) => f.name === name));
    const first = all[0]!;
    const note = all.find((f) => f.note !== undefined)?.note;
    const figure: AggregatedFigure = { name, unit: first.unit, spread: spreadOf(all.map((f) => f.value)) };
    return note === undefined ? figure : { ...figure, note };
  });
}
