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
}

/** The seed's table (component, version, startup, latency) widened with throughput, tail percentiles and resources. */
export const TABLE_COLUMNS: readonly TableColumn[] = [
  { header: 'Component', cell: (r) => COMPONENT_LABELS[r.component], align: 'left' },
  { header: 'Version', cell: (r) => r.version ?? '–', align: 'left' },
  { header: 'Startup', cell: (r) => formatSpread(r.startupMs, formatMs), align: 'right' },
  { header: 'Throughput', cell: (r) => formatSpread(r.throughputPerSec, formatRate), align: 'right' },
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

/** Rows of cells (header first) for the aggregated table. */
export function tableCells(results: BenchResults): string[][] {
  return [
    TABLE_COLUMNS.map((c) => c.header),
    ...results.aggregate.components.map((r) => TABLE_COLUMNS.map((c) => c.cell(r))),
  ];
}

/**
 * The printed table: one row per component (Kafka, processor, Elasticsearch, end-to-end), medians across runs with
 * (min–max) when runs differ, then the workload and the correctness line.
 */
export function renderTable(results: BenchResults): string {
  const cells = tableCells(results);
  const widths = TABLE_COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]): string =>
    row
      .map((cell, i) =>
        TABLE_COLUMNS[i]!.align === 'left' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!),
      )
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
  if (results.aggregate.components.length > 0 || results.aggregate.correctness.produced > 0) {
    out.push('', `Correctness: ${formatCorrectness(results.aggregate.correctness)}`);
  }
  return out.join('\n');
}
