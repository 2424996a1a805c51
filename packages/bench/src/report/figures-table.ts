import { formatCount, formatMs, formatPercent, formatRate, formatSpread } from './format.js';
import { RATIO_UNITS, type AggregatedFigure } from './results.js';

/** Formats one value by its unit: `ms` → 3.41 ms, `/s` units → 12.3k/s, `%` → 41.0%, `×` (either ratio) → 1.23×. */
export function formatFigureValue(value: number, unit: string): string {
  if (unit === 'ms') return formatMs(value);
  if (unit.endsWith('/s')) return `${formatRate(value).replace(/\/s$/, '')} ${unit}`;
  if (unit === '%') return formatPercent(value);
  if (unit === RATIO_UNITS.HIGHER_IS_BETTER || unit === RATIO_UNITS.LOWER_IS_BETTER)
    return `${value.toPrecision(3)}×`;
  if (Number.isInteger(value)) return `${formatCount(value)}${unit === '' ? '' : ` ${unit}`}`;
  return `${value.toPrecision(3)}${unit === '' ? '' : ` ${unit}`}`;
}

/** Rows (header first) of the figures table: name, median (min–max), note. */
export function figureCells(figures: readonly AggregatedFigure[]): string[][] {
  return [
    ['Figure', 'Value', 'Note'],
    ...figures.map((f) => [
      f.name,
      formatSpread(f.spread, (v) => formatFigureValue(v, f.unit)),
      f.note ?? '',
    ]),
  ];
}

/** The figures as an aligned text table (notes left unpadded at the end of each line). */
export function renderFigures(figures: readonly AggregatedFigure[]): string {
  const cells = figureCells(figures);
  const w0 = Math.max(...cells.map((r) => r[0]!.length));
  const w1 = Math.max(...cells.map((r) => r[1]!.length));
  const line = (r: string[]): string => `${r[0]!.padEnd(w0)}  ${r[1]!.padStart(w1)}  ${r[2]!}`.trimEnd();
  return [
    line(cells[0]!),
    `${'-'.repeat(w0)}  ${'-'.repeat(w1)}  ${'-'.repeat(4)}`,
    ...cells.slice(1).map(line),
  ].join('\n');
}
