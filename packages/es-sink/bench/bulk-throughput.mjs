// Benchmark: BulkSink vs the elasticsearch-js bulk helper (client.helpers.bulk) on the same documents, same
// flush size and concurrency, fresh indices each, against a real Elasticsearch. See bench/README.md.
// Usage: node bench/bulk-throughput.mjs [--docs 20000] [--runs 3] [--es-url http://127.0.0.1:9200] [--workloads a,b]
//        [--flush-bytes 1048576] [--concurrency 2] [--out bench-results/es-sink.json]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import * as hdr from 'hdr-histogram-js';
import { BulkSink } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    'es-url': { type: 'string', default: process.env.TRIBUTARY_ES_URL ?? 'http://127.0.0.1:9200' },
    'flush-bytes': { type: 'string', default: String(1024 * 1024) },
    concurrency: { type: 'string', default: '2' },
    out: { type: 'string' },
    workloads: { type: 'string', default: 'window-results,enriched-events' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(
    'node bench/bulk-throughput.mjs [--docs N] [--runs N] [--es-url URL] [--flush-bytes N] [--concurrency N] [--out FILE]\n',
  );
  process.exit(0);
}
const DOCS = Number(values.docs);
const RUNS = Number(values.runs);
const FLUSH_BYTES = Number(values['flush-bytes']);
const CONCURRENCY = Number(values.concurrency);
const ES_URL = values['es-url'];
for (const [name, v] of [
  ['--docs', DOCS],
  ['--runs', RUNS],
  ['--flush-bytes', FLUSH_BYTES],
  ['--concurrency', CONCURRENCY],
]) {
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`${name} must be a positive integer\n`);
    process.exit(2);
  }
}
const RUN_ID = Math.random().toString(36).slice(2, 8);

const PAGES = Array.from({ length: 500 }, (_, i) => `https://shop.example.com/product/${i}`);
const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'JP', 'BR', 'IN'];
const DEVICES = ['mobile', 'desktop', 'tablet'];

/** Window results as the connector writes them (7 fields), id = page|window, external version. */
function windowDocs(n) {
  const base = Date.UTC(2026, 10, 22);
  return Array.from({ length: n }, (_, i) => ({
    id: `${PAGES[i % PAGES.length]}|${Math.floor(i / PAGES.length)}`,
    doc: {
      page_url: PAGES[i % PAGES.length],
      window_start: base + Math.floor(i / PAGES.length) * 60_000,
      window_end: base + (Math.floor(i / PAGES.length) + 1) * 60_000,
      click_count: i % 97,
      view_count: i % 389,
      is_final: true,
      version: 1,
    },
  }));
}

/** Enriched raw clickstream events (~10 fields). */
function eventDocs(n) {
  const base = Date.UTC(2026, 10, 22);
  return Array.from({ length: n }, (_, i) => ({
    id: `evt-${RUN_ID}-${i}`,
    doc: {
      event_id: `evt-${RUN_ID}-${i}`,
      user_id: `user-${i % 10_000}`,
      session_id: `sess-${i % 3000}`,
      page_url: PAGES[i % PAGES.length],
      event_type: i % 4 === 0 ? 'CLICK' : 'VIEW',
      timestamp: base + i * 7,
      referrer: i % 3 === 0 ? 'https://www.google.com/' : '',
      user_agent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      device: DEVICES[i % DEVICES.length],
      country: COUNTRIES[i % COUNTRIES.length],
      page_category: `category-${i % 40}`,
    },
  }));
}

function newHistogram() {
  // Microseconds, 1 µs .. 120 s, 3 significant digits, JS mode (no WASM lifecycle).
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** A client whose bulk requests are timed from request to response (the same probe for both contenders). */
function timedClient(histogram) {
  const client = new Client({ node: ES_URL, maxRetries: 0, requestTimeout: 60_000 });
  const started = new Map();
  client.diagnostic.on('request', (_err, result) => {
    if (result?.meta?.request?.params?.path === '/_bulk')
      started.set(result.meta.request.id, performance.now());
  });
  client.diagnostic.on('response', (_err, result) => {
    const id = result?.meta?.request?.id;
    const t0 = started.get(id);
    if (t0 !== undefined) {
      started.delete(id);
      histogram.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
    }
  });
  return client;
}

async function freshIndex(admin, index) {
  await admin.indices.create({
    index,
    settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '30s' },
  });
}

