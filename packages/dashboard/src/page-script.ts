/**
 * The browser script of the dashboard page, served as `/dashboard.js`: polls `/api/dashboard` (a DashboardView)
 * every `data-refresh-ms` and draws the tiles, the top-pages table and two SVG charts. No dependencies, no build.
 */
export const DASHBOARD_SCRIPT = String.raw`'use strict';
(function () {
  var refreshMs = Number(document.body.getAttribute('data-refresh-ms')) || 1500;
  var updates = 0;
  var $ = function (id) { return document.getElementById(id); };
  var esc = function (s) {
    return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  };
  var DASH = '\u2014';

  function num(v, digits) {
    if (v === null || v === undefined || !isFinite(v)) return DASH;
    return Number(v).toLocaleString('en-US', { maximumFractionDigits: digits || 0 });
  }
  function rate(v) {
    if (v === null || v === undefined || !isFinite(v)) return DASH;
    return num(v, v < 10 ? 1 : 0);
  }
  function seconds(v) {
    if (v === null || v === undefined || !isFinite(v)) return DASH;
    if (v < 1) return Math.round(v * 1000) + ' ms';
    if (v < 120) return v.toFixed(1) + ' s';
    if (v < 7200) return (v / 60).toFixed(1) + ' min';
    return (v / 3600).toFixed(1) + ' h';
  }
  function hhmm(t) {
    var d = new Date(t);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }
  /** A round grid step (1, 2, 2.5 or 5 times a power of ten) so that four steps cover v. */
  function niceStep(v) {
    if (!(v > 0)) return 1;
    var raw = v / 4;
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= raw) return steps[i] * p;
    return 10 * p;
  }

  /** Line chart of series [{values, color}] over xs, in an SVG viewBox of w x h. */
  function lineChart(svg, xs, series, w, h, xLabel) {
    var left = 48, right = 12, top = 10, bottom = 24;
    var max = 0;
    series.forEach(function (s) { s.values.forEach(function (v) { if (v > max) max = v; }); });
    var step = niceStep(max);
    max = step * 4;
    var n = xs.length;
    var x = function (i) { return left + (n <= 1 ? 0 : (i * (w - left - right)) / (n - 1)); };
    var y = function (v) { return top + (h - top - bottom) * (1 - v / max); };
    var out = [];
    for (var g = 0; g <= 4; g++) {
      var gv = step * g, gy = y(gv);
      out.push('<line x1="' + left + '" x2="' + (w - right) + '" y1="' + gy + '" y2="' + gy + '" stroke="#e3e6eb"/>');
      out.push('<text x="' + (left - 6) + '" y="' + (gy + 4) + '" text-anchor="end">' + esc(num(gv, gv < 10 ? 1 : 0)) + '</text>');
    }
    // Ticks every few points, anchored at the newest point; the edge labels stay inside the chart.
    var every = Math.max(1, Math.ceil((n - 1) / 5));
    for (var i = n - 1; i >= 0; i -= every) {
      var anchor = i === n - 1 && n > 1 ? 'end' : i === 0 ? 'start' : 'middle';
      out.push('<text x="' + x(i) + '" y="' + (h - 6) + '" text-anchor="' + anchor + '">' + esc(xLabel(xs[i])) + '</text>');
    }
    series.forEach(function (s) {
      if (n === 0) return;
      var pts = s.values.map(function (v, i) { return x(i).toFixed(1) + ',' + y(v).toFixed(1); }).join(' ');
      if (s.fill) {
        out.push('<polygon points="' + x(0) + ',' + y(0) + ' ' + pts + ' ' + x(n - 1) + ',' + y(0) + '" fill="' + s.color + '" opacity="0.12"/>');
      }
      out.push('<polyline class="series-' + s.name + '" data-values="' + esc(s.values.join(',')) + '" points="' + pts + '" fill="none" stroke="' + s.color + '" stroke-width="2" stroke-linejoin="round"/>');
    });
    svg.innerHTML = out.join('');
  }

  function renderTiles(p) {
    $('stat-throughput').textContent = rate(p.recordsInPerSecond);
    $('stat-output').textContent = rate(p.recordsOutPerSecond);
    $('stat-consumer-lag').textContent = num(p.consumerLag);
    $('stat-watermark-lag').textContent = seconds(p.watermarkLagSeconds);
    $('stat-p99').textContent = seconds(p.p99LatencySeconds);
    $('metrics-error').textContent = p.error || '';
  }

  function renderTopPages(top) {
    var rows = top.rows;
    var max = rows.reduce(function (m, r) { return Math.max(m, r.clicks); }, 0) || 1;
    $('top-pages-range').textContent = 'last ' + top.minutes + ' min, by clicks';
    $('top-pages').querySelector('tbody').innerHTML = rows.map(function (r, i) {
      return '<tr data-page-url="' + esc(r.pageUrl) + '"><td>' + (i + 1) + '</td><td class="page" title="' + esc(r.pageUrl) + '">' +
        esc(r.pageUrl) + '</td><td class="num clicks">' + num(r.clicks) + '</td><td class="num views">' + num(r.views) +
        '</td><td><div class="bar" style="width:' + ((100 * r.clicks) / max).toFixed(1) + '%"></div></td></tr>';
    }).join('');
    $('top-pages-empty').style.display = rows.length === 0 ? '' : 'none';
    $('top-pages-error').textContent = top.error || '';
  }

  function renderCharts(view) {
    var pts = view.clicksVsViews.points;
    lineChart($('chart-clicks-views'), pts.map(function (p) { return p.t; }), [
      { name: 'views', color: '#e08a1e', values: pts.map(function (p) { return p.views; }), fill: true },
      { name: 'clicks', color: '#2f6fdf', values: pts.map(function (p) { return p.clicks; }), fill: true },
    ], 640, 220, hhmm);
    $('chart-error').textContent = view.clicksVsViews.error || '';
    var h = view.pipeline.throughputHistory;
    lineChart($('chart-throughput'), h.map(function (p) { return p.t; }), [
      { name: 'throughput', color: '#16a34a', values: h.map(function (p) { return p.v; }), fill: true },
    ], 640, 120, function (t) { return t === undefined ? '' : new Date(t).toLocaleTimeString('en-GB'); });
  }

  function renderElasticsearchOff(off) {
    var text = off ? 'Elasticsearch panels are off: the job runs without Elasticsearch (--no-elasticsearch).' : '';
    $('top-pages-off').textContent = text;
    $('chart-off').textContent = text;
    $('top-pages').style.display = off ? 'none' : '';
    $('chart-clicks-views').style.display = off ? 'none' : '';
  }

  function render(view) {
    document.title = view.title;
    renderTiles(view.pipeline);
    renderTopPages(view.topPages);
    renderElasticsearchOff(view.elasticsearch === 'off');
    if (view.elasticsearch === 'off') $('top-pages-empty').style.display = 'none';
    renderCharts(view);
    updates++;
    document.body.setAttribute('data-updates', String(updates));
    var status = $('status');
    status.className = '';
    status.textContent = 'live \u00b7 updated ' + new Date(view.generatedAt).toLocaleTimeString('en-GB') + ' \u00b7 every ' + (refreshMs / 1000) + ' s';
  }

  function poll() {
    fetch('/api/dashboard', { cache: 'no-store' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(render)
      .catch(function (e) {
        var status = $('status');
        status.className = 'error';
        status.textContent = 'dashboard server unreachable: ' + e.message;
      })
      .then(function () { setTimeout(poll, refreshMs); });
  }
  poll();
})();
`;
