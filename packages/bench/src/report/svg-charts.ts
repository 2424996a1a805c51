import type { PercentilePoint } from '../histograms/percentiles.js';

/** Colour-blind-safe palette (Okabe–Ito), cycled per line. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );
}

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const FRAME: Frame = { width: 720, height: 320, left: 64, right: 150, top: 28, bottom: 44 };

/** "Nice" axis maximum and tick step for a linear axis from 0. */
export function niceScale(max: number, ticks = 5): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 0.2 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}

function num(n: number): string {
  return Number(n.toFixed(2)).toString();
}

function tickLabel(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

function frame(
  title: string,
  xLabel: string,
  yLabel: string,
  body: string,
  legend: readonly string[],
): string {
  const f = FRAME;
  const plotW = f.width - f.left - f.right;
  const plotH = f.height - f.top - f.bottom;
  const legendItems = legend
    .map((name, i) => {
      const y = f.top + 8 + i * 18;
      const x = f.width - f.right + 12;
      const color = PALETTE[i % PALETTE.length];
      return (
        `<line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" stroke="${color}" stroke-width="2"/>` +
        `<text x="${x + 24}" y="${y + 4}">${escapeXml(name)}</text>`
      );
    })
    .join('');
  return (
    `<svg class="chart" role="img" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" ` +
    `font-family="system-ui, sans-serif" font-size="11"><title>${escapeXml(title)}</title>` +
    `<text x="${f.left}" y="16" font-size="13" font-weight="600">${escapeXml(title)}</text>` +
    `<rect x="${f.left}" y="${f.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>` +
    body +
    `<text x="${f.left + plotW / 2}" y="${f.height - 6}" text-anchor="middle">${escapeXml(xLabel)}</text>` +
    `<text transform="translate(14 ${f.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>` +
    legendItems +
    `</svg>`
  );
}

function yAxis(maxValue: number): { body: string; y: (v: number) => number } {
  const f = FRAME;
  const plotH = f.height - f.top - f.bottom;
  const scale = niceScale(maxValue);
  const y = (v: number): number => f.top + plotH - (v / scale.max) * plotH;
  let body = '';
  for (let v = 0; v <= scale.max + scale.step / 2; v += scale.step) {
    body +=
      `<line x1="${f.left}" y1="${num(y(v))}" x2="${f.width - f.right}" y2="${num(y(v))}" stroke="#e5e5e5"/>` +
      `<text x="${f.left - 6}" y="${num(y(v) + 4)}" text-anchor="end">${tickLabel(v)}</text>`;
  }
  return { body, y };
}

function polyline(points: readonly (readonly [number, number])[], color: string): string {
  if (points.length === 0) return '';
  const d = points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ');
  return `<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${d}"/>`;
}

export interface PercentileSeries {
  readonly name: string;
  readonly points: readonly PercentilePoint[];
}

/** Position on the HdrHistogram percentile axis: log10(1 / (1 − p)), i.e. the number of nines. */
export function ninesOf(percentile: number): number {
  return Math.log10(1 / (1 - Math.min(percentile, 99.99999) / 100));
}

/**
 * Latency by percentile with the log-scaled percentile axis of HdrHistogram plots (0 %, 90 %, 99 %, 99.9 % … evenly
 * spaced). The max (100 %) cannot be placed on that axis and is left to the table.
 */
export function percentileChart(title: string, series: readonly PercentileSeries[]): string {
  const f = FRAME;
  const plotW = f.width - f.left - f.right;
  const finite = series.map((s) => ({ name: s.name, points: s.points.filter((p) => p.percentile < 100) }));
  const maxNines = Math.max(
    1,
    Math.ceil(Math.max(0, ...finite.flatMap((s) => s.points.map((p) => ninesOf(p.percentile))))),
  );
  const maxValue = Math.max(0, ...finite.flatMap((s) => s.points.map((p) => p.valueMs)));
  const { body: yBody, y } = yAxis(maxValue);
  const x = (p: number): number => f.left + (ninesOf(p) / maxNines) * plotW;
  let xBody = '';
  for (let n = 0; n <= maxNines; n++) {
    const p = 100 * (1 - 10 ** -n);
    const px = num(f.left + (n / maxNines) * plotW);
    const label = n === 0 ? '0%' : `${Number(p.toFixed(n))}%`;
    xBody +=
      `<line x1="${px}" y1="${f.top}" x2="${px}" y2="${f.height - f.bottom}" stroke="#e5e5e5"/>` +
      `<text x="${px}" y="${f.height - f.bottom + 14}" text-anchor="middle">${label}</text>`;
  }
  const lines = finite
    .map((s, i) =>
      polyline(
        s.points.map((p) => [x(p.percentile), y(p.valueMs)] as const),
        PALETTE[i % PALETTE.length]!,
      ),
    )
    .join('');
  return frame(
    title,
    'percentile (log scale of 1/(1−p))',
    'latency (ms)',
    xBody + yBody + lines,
    series.map((s) => s.name),
  );
}

export interface TimeSeriesLine {
  readonly name: string;
  /** `[ms, value]` pairs. */
  readonly points: readonly (readonly [number, number])[];
}

/** A value over time (seconds on the x axis), one line per series. */
export function timeSeriesChart(title: string, unit: string, series: readonly TimeSeriesLine[]): string {
  const f = FRAME;
  const plotW = f.width - f.left - f.right;
  const all = series.flatMap((s) => s.points);
  const maxT = Math.max(1, ...all.map(([t]) => t));
  const maxValue = Math.max(0, ...all.map(([, v]) => v));
  const { body: yBody, y } = yAxis(maxValue);
  const xScale = niceScale(maxT / 1000, 6);
  const x = (ms: number): number => f.left + (ms / 1000 / xScale.max) * plotW;
  let xBody = '';
  for (let s = 0; s <= xScale.max + xScale.step / 2; s += xScale.step) {
    const px = num(f.left + (s / xScale.max) * plotW);
    xBody +=
      `<line x1="${px}" y1="${f.top}" x2="${px}" y2="${f.height - f.bottom}" stroke="#e5e5e5"/>` +
      `<text x="${px}" y="${f.height - f.bottom + 14}" text-anchor="middle">${tickLabel(s)}</text>`;
  }
  const lines = series
    .map((s, i) =>
      polyline(
        s.points.map(([t, v]) => [x(t), y(v)] as const),
        PALETTE[i % PALETTE.length]!,
      ),
    )
    .join('');
  return frame(
    title,
    'time since the start of the run (s)',
    unit,
    xBody + yBody + lines,
    series.map((s) => s.name),
  );
}