async function runHelper(admin, index, docs) {
  await freshIndex(admin, index);
  const histogram = newHistogram();
  const client = timedClient(histogram);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await client.helpers.bulk({
    datasource: docs,
    onDocument: (d) => [{ index: { _index: index, _id: d.id } }, d.doc],
    flushBytes: FLUSH_BYTES,
    flushInterval: 30_000,
    concurrency: CONCURRENCY,
    retries: 3,
    wait: 5000,
    onDrop: () => {},
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await client.close();
  return {
    docsPerSecond: docs.length / seconds,
    seconds,
    cpuUsPerDoc: (cpu.user + cpu.system) / docs.length,
    ok: result.successful,
    failed: result.failed,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    requests: histogram.totalCount,
  };
}

async function runSink(admin, index, docs) {
  await freshIndex(admin, index);
  const histogram = newHistogram();
  const client = timedClient(histogram);
  let failed = 0;
  const sink = new BulkSink({
    client,
    index,
    flushBytes: FLUSH_BYTES,
    // Same memory bound as the helper: the requests in flight plus the one being filled.
    flushDocs: 100_000,
    maxBufferedDocs: 100_000,
    maxBufferedBytes: (CONCURRENCY + 1) * FLUSH_BYTES,
    flushIntervalMs: 30_000,
    concurrency: CONCURRENCY,
    onDeadLetter: () => void failed++,
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const d of docs) await sink.write(d.doc, { id: d.id });
  await sink.close();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await client.close();
  return {
    docsPerSecond: docs.length / seconds,
    seconds,
    cpuUsPerDoc: (cpu.user + cpu.system) / docs.length,
    ok: sink.stats.successful,
    failed,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    requests: histogram.totalCount,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const admin = new Client({ node: ES_URL });
  const created = [];
  const report = {
    environment: {
      node: process.version,
      esUrl: ES_URL,
      docs: DOCS,
      runs: RUNS,
      flushBytes: FLUSH_BYTES,
      concurrency: CONCURRENCY,
      date: new Date().toISOString(),
    },
    workloads: {},
  };
  try {
    const selected = values.workloads.split(',');
    for (const [name, make] of [
      ['window-results', windowDocs],
      ['enriched-events', eventDocs],
    ].filter(([name]) => selected.includes(name))) {
      const docs = make(DOCS);
      const runs = { helper: [], sink: [] };
      // Warm-up (JIT, connections, index creation path), not reported.
      const warm = `bench-es-sink-warm-${RUN_ID}-${name}`;
      created.push(warm);
      await runSink(admin, warm, docs.slice(0, Math.min(2000, DOCS)));
      for (let r = 0; r < RUNS; r++) {
        // Alternate the order so neither contender always runs on a warmer cluster.
        const order = r % 2 === 0 ? ['helper', 'sink'] : ['sink', 'helper'];
        for (const who of order) {
          const index = `bench-es-sink-${RUN_ID}-${name}-${who}-${r}`;
          created.push(index);
          const result =
            who === 'helper' ? await runHelper(admin, index, docs) : await runSink(admin, index, docs);
          runs[who].push(result);
          process.stderr.write(
            `${name} run ${r + 1} ${who}: ${Math.round(result.docsPerSecond)} docs/s, p99 bulk ${result.p99Ms.toFixed(1)} ms, ok ${result.ok}, failed ${result.failed}\n`,
          );
          await admin.indices.delete({ index }, { ignore: [404] });
        }
      }
      const summary = (rs) => ({
        docsPerSecondMedian: Math.round(median(rs.map((x) => x.docsPerSecond))),
        docsPerSecondMin: Math.round(Math.min(...rs.map((x) => x.docsPerSecond))),
        docsPerSecondMax: Math.round(Math.max(...rs.map((x) => x.docsPerSecond))),
        p99BulkMsMedian: Number(median(rs.map((x) => x.p99Ms)).toFixed(1)),
        p50BulkMsMedian: Number(median(rs.map((x) => x.p50Ms)).toFixed(1)),
        requestsPerRun: rs[0]?.requests,
        cpuUsPerDocMedian: Number(median(rs.map((x) => x.cpuUsPerDoc)).toFixed(2)),
        failed: rs.reduce((s, x) => s + x.failed, 0),
      });
      const helper = summary(runs.helper);
      const sink = summary(runs.sink);
      // Each run pairs the two contenders back to back; the median of the per-pair ratios is less sensitive to
      // load from other processes than the ratio of medians.
      const pairRatios = runs.sink.map((x, i) => x.docsPerSecond / runs.helper[i].docsPerSecond);
      report.workloads[name] = {
        helper,
        sink,
        ratio: Number((sink.docsPerSecondMedian / helper.docsPerSecondMedian).toFixed(2)),
        pairedRatioMedian: Number(median(pairRatios).toFixed(2)),
        runs,
      };
    }
  } finally {
    for (const index of created) await admin.indices.delete({ index }, { ignore: [404] }).catch(() => {});
    await admin.close();
  }
  const lines = [
    '| workload | helpers.bulk docs/s (median, min–max) | BulkSink docs/s (median, min–max) | ratio of medians | median paired ratio | p99 bulk ms helper / sink | client CPU µs/doc helper / sink |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [name, w] of Object.entries(report.workloads)) {
    lines.push(
      `| ${name} | ${w.helper.docsPerSecondMedian} (${w.helper.docsPerSecondMin}–${w.helper.docsPerSecondMax}) | ${w.sink.docsPerSecondMedian} (${w.sink.docsPerSecondMin}–${w.sink.docsPerSecondMax}) | ${w.ratio}× | ${w.pairedRatioMedian}× | ${w.helper.p99BulkMsMedian} / ${w.sink.p99BulkMsMedian} | ${w.helper.cpuUsPerDocMedian} / ${w.sink.cpuUsPerDocMedian} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.out) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, JSON.stringify(report, null, 2));
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
