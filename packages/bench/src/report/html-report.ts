import { LatencyHistogram } from '@tributary/producer';
import { percentileCurve } from '../histograms/percentiles.js';
import { formatMs, formatRate } from './format.js';
import { COMPONENT_LABELS, type BenchResults } from './results.js';
import { escapeXml, percentileChart, timeSeriesChart, type PercentileSeries } from './svg-charts.js';
import { figureCells, formatFigureValue } from './figures-table.js';
import { correctnessLines, tableCells, tableColumns } from './table.js';

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.5em 0}
th,td{padding:.25em .6em;border-bottom:1px solid #eee;text-align:right}th{background:#f6f6f6}
td.l,th.l{text-align:left}.ok{color:#067d2f}.bad{color:#b00020;font-weight:600}
.chart{display:block;margin:1em 0;max-width:100%;height:auto}code{background:#f4f4f4;padding:0 .2em}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:600}dd{margin:0}
`;

function table(rows: readonly (readonly string[])[], leftColumns: ReadonlySet<number>): string {
  const [head, ...body] = rows;
  const cell = (tag: string, text: string, i: number): string =>
    `<${tag}${leftColumns.has(i) ? ' class="l"' : ''}>${escapeXml(text)}</${tag}>`;
  return (
    '<table><thead><tr>' +
    (head ?? []).map((h, i) => cell('th', h, i)).join('') +
    '</tr></thead><tbody>' +
    body.map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

function definitionList(entries: readonly (readonly [string, string])[]): string {
  return `<dl>${entries.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${escapeXml(v)}</dd>`).join('')}</dl>`;
}

function percentileCharts(results: BenchResults): string {
  const names = [...new Set(results.runs.flatMap((r) => Object.keys(r.histograms)))];
  return names
    .map((name) => {
      const series: PercentileSeries[] = [];
      for (const run of results.runs) {
        const encoded = run.histograms[name];
        if (encoded === undefined) continue;
        const histogram = LatencyHistogram.decode(encoded);
        try {
          series.push({ name: `run ${run.run}`, points: percentileCurve(histogram) });
        } finally {
          histogram.destroy();
        }
      }
      return percentileChart(`${name} latency by percentile`, series);
    })
    .join('\n');
}

function timeSeriesCharts(results: BenchResults): string {
  const names = [...new Set(results.runs.flatMap((r) => r.series.map((s) => s.name)))];
  return names
    .map((name) => {
      const unit = results.runs.flatMap((r) => r.series).find((s) => s.name === name)?.unit ?? '';
      const lines = results.runs.flatMap((run) =>
        run.series.filter((s) => s.name === name).map((s) => ({ name: `run ${run.run}`, points: s.points })),
      );
      return timeSeriesChart(name, unit, lines);
    })
    .join('\n');
}

function perRunTable(results: BenchResults): string {
  const rows: string[][] = [
    ['Run', 'Component', 'Throughput', 'p50', 'p99', 'p99.9', 'max', 'lost', 'duplicated'],
  ];
  for (const run of results.runs) {
    for (const c of run.components) {
      rows.push([
        String(run.run),
        COMPONENT_LABELS[c.component],
        c.throughputPerSec === null ? '–' : formatRate(c.throughputPerSec),
        c.latencyMs === null ? '–' : formatMs(c.latencyMs.p50),
        c.latencyMs === null ? '–' : formatMs(c.latencyMs.p99),
        c.latencyMs === null ? '–' : formatMs(c.latencyMs.p99_9),
        c.latencyMs === null ? '–' : formatMs(c.latencyMs.max),
        String((c.correctness ?? run.correctness).lost),
        String((c.correctness ?? run.correctness).duplicated),
      ]);
    }
  }
  return table(rows, new Set([1]));
}

function perRunFigures(results: BenchResults): string {
  const rows: string[][] = [['Run', 'Figure', 'Value']];
  for (const run of results.runs) {
    for (const f of run.figures ?? []) {
      rows.push([String(run.run), f.name, f.value === null ? '–' : formatFigureValue(f.value, f.unit)]);
    }
  }
  return table(rows, new Set([1]));
}

/**
 * A single self-contained HTML page: no script, stylesheet, font or image is fetched, charts are inline SVG.
 * Sections: summary table with correctness line, latency-by-percentile plots per histogram (one line per run),
 * time series (throughput, lag…), per-run figures, environment, workload, method and definitions.
 */
export function renderHtmlReport(results: BenchResults): string {
  const w = results.workload;
  const e = results.environment;
  const hasRows = results.aggregate.components.length > 0;
  const hasHistograms = results.runs.some((r) => Object.keys(r.histograms).length > 0);
  const hasSeries = results.runs.some((r) => r.series.length > 0);
  const title = `Tributary bench — ${w.scenario} — ${results.createdAt}`;
  const definitions = results.aggregate.components
    .filter((r) => r.latencyDefinition !== null)
    .map((r) => [COMPONENT_LABELS[r.component], r.latencyDefinition!] as const);
  const left = new Set(
    tableColumns(results.aggregate.components).flatMap((col, i) => (col.align === 'left' ? [i] : [])),
  );
  const correctness = correctnessLines(results)
    .map(
      (l) =>
        `<p class="${l.exact ? 'ok' : 'bad'}">Correctness${l.label === null ? '' : ` (${escapeXml(l.label)})`}: ${escapeXml(l.line)}</p>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeXml(title)}</h1>
<p>${escapeXml(results.tool.name)} ${escapeXml(results.tool.version)} · ${results.aggregate.runs} run(s) ·
figures are medians across runs with (min–max) when runs differ.</p>
<h2>Results</h2>
${results.aggregate.components.length > 0 ? table(tableCells(results), left) : ''}
${(results.aggregate.figures ?? []).length > 0 ? table(figureCells(results.aggregate.figures!), new Set([0, 2])) : ''}
${correctness}
${
  w.params.coordinatedOmissionCorrection === false
    ? '<p>Coordinated-omission correction: <b>off</b> (autocannon <code>ignoreCoordinatedOmission: true</code>); latencies are service time from the actual send.</p>'
    : ''
}
${
  hasHistograms
    ? `<h2>Latency by percentile</h2>
<p>Percentile axis is logarithmic in 1/(1−p): each step to the right adds a nine. Latencies are measured from the
intended time of each event, so generator stalls appear in the tail instead of being hidden.</p>
${percentileCharts(results)}`
    : ''
}
${hasSeries ? `<h2>Over time</h2>\n${timeSeriesCharts(results)}` : ''}
<h2>Per run</h2>
${hasRows ? perRunTable(results) : perRunFigures(results)}
<h2>Environment</h2>
${definitionList([
  ['Node.js', e.node],
  ['Java', e.java ?? 'unknown'],
  ['OS', `${e.os.platform} ${e.os.release} (${e.os.arch})`],
  ['CPU', `${e.cpu.model} × ${e.cpu.cores}`],
  ['Memory', `${e.memoryMB} MB`],
  ...Object.entries(e.versions).map(([k, v]) => [k, v] as const),
])}
<h2>Workload</h2>
${definitionList([
  ['Scenario', w.scenario],
  [
    'Rate',
    w.ratePerSec === null
      ? 'searched (maximum sustainable)'
      : `${formatRate(w.ratePerSec)} intended, open loop`,
  ],
  ['Duration', `${formatMs(w.durationMs)} measured after ${formatMs(w.warmupMs)} warm-up`],
  ['Partitions', String(w.partitions)],
  ['Runs', String(w.runs)],
  ...Object.entries(w.params).map(([k, v]) => [k, String(v)] as const),
])}
<h2>Method</h2>
<ul>${results.method.map((m) => `<li>${escapeXml(m)}</li>`).join('')}</ul>
<h2>Latency definitions</h2>
${definitionList(definitions)}
</body></html>
`;
}
