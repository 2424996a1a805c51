import { renderFigures } from './figures-table.js';
import { formatCount, formatMB, formatMs, formatPercent, formatRate, formatSpread } from './format.js';
import {
  COMPONENT_LABELS,
  type AggregatedRow,
  type BenchResults,
  type Correctness,
  type Spread,
} from './results.js';

export interface TableColumn {
  readonly header: string;
  readonly cell: (row: AggregatedRow) => string;
  readonly align: 'left' | 'right';
  /** Shown only when a row has this figure (a column of one scenario's rows); otherwise always. */
  readonly shownWhen?: (row: AggregatedRow) => boolean;
}

/** The seed's table (component, version, startup, latency) widened with throughput, tail percentiles and resources. */
export const TABLE_COLUMNS: readonly TableColumn[] = [
  { header: 'Component', cell: (r) => COMPONENT_LABELS[r.component], align: 'left' },
  { header: 'Version', cell: (r) => r.version ?? '–', align: 'left' },
  { header: 'Startup', cell: (r) => formatSpread(r.startupMs, formatMs), align: 'right' },
  { header: 'Throughput', cell: (r) => formatSpread(r.throughputPerSec, formatRate), align: 'right' },
  {
    header: 'Per core',
    cell: (r) => formatSpread(r.throughputPerCore ?? null, formatRate),
    align: 'right',
    shownWhen: (r) => r.throughputPerCore !== undefined && r.throughputPerCore !== null,
  },
  { header: 'p50', cell: (r) => formatSpread(r.latencyMs?.p50 ?? null, formatMs), align: 'right' },
  { header: 'p99', cell: (r) => formatSpread(r.latencyMs?.p99 ?? null, formatMs), align: 'right' },
  { header: 'p99.9', cell: (r) => formatSpread(r.latencyMs?.p99_9 ?? null, formatMs), align: 'right' },
  { header: 'max', cell: (r) => formatSpread(r.latencyMs?.max ?? null, formatMs), align: 'right' },
  { header: 'CPU', cell: (r) => formatSpread(r.cpuPercent, formatPercent), align: 'right' },
  { header: 'RSS', cell: (r) => formatSpread(r.rssMB, formatMB), align: 'right' },
  { header: 'Loop delay p50/p99/max', cell: (r) => formatLoopDelay(r), align: 'right' },
];

/** Event-loop delay medians across runs as `p50/p99/max ms` (`–` for rows without a Node process). */
export function formatLoopDelay(r: AggregatedRow): string {
  const p99 = r.eventLoopDelayP99Ms;
  if (p99 === null) return '–';
  const short = (s: Spread | null | undefined): string =>
    s === null || s === undefined ? '–' : Number(s.median.toPrecision(3)).toString();
  return `${short(r.eventLoopDelayP50Ms)}/${short(p99)}/${short(r.eventLoopDelayMaxMs)} ms`;
}

/** `produced 600,000 · counted 600,000 · late 0 · dead-lettered 0 · lost 0 · duplicated 0`. */
export function formatCorrectness(c: Correctness): string {
  return [
    `produced ${formatCount(c.produced)}`,
    `counted ${formatCount(c.counted)}`,
    `late ${formatCount(c.late)}`,
    `dead-lettered ${formatCount(c.deadLettered)}`,
    `lost ${formatCount(c.lost)}`,
    `duplicated ${formatCount(c.duplicated)}`,
  ].join(' · ');
}

/** The columns the aggregated rows fill: every column but those shown only when a row has their figure. */
export function tableColumns(rows: readonly AggregatedRow[]): TableColumn[] {
  return TABLE_COLUMNS.filter((c) => c.shownWhen === undefined || rows.some(c.shownWhen));
}

/** Rows of cells (header first) for the aggregated table, in the columns of {@link tableColumns}. */
export function tableCells(results: BenchResults): string[][] {
  const columns = tableColumns(results.aggregate.components);
  return [
    columns.map((c) => c.header),
    ...results.aggregate.components.map((r) => columns.map((c) => c.cell(r))),
  ];
}

/**
 * The correctness lines: one per row that carries its own (each contender of `peers-latency` against the ground
 * truth), labelled; otherwise the run's one line, unlabelled. Each with whether it is exact (lost and duplicated 0).
 */
export function correctnessLines(
  results: BenchResults,
): { readonly label: string | null; readonly line: string; readonly exact: boolean }[] {
  const exact = (c: Correctness): boolean => c.lost === 0 && c.duplicated === 0;
  const perRow = results.aggregate.components.filter((r) => r.correctness !== undefined);
  if (perRow.length > 0) {
    return perRow.map((r) => ({
      label: COMPONENT_LABELS[r.component],
      line: formatCorrectness(r.correctness!),
      exact: exact(r.correctness!),
    }));
  }
  const c = results.aggregate.correctness;
  if (results.aggregate.components.length === 0 && c.produced === 0) return [];
  return [{ label: null, line: formatCorrectness(c), exact: exact(c) }];
}

/**
 * The printed table: one row per component (Kafka, processor, Elasticsearch, end-to-end), medians across runs with
 * (min–max) when runs differ, then the workload and the correctness line.
 */
export function renderTable(results: BenchResults): string {
  const columns = tableColumns(results.aggregate.components);
  const cells = tableCells(results);
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (columns[i]!.align === 'left' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const w = results.workload;
  const rate = w.ratePerSec === null ? 'searched' : formatRate(w.ratePerSec);
  const tableTitle =
    `Scenario ${w.scenario}: ${rate} for ${formatMs(w.durationMs)} after ${formatMs(w.warmupMs)} warm-up, ` +
    `${w.partitions} partitions, ${results.aggregate.runs} run${results.aggregate.runs === 1 ? '' : 's'} ` +
    `(median (min–max))`;
  const runs = `${results.aggregate.runs} run${results.aggregate.runs === 1 ? '' : 's'}`;
  const title =
    results.aggregate.components.length > 0
      ? tableTitle
      : `Scenario ${w.scenario}: ${runs}, figures are median (min–max) across runs`;
  const out = [title];
  if (results.aggregate.components.length > 0) {
    out.push('', line(cells[0]!), rule, ...cells.slice(1).map(line));
  }
  const figures = results.aggregate.figures ?? [];
  if (figures.length > 0) out.push('', renderFigures(figures));
  if (w.params.coordinatedOmissionCorrection === false) {
    out.push(
      '',
      'Coordinated-omission correction: off (autocannon ignoreCoordinatedOmission: true); latencies are service time.',
    );
  }
  const correctness = correctnessLines(results);
  if (correctness.length === 1 && correctness[0]!.label === null) {
    out.push('', `Correctness: ${correctness[0]!.line}`);
  } else if (correctness.length > 0) {
    const width = Math.max(...correctness.map((c) => c.label!.length));
    out.push(
      '',
      'Correctness of each row against the ground truth:',
      ...correctness.map((c) => `  ${c.label!.padEnd(width)}  ${c.line}`),
    );
  }
  return out.join('\n');
}
