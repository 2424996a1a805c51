export { DASHBOARD_SCRIPT } from './page-script.js';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
:root { --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #6b7383; --line: #e3e6eb;
  --clicks: #2f6fdf; --views: #e08a1e; --accent: #16a34a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--ink); }
header { display: flex; align-items: baseline; justify-content: space-between; padding: 16px 24px; background: var(--ink); color: #fff; }
header h1 { margin: 0; font-size: 18px; font-weight: 600; }
#status { font-size: 12px; color: #c9ced8; }
#status.error { color: #ffb4a8; }
main { padding: 20px 24px; display: grid; gap: 16px; grid-template-columns: repeat(12, 1fr); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.card h2 { margin: 0 0 10px; font-size: 13px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.tiles { grid-column: 1 / -1; display: grid; grid-template-columns: repeat(5, 1fr); gap: 16px; }
.tile .value { font-size: 26px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .unit { font-size: 13px; color: var(--muted); margin-left: 4px; }
.top { grid-column: 1 / span 5; }
.charts { grid-column: 6 / -1; display: grid; gap: 16px; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; }
td.page { max-width: 220px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar { height: 6px; background: var(--clicks); border-radius: 3px; opacity: .75; }
.empty { color: var(--muted); padding: 12px 0; }
.legend { font-size: 12px; color: var(--muted); margin-left: 8px; text-transform: none; letter-spacing: 0; font-weight: 400; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; vertical-align: -1px; }
svg { width: 100%; display: block; }
svg text { font-size: 11px; fill: var(--muted); }
.error-note { color: #b42318; font-size: 12px; margin-top: 6px; }
.off-note { color: #667085; font-size: 13px; margin-top: 6px; }
`;

/** The dashboard page: plain HTML and CSS; the script (`/dashboard.js`) polls `/api/dashboard` and draws SVG. */
export function dashboardPage(options: { readonly title: string; readonly refreshMs: number }): string {
  const title = escapeHtml(options.title);
  const tile = (id: string, label: string, unit: string): string =>
    `<div class="card tile"><h2>${label}</h2><span class="value" id="${id}">—</span><span class="unit">${unit}</span></div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body data-refresh-ms="${options.refreshMs}" data-updates="0">
<header><h1>${title}</h1><span id="status">connecting…</span></header>
<main>
  <section class="tiles">
    ${tile('stat-throughput', 'Throughput', 'records/s')}
    ${tile('stat-output', 'Output', 'records/s')}
    ${tile('stat-consumer-lag', 'Consumer lag', 'records')}
    ${tile('stat-watermark-lag', 'Watermark lag', '')}
    ${tile('stat-p99', 'p99 event-time latency', '')}
  </section>
  <section class="card top">
    <h2>Top pages <span class="legend" id="top-pages-range"></span></h2>
    <table id="top-pages">
      <thead><tr><th>#</th><th>page_url</th><th class="num">clicks</th><th class="num">views</th><th style="width:22%"></th></tr></thead>
      <tbody></tbody>
    </table>
    <div class="empty" id="top-pages-empty">No window results in Elasticsearch yet.</div>
    <div class="error-note" id="top-pages-error"></div>
    <div class="off-note" id="top-pages-off"></div>
  </section>
  <section class="charts">
    <div class="card">
      <h2>Clicks vs views per minute
        <span class="legend"><span class="swatch" style="background:var(--clicks)"></span>clicks<span class="swatch" style="background:var(--views)"></span>views</span></h2>
      <svg id="chart-clicks-views" viewBox="0 0 640 220" role="img" aria-label="clicks and views per minute"></svg>
      <div class="error-note" id="chart-error"></div>
      <div class="off-note" id="chart-off"></div>
    </div>
    <div class="card">
      <h2>Pipeline throughput <span class="legend">records in per second</span></h2>
      <svg id="chart-throughput" viewBox="0 0 640 120" role="img" aria-label="records in per second"></svg>
      <div class="error-note" id="metrics-error"></div>
    </div>
  </section>
</main>
<script src="/dashboard.js"></script>
</body>
</html>
`;
}
